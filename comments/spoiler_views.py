"""A reader marks a film seen, or not seen again, so its spoilers show (comments.spoilers).

Members keep the mark as a SeenFilm row; their pages are never cached and carry a CSRF token,
checked as for every form. Anonymous visitors keep it in a cookie, and their pages are cached
and shared, so those cannot carry a token (a page holding one is never cached:
fansite.page_cache). What a forged mark could do is spoil a visitor from another site, so an
anonymous mark is taken when the browser says it was sent from one of our pages
(`Sec-Fetch-Site: same-origin`, or else an `Origin` of this site, as every current browser
sends on a POST). Without that word (a privacy tool strips the headers, an old browser, a form
on another site) the visitor gets a small page asking them to confirm, which carries a token,
and its form is checked as any other.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from comments import spoilers
from comments.permissions import safe_next
from films.models import Film

# What the form asks for: "1" seen, "0" not seen. The same form sent twice leaves one state.
SEEN_WANTED = {"1": True, "0": False}


def _from_our_pages(request: HttpRequest) -> bool:
    """Whether the browser says the request was sent by a page of this site."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin")
    return origin is not None and (
        origin == f"{request.scheme}://{request.get_host()}"
        or origin in settings.CSRF_TRUSTED_ORIGINS
    )


def _csrf_refusal(request: HttpRequest) -> HttpResponse | None:
    """Django's CSRF check, as the middleware would have made it: None when the token is good."""
    return CsrfViewMiddleware(lambda request: HttpResponse()).process_view(request, None, (), {})


def _confirm(
    request: HttpRequest, film: Film, *, seen: bool, error: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "film": film,
        "seen": seen,
        "error": error,
        "back": safe_next(request, film.get_absolute_url()),
    }
    return render(request, "comments/seen_confirm.html", context, status=status)


@csrf_exempt  # Checked below: a token for members and confirmations, the browser's word else.
@require_http_methods(["GET", "POST"])
def film_seen(request: HttpRequest, film_id: int) -> HttpResponse:
    film = get_object_or_404(Film, pk=film_id)
    seen = SEEN_WANTED.get(request.POST.get("seen") or request.GET.get("seen", "1"))
    if seen is None:
        return _confirm(request, film, seen=True, status=400, error="Say seen or not seen.")
    if request.method == "GET":  # Only asks: a GET never writes.
        return _confirm(request, film, seen=seen)
    anonymous = not request.user.is_authenticated
    if not (anonymous and _from_our_pages(request)) and (refusal := _csrf_refusal(request)):
        return _confirm(request, film, seen=seen) if anonymous else refusal
    response = redirect(safe_next(request, film.get_absolute_url()))
    try:
        if anonymous:
            value = spoilers.seen_cookie_value(request, film, seen=seen)
        else:
            spoilers.film_seen_set(user=request.user, film=film, seen=seen)
    except ValidationError as error:
        return _confirm(request, film, seen=seen, status=400, error=error.messages[0])
    if anonymous and not value:
        response.delete_cookie(spoilers.SEEN_COOKIE, samesite="Lax")
    elif anonymous:
        response.set_cookie(
            spoilers.SEEN_COOKIE,
            value,
            max_age=spoilers.SEEN_COOKIE_MAX_AGE,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response
