"""Site-wide response headers and request limits that Django has no setting for."""

import gzip
import re
import secrets

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.cache import patch_vary_headers
from django.utils.crypto import get_random_string
from django.utils.deprecation import MiddlewareMixin

# Browser features the site never uses, denied to it and to anything it might embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class PermissionsPolicyMiddleware:
    """First in MIDDLEWARE, so error pages and early redirects carry the header too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class RequestSizeLimitMiddleware:
    """A request body larger than any form of ours needs is refused before a byte of it is
    read: Django would otherwise stream a huge upload to disk before the form could say no.
    The reverse proxy should refuse it even earlier (client_max_body_size, see README)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.headers.get("content-length") or 0)
        except ValueError:
            length = 0
        limit = settings.REQUEST_MAX_BODY_BYTES
        if length > limit:
            context = {
                "size": filesizeformat(length),
                "limit": filesizeformat(limit),
                "image_limit": filesizeformat(settings.IMAGE_UPLOAD_MAX_BYTES),
            }
            return render(request, "413.html", context, status=413)
        return self.get_response(request)


def _unstorable(value: str) -> bool:
    """NUL (PostgreSQL refuses it in text) or a lone surrogate (no encoding can store it)."""
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _drain(request: HttpRequest, length: int) -> None:
    """Read the rest of a body we refuse, so the client gets our answer: a server that answers
    and closes while the client is still sending makes the client see a dropped connection."""
    remaining = length
    while remaining > 0:
        chunk = request.read(min(remaining, 64 * 1024))
        if not chunk:
            break
        remaining -= len(chunk)


class UnstorableInputMiddleware:
    """A path, query string or form field holding a character the database cannot store
    answers 400 with a page that says so, instead of a 500 from PostgreSQL deep in a view.
    A form body larger than Django will parse (DATA_UPLOAD_MAX_MEMORY_SIZE) answers 413 here,
    read to its end, instead of Django's bare 400 on a connection cut short. After
    RequestSizeLimitMiddleware, so no body read here is larger than REQUEST_MAX_BODY_BYTES."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _unstorable(request.path) or self._unstorable_query(request):
            return self._refuse(request)
        if request.method == "POST":
            refused = self._check_body(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    @staticmethod
    def _unstorable_query(request: HttpRequest) -> bool:
        return any(
            _unstorable(key) or any(_unstorable(value) for value in values)
            for key, values in request.GET.lists()
        )

    def _check_body(self, request: HttpRequest) -> HttpResponse | None:
        content_type = request.content_type or ""
        if content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return None
        try:
            length = int(request.headers.get("content-length") or 0)
        except ValueError:
            length = 0
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if content_type == "application/x-www-form-urlencoded" and length > limit:
            _drain(request, length)
            return self._too_large(request, length, limit)
        try:
            fields = request.POST
        except RequestDataTooBig:
            # A multipart body whose fields, files aside, are over the limit.
            return self._too_large(request, length, limit)
        except (TooManyFieldsSent, MultiPartParserError):
            return render(request, "400.html", {"reason": "form"}, status=400)
        if any(
            _unstorable(key) or any(_unstorable(value) for value in values)
            for key, values in fields.lists()
        ):
            return self._refuse(request)
        return None

    @staticmethod
    def _refuse(request: HttpRequest) -> HttpResponse:
        template = "400.html#message" if getattr(request, "htmx", False) else "400.html"
        return render(request, template, {"reason": "unstorable"}, status=400)

    @staticmethod
    def _too_large(request: HttpRequest, length: int, limit: int) -> HttpResponse:
        context = {
            "size": filesizeformat(length),
            "limit": filesizeformat(limit),
            "image_limit": filesizeformat(settings.IMAGE_UPLOAD_MAX_BYTES),
            "reason": "too_large",
        }
        template = "400.html#message" if getattr(request, "htmx", False) else "400.html"
        return render(request, template, context, status=413)


# Text worth compressing; images, fonts and archives are compressed already.
COMPRESSIBLE_TYPES = ("text/", "application/json", "application/xml", "application/javascript")
COMPRESSIBLE_SUFFIXES = ("+xml", "+json")
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Django's 6 costs a member's 220 kB thread page 1.5 ms of CPU a request; 3 costs 0.6 ms for
# bytes 20% more (12.7 kB, not 10.5). nginx's default is 1.
GZIP_LEVEL = 3


def compressible(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type.startswith(COMPRESSIBLE_TYPES) or content_type.endswith(
        COMPRESSIBLE_SUFFIXES
    )


class CompressionMiddleware(MiddlewareMixin):
    """Django's GZipMiddleware, at GZIP_LEVEL. Like Django's, it puts a random-length file name
    (up to 100 bytes) in each gzip header ("Heal the Breach"), so a response's length no longer
    tells an attacker how well a guessed secret compressed against it (BREACH); CSRF tokens are
    masked anew on every response besides. Only text is compressed, and never a streaming
    response: a stream is sent as it is produced (exports, files), compressing it would hold
    parts back. The page cache stores the gzipped answer as it went out: those pages hold no
    secret (fansite.page_cache)."""

    max_random_bytes = 100

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.streaming or not compressible(response):
            return response
        if len(response.content) < 200 or response.has_header("Content-Encoding"):
            return response  # Too short to gain, or encoded already.
        patch_vary_headers(response, ("Accept-Encoding",))
        if not ACCEPTS_GZIP.search(request.headers.get("accept-encoding", "")):
            return response
        compressed = gzip_body(response.content, self.max_random_bytes)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):  # A strong ETag names the uncompressed bytes.
            response.headers["ETag"] = f"W/{etag}"
        response.headers["Content-Encoding"] = "gzip"
        return response


def gzip_body(content: bytes, max_random_bytes: int) -> bytes:
    """`content` gzipped at GZIP_LEVEL, with a random file name of 1 to max_random_bytes letters
    in its header, as django.utils.text.compress_string writes it at level 6."""
    compressed = gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0)
    header = bytearray(compressed[:10])
    header[3] = gzip.FNAME
    name = get_random_string(secrets.randbelow(max_random_bytes) + 1).encode()
    return bytes(header) + name + b"\x00" + compressed[10:]
