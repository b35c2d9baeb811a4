"""What browsers and CDNs may keep of our answers, and how they ask again (RFC 9111, 9110).

One rule for every response that has not chosen its own Cache-Control:

- A page anyone would be shown alike (an anonymous GET answered 200, no session, no cookie
  set, no CSRF token, no message, not admin, accounts or an htmx partial) is public for
  HTTP_CACHE_MAX_AGE seconds and may be served stale for HTTP_CACHE_STALE_WHILE_REVALIDATE
  more while a cache fetches it again. It varies on Cookie (a visitor with a session cookie,
  a theme or seen films gets another answer), HX-Request (htmx gets a partial at the same
  address) and Accept-Encoding.
- A signed-in member's answer is private and never stored (their name, notifications and
  forms; a shared computer's browser must not keep them).
- Anything else (a 404, a redirect, a POST's answer, a page that set a cookie or holds a CSRF
  token) is private and revalidated on every use. A 404 is deliberately not public: the
  address may become a page at any moment (a scheduled post falls due), and a CDN would keep
  a copy for every address a scanner tries.

A public answer may still name a view's own choice (`cache_control`), but nothing a visitor
holds alone ever goes out public: the unsafe cases above turn `public` into `private`.

Answers that may be stored get a weak ETag, a hash of the body before compression (gzip and
plain bodies are the same page, so one tag names both; Vary: Accept-Encoding keeps caches
from mixing them), and a request whose If-None-Match or If-Modified-Since (feeds and sitemaps
send Last-Modified) still holds is answered 304. Pages from the page cache answer the same
from the stored tag without building anything (fansite.page_cache).
"""

import hashlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import parse_http_date_safe

from fansite.middleware import compressible

# Addresses whose answers are never shared: the admin, sign-in and account pages, health
# checks, and files the proxy or WhiteNoise answers with headers of their own.
PRIVATE_PREFIXES = ("/admin/", "/accounts/", "/healthz", "/static/", "/media/")
# django.contrib.messages' cookie (CookieStorage.cookie_name).
MESSAGES_COOKIE = "messages"


def cache_control(response: HttpResponse) -> set[str]:
    """The directives of the response's Cache-Control, lowercased, values dropped."""
    return {
        part.split("=", 1)[0].strip().lower()
        for part in response.get("Cache-Control", "").split(",")
        if part.strip()
    }


def signed_in(request: HttpRequest) -> bool:
    # request.user after the view: signing in makes the answer private, signing out not.
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def carries_a_session(request: HttpRequest) -> bool:
    """A session (even an anonymous one) or messages: this visitor's page, never shared."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES or MESSAGES_COOKIE in request.COOKIES


def shareable_request(request: HttpRequest) -> bool:
    """What the request alone says: an anonymous full-page GET of a public address."""
    environ = request.META  # not request.headers: a page-cache hit would build it for this
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(PRIVATE_PREFIXES)
        and "HTTP_HX_REQUEST" not in environ
        and not carries_a_session(request)
    )


def shareable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        shareable_request(request)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        # The page holds a CSRF token: masked, it still gives this visitor's secret away.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not signed_in(request)
    )


def _weak_etag(response: HttpResponse) -> str:
    return f'W/"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'


def conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """304 when the client's copy (If-None-Match, If-Modified-Since) is still this one."""
    etag = response.get("ETag")
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    if not etag and last_modified is None:
        return response
    return get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )


class CacheHeadersMiddleware:
    """Right inside CompressionMiddleware: the body it hashes is the one before gzip, and every
    cookie (session, CSRF, messages) the inner middleware set is on the response already."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        self.set_cache_control(request, response)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.streaming
            and "no-store" not in cache_control(response)
        ):
            if not response.has_header("ETag"):
                response["ETag"] = _weak_etag(response)
            return conditional(request, response)
        return response

    @staticmethod
    def set_cache_control(request: HttpRequest, response: HttpResponse) -> None:
        directives = cache_control(response)
        if shareable(request, response):
            if not directives:
                patch_cache_control(
                    response,
                    public=True,
                    max_age=settings.HTTP_CACHE_MAX_AGE,
                    stale_while_revalidate=settings.HTTP_CACHE_STALE_WHILE_REVALIDATE,
                )
            if "private" not in cache_control(response):
                # Also on the 304 built from it: caches update their stored Vary from it.
                patch_vary_headers(response, ("Cookie", "HX-Request"))
                if compressible(response):
                    patch_vary_headers(response, ("Accept-Encoding",))
        elif signed_in(request):
            if not directives:
                patch_cache_control(response, private=True, no_store=True)
            elif "public" in directives:
                patch_cache_control(response, private=True)
        elif not directives:
            patch_cache_control(response, private=True, no_cache=True)
        elif "public" in directives:
            patch_cache_control(response, private=True)
