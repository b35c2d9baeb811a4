"""Which films a reader has seen, so spoilers for the others stay hidden.

A member's "seen" marks are SeenFilm rows; an anonymous visitor's are kept in a cookie, as film
ids joined by dots. Only a released film can be seen (the sequel, unreleased, never is).
The anonymous page caches (fansite.page_cache, comments.sections) key pages on the released
films in the cookie, so a cached page is only ever served to visitors with the same marks.

Readers who have not seen a film get its marked threads listed with the title blurred and its
marked comments collapsed (the templates ask `hides`); email shows neither (`email_safe_body`).
"""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from comments.caching import thread_changed
from comments.markdown import hide_spoilers
from comments.models import Comment, SeenFilm, Thread
from films.models import Film

SEEN_COOKIE = "seen_films"
# A cookie naming more films than this is cut short: nobody needs more, and every different
# cookie is another copy of a cached page.
SEEN_COOKIE_MAX_FILMS = 50
SEEN_COOKIE_MAX_AGE = 400 * 24 * 60 * 60  # The longest browsers keep a cookie.
RELEASED_KEY = "spoilers:released-films"
# A film's status changing shows this much later in what anonymous visitors' cookies count;
# the page caches key on the same answer the pages read (anonymous_seen_ids), so a page
# cached meanwhile is never shown to a visitor who should see another.
RELEASED_SECONDS = 60


def seen_ids_from_cookie(request: HttpRequest) -> tuple[int, ...]:
    """The film ids in the visitor's cookie, sorted and without repeats; junk is ignored."""
    raw = request.COOKIES.get(SEEN_COOKIE, "")
    ids = {int(part) for part in raw.split(".") if part.isdigit() and len(part) < 10}
    return tuple(sorted(ids))[:SEEN_COOKIE_MAX_FILMS]


def released_film_ids() -> frozenset[int]:
    """The films that can be seen (Film.is_released), cached a minute: the anonymous page
    cache asks on every request with a seen cookie."""
    ids = cache.get(RELEASED_KEY)
    if ids is None:
        films = Film.objects.only("pk", "status")
        ids = frozenset(film.pk for film in films if film.is_released)
        cache.set(RELEASED_KEY, ids, RELEASED_SECONDS)
    return ids


def anonymous_seen_ids(request: HttpRequest) -> tuple[int, ...]:
    """The released films in the visitor's cookie, sorted: what an anonymous page shows
    depends on these alone, so the page caches key on them (an id of an unreleased film, or of
    no film at all, makes no other copy). Once per request: the key and the page agree."""
    if not hasattr(request, "_anonymous_seen_ids"):
        released = released_film_ids() if request.COOKIES.get(SEEN_COOKIE) else frozenset()
        ids = tuple(pk for pk in seen_ids_from_cookie(request) if pk in released)
        request._anonymous_seen_ids = ids
    return request._anonymous_seen_ids


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
        seen = frozenset(anonymous_seen_ids(request))
    request._seen_film_ids = seen
    return seen


def has_seen(request: HttpRequest, film) -> bool:
    """Whether the reader has seen this film. Never an unreleased one, whatever a cookie (or
    a row made before the film's status changed) says."""
    return film is not None and film.is_released and film.pk in seen_film_ids(request)


def hides(request: HttpRequest, item) -> bool:
    """Whether a thread's or comment's spoilers are kept from this reader: not from its own
    writer. Load `spoilers_for` with the item (select_related): this reads it for every marked
    row of a list."""
    if item.spoilers_for_id is None:
        return False
    writer_id = item.author_id if isinstance(item, Comment) else item.starter_id
    if request.user.is_authenticated and writer_id == request.user.pk:
        return False
    return not has_seen(request, item.spoilers_for)


# Writes -----------------------------------------------------------------------------------------


def _refuse_unreleased(film: Film) -> None:
    if not film.is_released:
        raise ValidationError(f"{film.title} is not released yet: nobody has seen it.")


@transaction.atomic
def film_seen_set(*, user, film: Film, seen: bool) -> bool:
    """A member marks a film seen (its spoilers show) or not seen. Only a released film can be
    seen. Sending the same choice twice leaves the same state as once. Returns `seen`."""
    if seen:
        _refuse_unreleased(film)
        SeenFilm.objects.get_or_create(user=user, film=film)
    else:
        SeenFilm.objects.filter(user=user, film=film).delete()
    return seen


def seen_cookie_value(request: HttpRequest, film: Film, *, seen: bool) -> str:
    """An anonymous visitor's cookie with this film added or taken away."""
    ids = set(seen_ids_from_cookie(request))
    if seen:
        _refuse_unreleased(film)
        if film.pk not in released_film_ids():  # Released within the minute: count it now.
            cache.delete(RELEASED_KEY)
        ids.add(film.pk)
    else:
        ids.discard(film.pk)
    return ".".join(map(str, sorted(ids)[:SEEN_COOKIE_MAX_FILMS]))


@transaction.atomic
def comment_spoilers_set(*, comment: Comment, film: Film | None) -> Comment:
    """A moderator's or editor's correction of a comment's mark (the admin); the author changes
    it with the text (services.comment_edit)."""
    comment.spoilers_for = film
    comment.save(update_fields=["spoilers_for"])
    thread_changed(comment.thread_id)
    return comment


# Email, where no reveal button works -----------------------------------------------------------


def _seen_by(user, film) -> bool:
    return (
        user is not None
        and film.is_released
        and SeenFilm.objects.filter(user=user, film=film).exists()
    )


def email_safe_body(comment: Comment, *, recipient=None) -> str:
    """A comment's text for a notification email: a comment marked as giving a film away says
    only that (so does one in a discussion marked so), unless the recipient has seen the film;
    inline ||spoilers|| never show."""
    film = comment.spoilers_for or comment.thread.spoilers_for
    if film is not None and not _seen_by(recipient, film):
        return f"This comment contains spoilers for {film.title}."
    return hide_spoilers(comment.body)


def email_safe_thread_title(thread: Thread, *, recipient=None) -> str:
    """A discussion's title for an email's subject or text, with the same rule."""
    film = thread.spoilers_for
    if film is not None and not _seen_by(recipient, film):
        return f"a discussion with spoilers for {film.title}"
    return thread.title
