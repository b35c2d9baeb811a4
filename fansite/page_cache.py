"""Whole-page caching for anonymous visitors, retired by any write.

The cache design as a whole (this cache and the comment sections', and who retires what) is
described once, in comments.caching. Here: every cached page is stored with a site-wide
version number, bumped after commit by comments.caching.content_changed (every discussion
service) and by saving or deleting any row of our apps (admin edits of films, people and news);
a page stored under another version is a miss, so the next visitor gets a fresh page. Nothing
is kept per process: with Redis configured, every worker on every host shares the cache and the
version. Time-based changes (a scheduled post falling due) show within PAGE_CACHE_SECONDS.

A page is keyed on its method, host, path, the films the visitor marked seen (their spoilers
show: comments.spoilers) and only the query parameters pages read, each as the page resolves
it: any other parameter (`utm_source`, a random cache-buster) is served the cached page, so a
visitor cannot fill the cache with copies of one page. The seen films count only when they are
released films (comments.spoilers.anonymous_seen_ids): a forged cookie makes no copy either.
The colour theme chosen (fansite.theme) counts the same way: light, dark or none.
The pages and the version live in the `pages` cache (a Redis that may evict them), so that a hit
reads both at once: one round trip to Redis. A version lost there (evicted, culled) starts again
from the clock, above any earlier one: losing it costs the stored pages, never serves an old one.

Served early: the middleware sits right after SecurityMiddleware, so a hit skips sessions,
authentication, CSRF, CSP, compression and the view. Only a request that is anonymous by what
it carries alone is looked up there: no session cookie (a visitor without one cannot be signed
in), no messages cookie, a GET or HEAD of a public address, not htmx. A request with a session
cookie goes the long way and is never served or stored here. What is stored is the answer as
it left the inner middleware, headers and all (CSP, X-Frame-Options, Cache-Control, Vary,
ETag), one copy per encoding: the gzipped one is stored gzipped. A hit is that one read and
the stored bytes sent back: nothing is compressed, hashed or rendered again. A page stored here
holds nothing of one visitor (no CSRF token, no session, fansite.http_cache), so reusing one
random gzip header is no BREACH oracle: there is no secret to guess. Only answers fansite.http_cache
made public are stored, so the page cache and a CDN keep the same pages. A conditional GET is
answered 304 from the stored ETag or Last-Modified.

The key also holds the static manifest's hash: a deploy that changed CSS or JavaScript
(collectstatic, new hashed names) retires every page stored before it, which would name the
old files, while the file-based cache and the version outlive the restart.
"""

import functools
import hashlib
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.urls import NoReverseMatch, get_urlconf, reverse

from comments.models import CommentSort
from comments.spoilers import anonymous_seen_ids
from fansite.http_cache import cache_control, conditional, shareable_request
from fansite.theme import chosen_theme

VERSION_KEY = "page-cache-version"
WATCHED_APPS = {"accounts", "films", "news", "comments"}
# Rows no anonymous page shows: a member marking a film seen must not retire every cached page.
UNWATCHED_MODELS = {"comments.seenfilm"}
# Paginated pages past this one are served uncached: each page number would be another copy.
MAX_CACHED_PAGE = 100
# What the search page reads of `q` (fansite.views.search).
SEARCH_QUERY_LENGTH = 200
# Ours, not the answer's: told apart on the way out, never stored.
HIT_HEADER = "X-Page-Cache"
# CommentSort.values builds a list on every call; a page-cache key is made on every request.
SORTS = frozenset(CommentSort.values)


def _start_version(pages) -> int:
    """A version where there is none (never set, evicted, culled, cleared): the clock in
    nanoseconds, above any version counted up from an earlier start, so no page stored before
    the loss is served again. If another worker started one first, theirs."""
    version = time.time_ns()
    if pages.add(VERSION_KEY, version, timeout=None):
        return version
    theirs = pages.get(VERSION_KEY)
    if theirs is None:  # gone again, or there but unreadable: without this, every hit a miss
        pages.set(VERSION_KEY, version, timeout=None)
        return version
    return theirs


def retire_cached_pages() -> None:
    pages = caches["pages"]
    try:
        pages.incr(VERSION_KEY)
    except ValueError:  # the key was evicted or never set: a new start retires all the same
        _start_version(pages)


def retire_on_write(sender, **kwargs) -> None:
    """Signal receiver for post_save, post_delete and m2m_changed of every model."""
    if sender._meta.app_label in WATCHED_APPS and sender._meta.label_lower not in UNWATCHED_MODELS:
        # After commit: bumped earlier, a concurrent request could cache the old rows under
        # the new version.
        transaction.on_commit(retire_cached_pages)


def static_version() -> str:
    """The static manifest's hash (staticfiles.json, read once per process by the storage),
    empty without a manifest (development, tests): a deploy with new static files gets new
    keys. Django resets the storage when a test changes STORAGES or STATIC_ROOT."""
    return getattr(staticfiles_storage, "manifest_hash", "") or ""


@functools.lru_cache
def _search_path(urlconf: str) -> str | None:
    try:
        return reverse("search", urlconf=urlconf)
    except NoReverseMatch:  # a test's own URLs
        return None


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
    if (sort := request.GET.get("sort")) in SORTS:  # others show the default
        query["sort"] = sort
    if page > 1:
        query["page"] = page
    # An empty or blank `q` is the search page without one: one copy.
    if (
        q := " ".join(request.GET.get("q", "")[:SEARCH_QUERY_LENGTH].split())
    ) and request.path == _search_path(get_urlconf() or settings.ROOT_URLCONF):
        query["q"] = q
    if seen := anonymous_seen_ids(request):  # spoilers shown differently: another copy
        query["seen"] = ".".join(map(str, seen))
    if theme := chosen_theme(request):  # <html data-theme> differs: another copy
        query["theme"] = theme
    return urlencode(sorted(query.items()))


def _key(request: HttpRequest, page: int) -> str:
    url = f"{request.scheme}://{request.get_host()}{request.path}?{_cached_query(request, page)}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    # The gzipped answer is stored as it went out; a client without gzip gets the plain copy.
    environ = request.META  # not request.headers: on a hit, nothing else would build it
    encoding = "gzip" if re_accepts_gzip.search(environ.get("HTTP_ACCEPT_ENCODING", "")) else ""
    # No version here: it is in the entry, so that one read of the cache brings both.
    return f"page:{static_version()}:{request.method}:{encoding}:{digest}"


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    """Only what fansite.http_cache made public: no cookie, no CSRF token, no member."""
    directives = cache_control(response)
    return (
        response.status_code == 200
        and not response.cookies
        # Checked there too; here as well, as a page holding a CSRF token gives it away.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.streaming
        and "public" in directives
        and not directives & {"private", "no-store", "no-cache"}
    )


def _entry(response: HttpResponse, version: int) -> dict:
    """The answer as it will go out again: final bytes (gzipped or not), headers, ETag; and
    the version it was rendered under."""
    return {
        "version": version,
        "status": response.status_code,
        # As ResponseHeaders keeps them (lowercased name: (name, value)), checked once here.
        "headers": {
            name.lower(): (name, value)
            for name, value in response.headers.items()
            if name != HIT_HEADER
        },
        "content": response.content,
    }


def _from_entry(request: HttpRequest, entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    # Copied in whole rather than set one by one: the names and values were checked when the
    # answer was first made, and checking them again on every hit cost a tenth of the hit.
    response.headers._store = dict(entry["headers"])
    environ = request.META  # not request.headers: on a hit, nothing else would build it
    if "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ:
        response = conditional(request, response)
    response[HIT_HEADER] = "hit"
    return response


class AnonymousPageCacheMiddleware:
    """Right after SecurityMiddleware (HTTPS redirect and security headers stay Django's,
    on hits too); see the module's docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not shareable_request(request):
            return self.get_response(request)
        page = _page_number(request.GET.get("page"))
        if page is None:
            return self.get_response(request)
        try:
            key = _key(request, page)
        except DisallowedHost:
            return self.get_response(request)  # refused further in, as every other request
        pages = caches["pages"]
        # One read (one round trip to Redis): the version and the page together.
        found = pages.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        if version is None:
            version = _start_version(pages)
        entry = found.get(key)
        if entry is not None and entry.get("version") == version:
            return _from_entry(request, entry)
        # Read before the view runs: a write committed while it renders retires this copy.
        response = self.get_response(request)
        if _cacheable_response(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            pages.set(key, _entry(response, version), seconds)
        response[HIT_HEADER] = "miss"
        return response
