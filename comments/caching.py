"""The cache design, in one place.

Anonymous visitors are served from two caches, and neither is ever cleared key by key: each
cached entry's key holds a version number, and a write retires entries by bumping the version
(one key), so no writer needs to know which pages were cached.

- Whole pages (fansite.page_cache): one site-wide version. It is bumped after commit by
  `content_changed`, which every discussion write sends through `thread_changed()` below, and,
  as a net for plain admin edits of films, people and news, by post_save, post_delete and
  m2m_changed of our apps' models.
- Comment sections (the comments of one thread, per order and page, in this module): one
  version per thread, bumped by `thread_changed()`.

Outside the site, browsers and CDNs keep anonymous pages for HTTP_CACHE_MAX_AGE seconds
(fansite.http_cache): a write shows there once that lifetime is over (plus one answer served
stale while it is fetched again), not at once. The page cache stores only what that module made
public, so both keep the same pages.

Every write to a discussion goes through comments.services, and each service that changes what
a thread shows ends with one call to `thread_changed(thread_id)`. Services may therefore write
with QuerySet.update() (counters with F()) without thinking of caches; views, the admin and
commands never bump a version themselves. Versions are bumped after commit: bumped earlier, a
concurrent request could cache the old rows under the new version. The versions are kept in the
shared cache, so with Redis every worker on every host sees the same ones. A version lost (the
cache flushed, an entry culled) starts again from the clock, above any number it had: copies a
worker keeps in memory under the old numbers (comments.fragments) never match again.

Members' pages are not kept whole, but two of their parts are (in the `pages` cache, which may
evict them: pieces()):
- A page of a thread's comments (comments.sections), under the thread's version and a key made
  of everything the section shows of how the reader relates to it, so members alike share it.
- The header's count of unread notifications, one entry per member, deleted whenever that
  member's notifications are written (comments.models.NotificationQuerySet and Notification
  see to it, for every writer) and kept UNREAD_COUNT_SECONDS at most: a comment hidden or a
  post unpublished takes its notifications out of the count that much later (the notifications
  page itself always shows the truth).
"""

import time
from functools import partial

from django.core.cache import cache, caches
from django.db import transaction
from django.dispatch import Signal

# Sent after commit whenever what visitors see has changed; fansite's page cache listens.
content_changed = Signal()
UNREAD_COUNT_SECONDS = 30


def _version_key(thread_id: int) -> str:
    return f"comments:thread:{thread_id}:version"


def thread_version(thread_id: int) -> int:
    return cache.get_or_set(_version_key(thread_id), time.time_ns, timeout=None)


def _bump_thread_version(thread_id: int) -> None:
    try:
        cache.incr(_version_key(thread_id))
    except ValueError:  # Not cached yet (or lost): a version from the clock retires them all.
        cache.set(_version_key(thread_id), time.time_ns(), timeout=None)


def _retire(thread_ids: tuple[int, ...]) -> None:
    for thread_id in thread_ids:
        _bump_thread_version(thread_id)
    content_changed.send(sender=None)


def thread_changed(*thread_ids: int) -> None:
    """Retire the cached sections of these threads, and cached pages, once the write commits."""
    transaction.on_commit(partial(_retire, thread_ids))


def pieces():
    """The cache that keeps pieces of pages (comment sections, unread counts): the `pages`
    alias, which may evict them (settings.CACHES), unlike the versions in `default`."""
    return caches["pages"]


def unread_count_key(user_id: int) -> str:
    return f"comments:unread:{user_id}"


def notifications_changed(recipient_ids) -> None:
    """Forget these members' unread counts: at once, for the rest of this transaction (and the
    tests, which never commit), and again after commit, when a request that counted meanwhile
    may have kept the old count."""
    keys = [unread_count_key(user_id) for user_id in set(recipient_ids)]
    if keys:
        pieces().delete_many(keys)
        transaction.on_commit(partial(pieces().delete_many, keys))
