"""Whole-page caching for anonymous visitors, retired by any write.

The cache design as a whole (this cache and the comment sections', and who retires what) is
described once, in comments.caching. Here: every cached page's key holds a site-wide version
number, bumped after commit by comments.caching.content_changed (every discussion service) and
by saving or deleting any row of our apps (admin edits of films, people and news), so the next
visitor gets a fresh page. Nothing is kept per process: with Redis configured, every worker on
every host shares the cache and the version. Time-based changes (a scheduled post falling due)
show within PAGE_CACHE_SECONDS.

A page is keyed on its method, host, path, the films the visitor marked seen (their spoilers
show: comments.spoilers) and only the query parameters pages read, each as the page resolves
it: any other parameter (`utm_source`, a random cache-buster) is served the cached page, so a
visitor cannot fill the cache with copies of one page. The seen films count only when they are
released films (comments.spoilers.anonymous_seen_ids): a forged cookie makes no copy either.
The colour theme chosen (fansite.theme) counts the same way: light, dark or none.
The pages themselves live in the `pages` cache (a Redis that may evict them); the version stays
in `default`.
"""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from comments.models import CommentSort
from comments.spoilers import anonymous_seen_ids
from fansite.theme import chosen_theme

VERSION_KEY = "page-cache-version"
WATCHED_APPS = {"accounts", "films", "news", "comments"}
# Rows no anonymous page shows: a member marking a film seen must not retire every cached page.
UNWATCHED_MODELS = {"comments.seenfilm"}
SKIPPED_PREFIXES = ("/admin/", "/accounts/", "/healthz", "/static/", "/media/")
# Paginated pages past this one are served uncached: each page number would be another copy.
MAX_CACHED_PAGE = 100
# What the search page reads of `q` (fansite.views.search).
SEARCH_QUERY_LENGTH = 200


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
    if sender._meta.app_label in WATCHED_APPS and sender._meta.label_lower not in UNWATCHED_MODELS:
        # After commit: bumped earlier, a concurrent request could cache the old rows under
        # the new version.
        transaction.on_commit(retire_cached_pages)


def _page_number(raw: str | None) -> int | None:
    """The page a paginator shows for `raw` (not a number: the first), or None when past
    MAX_CACHED_PAGE or below 1 (the last page, whose number only the view knows)."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= MAX_CACHED_PAGE else None


def _cached_query(request: HttpRequest, page: int) -> str:
    """The parameters the page reads, normalised, in a fixed order; the rest are ignored."""
    query = {}
    if (sort := request.GET.get("sort")) in CommentSort.values:  # others show the default
        query["sort"] = sort
    if page > 1:
        query["page"] = page
    if request.path == reverse("search"):
        query["q"] = " ".join(request.GET.get("q", "")[:SEARCH_QUERY_LENGTH].split())
    if seen := anonymous_seen_ids(request):  # spoilers shown differently: another copy
        query["seen"] = ".".join(map(str, seen))
    if theme := chosen_theme(request):  # <html data-theme> differs: another copy
        query["theme"] = theme
    return urlencode(sorted(query.items()))


def _key(request: HttpRequest, page: int) -> str:
    url = f"{request.scheme}://{request.get_host()}{request.path}?{_cached_query(request, page)}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"page:{current_version()}:{request.method}:{digest}"


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
        page = _page_number(request.GET.get("page"))
        if page is None:
            return self.get_response(request)
        key = _key(request, page)
        pages = caches["pages"]
        cached = pages.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if _cacheable_response(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            pages.set(key, response, seconds)
        response["X-Page-Cache"] = "miss"
        return response
