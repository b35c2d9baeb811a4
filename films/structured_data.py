"""schema.org JSON-LD for film and person pages, built as dicts from what the page loaded."""

from django.conf import settings

from films.models import Department, Film, Person, ReturnStatus


def absolute(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return f"{settings.SITE_URL}{url}"


def _person_ref(person: Person) -> dict:
    return {"@type": "Person", "name": person.name, "url": absolute(person.get_absolute_url())}


def film_json_ld(film: Film) -> dict:
    """schema.org Movie (reads the credits `Film.objects.for_detail()` prefetched)."""
    # For a film not yet released, only confirmed people: a rumour is not a credit.
    credits = [c for c in film.credits.all() if c.status in ("", ReturnStatus.CONFIRMED)]
    data = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": film.title,
        "url": absolute(film.get_absolute_url()),
        "description": film.synopsis,
        "datePublished": film.release_date.isoformat() if film.release_date else None,
        "duration": f"PT{film.runtime_minutes}M" if film.runtime_minutes else None,
        "director": [
            _person_ref(c.person) for c in credits if c.department == Department.DIRECTING
        ],
        "author": [_person_ref(c.person) for c in credits if c.department == Department.WRITING],
        "actor": [_person_ref(c.person) for c in credits if c.department == Department.CAST],
        "productionCompany": (
            {"@type": "Organization", "name": film.distributor} if film.distributor else None
        ),
        "isBasedOn": {"@type": "CreativeWork", "name": film.based_on} if film.based_on else None,
    }
    if film.sequel_to and not film.based_on:
        data["isBasedOn"] = {
            "@type": "Movie",
            "name": film.sequel_to.title,
            "url": absolute(film.sequel_to.get_absolute_url()),
        }
    if film.poster:
        data["image"] = absolute(film.poster.url)
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def person_json_ld(person: Person) -> dict:
    """schema.org Person."""
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": person.name,
        "url": absolute(person.get_absolute_url()),
        "description": person.bio,
        "birthDate": person.birth_date.isoformat() if person.birth_date else None,
    }
    if person.headshot:
        data["image"] = absolute(person.headshot.url)
    return {key: value for key, value in data.items() if value not in (None, "", [])}
