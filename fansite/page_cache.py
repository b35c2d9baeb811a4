"""Whole-page caching for anonymous visitors, retired by any write.

Every cached page's key holds a site-wide version number; saving or deleting any row of our
apps bumps the version, so the next visitor gets a fresh page. QuerySet.update() sends no
signal: a write that changes what visitors see goes through save() (counters updated with F()
ride along with the row whose save they count). Nothing is kept per process: with
Redis configured, every worker on every host shares the cache and the version. Time-based
changes (a scheduled post falling due) show within PAGE_CACHE_SECONDS.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse

VERSION_KEY = "page-cache-version"
WATCHED_APPS = {"accounts", "films", "news", "comments"}
SKIPPED_PREFIXES = ("/admin/", "/accounts/", "/healthz", "/static/", "/media/")


def current_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def retire_cached_pages() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # the key was evicted or never set
        cache.set(VERSION_KEY, 1, timeout=None)


def retire_on_write(sender, **kwargs) -> None:
    """Signal receiver for post_save, post_delete and m2m_changed of every model."""
    if sender._meta.app_label in WATCHED_APPS:
        # After commit: bumped earlier, a concurrent request could cache the old rows under
        # the new version.
        transaction.on_commit(retire_cached_pages)


def _key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"page:{current_version()}:{request.method}:{path}"


def _has_pending_messages(request: HttpRequest) -> bool:
    return "messages" in request.COOKIES or "_messages" in getattr(request, "session", {})


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(SKIPPED_PREFIXES)
        and not request.headers.get("HX-Request")
        and not request.user.is_authenticated
        and not _has_pending_messages(request)
    )


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        # A page holding this visitor's CSRF token must not be shown to anyone else.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.cookies
        and not response.streaming
        and "private" not in cache_control
        and "no-cache" not in cache_control
    )


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if _cacheable_response(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, response, seconds)
        response["X-Page-Cache"] = "miss"
        return response
