"""Site-wide response headers and request limits that Django has no setting for."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat

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


def compressible(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type.startswith(COMPRESSIBLE_TYPES) or content_type.endswith(
        COMPRESSIBLE_SUFFIXES
    )


class CompressionMiddleware(GZipMiddleware):
    """Django's gzip, which since 4.2 puts a random-length file name (up to 100 bytes) in each
    gzip header ("Heal the Breach"), so a response's length no longer tells an attacker how well
    a guessed secret compressed against it (BREACH); CSRF tokens are masked anew on every
    response besides. Only text is compressed, and never a streaming response: a stream is sent
    as it is produced (exports, files), compressing it would hold parts back. The page cache
    stores the gzipped answer as it went out: those pages hold no secret (fansite.page_cache)."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.streaming or not compressible(response):
            return response
        return super().process_response(request, response)
