"""Demo content: the 1997 film and its sequel as reported in February 2024, seeded idempotently."""

import io
from datetime import date

import pytest
from PIL import Image

from films import demo_images
from films.demo import ORIGINAL_SLUG, SEQUEL_SLUG, seed_films
from films.models import (
    Character,
    Credit,
    CreditStatusChange,
    Department,
    Film,
    FilmStatus,
    Person,
    ProductionEvent,
    ReturnStatus,
)

pytestmark = pytest.mark.django_db

MODELS = [Film, Person, Character, Credit, CreditStatusChange, ProductionEvent]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seeding_twice_duplicates_nothing():
    seed_films()
    first = counts()
    seed_films()
    assert counts() == first


def test_pictures_are_drawn_once():
    seed_films()
    posters = {film.slug: film.poster.name for film in Film.objects.all()}
    seed_films()
    assert {film.slug: film.poster.name for film in Film.objects.all()} == posters
    assert all(person.headshot for person in Person.objects.all())


def test_the_original_has_its_facts_cast_and_crew():
    seed_films()
    film = Film.objects.get(slug=ORIGINAL_SLUG)
    assert (film.release_date, film.runtime_minutes, film.status) == (
        date(1997, 4, 25),
        92,
        FilmStatus.RELEASED,
    )
    assert "Ladies' Room" in film.based_on
    cast = film.credits.filter(department=Department.CAST).order_by("billing")
    assert cast.count() == 9
    assert (cast[0].person.name, cast[0].character.name) == ("Mira Sorvino", "Romy White")
    assert film.credits.get(department=Department.DIRECTING).person.name == "David Mirkin"
    assert film.credits.get(department=Department.WRITING).person.name == "Robin Schiff"


def test_the_sequel_is_in_development_with_the_february_2024_statuses():
    seed_films()
    sequel = Film.objects.get(slug=SEQUEL_SLUG)
    assert sequel.status == FilmStatus.IN_DEVELOPMENT
    assert sequel.sequel_to.slug == ORIGINAL_SLUG
    statuses = {
        (credit.person.name, credit.department): credit.status
        for credit in sequel.credits.select_related("person")
    }
    assert statuses == {
        ("Mira Sorvino", Department.CAST): ReturnStatus.CONFIRMED,
        ("Lisa Kudrow", Department.CAST): ReturnStatus.CONFIRMED,
        ("Alan Cumming", Department.CAST): ReturnStatus.EXPRESSED_INTEREST,
        ("Robin Schiff", Department.WRITING): ReturnStatus.CONFIRMED,
        ("Mira Sorvino", Department.PRODUCTION): ReturnStatus.CONFIRMED,
        ("Lisa Kudrow", Department.PRODUCTION): ReturnStatus.CONFIRMED,
    }
    assert CreditStatusChange.objects.filter(credit__film=sequel).count() == 6
    assert sequel.production_events.filter(happened_on=date(2024, 2, 9)).exists()


def test_seeded_rows_pass_their_own_validation():
    seed_films()
    checked = 0
    for model in [Film, Person, Character, Credit]:
        for obj in model.objects.all():
            obj.full_clean()  # raises ValidationError on any broken row
            checked += 1
    assert checked > 20


def test_demo_runs_again_after_the_news_demo_cited_its_post():
    """seed_news() points the sequel credits at its post; seeding films again adds no history."""
    from news.demo import seed_news

    seed_films()
    seed_news()
    before = counts()
    seed_films()
    assert counts() == before
    assert Credit.objects.filter(film__slug=SEQUEL_SLUG, source_post__isnull=False).exists()


@pytest.mark.parametrize(
    ("picture", "size"),
    [
        (lambda: demo_images.poster("A long film title to wrap", "1997"), (600, 900)),
        (lambda: demo_images.headshot("MS", "Mira Sorvino", (123, 45, 142)), (480, 600)),
        (lambda: demo_images.sticky_note(["Romy and", "Michele"], "in development"), (1600, 900)),
    ],
)
def test_demo_pictures_are_pngs_in_their_proportions(picture, size):
    image = Image.open(io.BytesIO(picture()))
    assert (image.format, image.size) == ("PNG", size)
