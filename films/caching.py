"""A version number for the list of films, bumped whenever a film is saved or deleted, so that
a cached piece of a page that lists films (the comment form's "Contains spoilers for" select)
keys on it and is never shown with a film missing, renamed or out of order.

Bumped at once, for the rest of this transaction (and the tests, which never commit), and again
after commit: between the two a concurrent request could cache the old list under the first
new number.
"""

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "films:list-version"


def films_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # Not cached yet (or evicted): any new number retires the old entries.
        cache.set(VERSION_KEY, 2, timeout=None)


def film_list_changed(sender, **kwargs) -> None:
    """Receiver of Film's post_save and post_delete."""
    _bump()
    transaction.on_commit(_bump)
