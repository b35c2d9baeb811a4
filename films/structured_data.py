"""schema.org JSON-LD for film and person pages, built as dicts from what the page loaded."""

from django.http import HttpRequest

from accounts.absolute_urls import absolute_url
from films.models import Department, Film, Person, ReturnStatus


def _person_ref(person: Person, request: HttpRequest | None) -> dict:
    return {
        "@type": "Person",
        "name": person.name,
        "url": absolute_url(person.get_absolute_url(), request),
    }


def film_json_ld(film: Film, request: HttpRequest | None = None) -> dict:
    """schema.org Movie (reads the credits `Film.objects.for_detail()` prefetched); URLs on the
    request's host."""
    # For a film not yet released, only confirmed people: a rumour is not a credit.
    credits = [c for c in film.credits.all() if c.status in ("", ReturnStatus.CONFIRMED)]
    data = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": film.title,
        "url": absolute_url(film.get_absolute_url(), request),
        "description": film.synopsis,
        "datePublished": film.release_date.isoformat() if film.release_date else None,
        "duration": f"PT{film.runtime_minutes}M" if film.runtime_minutes else None,
        "director": [
            _person_ref(c.person, request) for c in credits if c.department == Department.DIRECTING
        ],
        "author": [
            _person_ref(c.person, request) for c in credits if c.department == Department.WRITING
        ],
        "actor": [
            _person_ref(c.person, request) for c in credits if c.department == Department.CAST
        ],
        "productionCompany": (
            {"@type": "Organization", "name": film.distributor} if film.distributor else None
        ),
        "isBasedOn": {"@type": "CreativeWork", "name": film.based_on} if film.based_on else None,
    }
    if film.sequel_to and not film.based_on:
        data["isBasedOn"] = {
            "@type": "Movie",
            "name": film.sequel_to.title,
            "url": absolute_url(film.sequel_to.get_absolute_url(), request),
        }
    if film.poster:
        data["image"] = absolute_url(film.poster.url, request)
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def person_json_ld(person: Person, request: HttpRequest | None = None) -> dict:
    """schema.org Person, its URLs on the request's host."""
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": person.name,
        "url": absolute_url(person.get_absolute_url(), request),
        "description": person.bio,
        "birthDate": person.birth_date.isoformat() if person.birth_date else None,
    }
    if person.headshot:
        data["image"] = absolute_url(person.headshot.url, request)
    return {key: value for key, value in data.items() if value not in (None, "", [])}
