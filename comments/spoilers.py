"""Which films a reader has seen, so spoilers for the others stay hidden.

A member's "seen" marks are SeenFilm rows; an anonymous visitor's are kept in a cookie, as film
ids joined by dots. Only a released film can be seen (the sequel, unreleased, never is).
The anonymous page cache keys pages on the cookie (fansite.page_cache), so a cached page is
only ever served to visitors with the same marks.
"""

from django.http import HttpRequest

from comments.models import SeenFilm

SEEN_COOKIE = "seen_films"
# A cookie naming more films than this is cut short: nobody needs more, and every different
# cookie is another copy of a cached page.
SEEN_COOKIE_MAX_FILMS = 50


def seen_ids_from_cookie(request: HttpRequest) -> tuple[int, ...]:
    """The film ids in the visitor's cookie, sorted and without repeats; junk is ignored."""
    raw = request.COOKIES.get(SEEN_COOKIE, "")
    ids = {int(part) for part in raw.split(".") if part.isdigit() and len(part) < 10}
    return tuple(sorted(ids))[:SEEN_COOKIE_MAX_FILMS]


def seen_film_ids(request: HttpRequest) -> frozenset[int]:
    """The films this reader has marked seen: one query for a member, once per request."""
    cached = getattr(request, "_seen_film_ids", None)
    if cached is not None:
        return cached
    if request.user.is_authenticated:
        seen = frozenset(
            SeenFilm.objects.filter(user=request.user).values_list("film_id", flat=True)
        )
    else:
        seen = frozenset(seen_ids_from_cookie(request))
    request._seen_film_ids = seen
    return seen
