"""A version number for the list of films, bumped whenever a film is saved or deleted, so that
a cached piece of a page that lists films (the comment form's "Contains spoilers for" select)
keys on it and is never shown with a film missing, renamed or out of order.

Bumped at once, for the rest of this transaction (and the tests, which never commit), and again
after commit: between the two a concurrent request could cache the old list under the first
new number.
A version lost (the cache flushed) starts again from the clock, above any number it had, so a
copy kept in a worker's memory under an old one never matches again.
"""

import time

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "films:list-version"


def films_version() -> int:
    return cache.get_or_set(VERSION_KEY, time.time_ns, timeout=None)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # Not cached yet (or lost): a version from the clock is above any old.
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def film_list_changed(sender, **kwargs) -> None:
    """Receiver of Film's post_save and post_delete."""
    _bump()
    transaction.on_commit(_bump)
