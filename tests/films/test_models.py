"""Integrity rules: named database constraints, and the same rules in clean() for editors."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from films.models import Credit, Department, Film, FilmStatus, Person, ReturnStatus
from tests.factories import make_character, make_credit, make_film, make_person, make_sequel

pytestmark = pytest.mark.django_db


def messages(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


def test_released_film_without_release_date_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        Film.objects.create(title="T", slug="t", status=FilmStatus.RELEASED, release_date=None)


def test_unreleased_film_may_have_no_release_date():
    film = Film.objects.create(title="T", slug="t", status=FilmStatus.IN_DEVELOPMENT)
    film.full_clean()
    assert film.release_date is None


def test_clean_explains_a_released_film_needs_its_release_date():
    film = Film(title="T", slug="t", status=FilmStatus.RELEASED)
    with pytest.raises(ValidationError) as caught:
        film.full_clean()
    assert "A released film needs its release date." in messages(caught.value)["release_date"]


def test_film_cannot_be_its_own_sequel_in_the_database():
    film = make_film()
    film.sequel_to = film
    with pytest.raises(IntegrityError):
        film.save()


def test_clean_explains_a_film_cannot_be_its_own_sequel():
    film = make_film()
    film.sequel_to = film
    with pytest.raises(ValidationError) as caught:
        film.full_clean()
    assert "A film cannot be a sequel to itself." in messages(caught.value)["sequel_to"]


def test_a_film_may_be_the_sequel_of_another():
    sequel = make_sequel()
    sequel.full_clean()
    assert sequel.sequel_to.sequels.get() == sequel


def test_crew_credit_naming_a_character_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        Credit.objects.create(
            film=make_film(),
            person=make_person(),
            department=Department.DIRECTING,
            job="Director",
            character=make_character(),
        )


def test_clean_explains_only_cast_credits_name_a_character():
    credit = Credit(
        film=make_film(),
        person=make_person(),
        department=Department.WRITING,
        job="Screenplay",
        character=make_character(),
    )
    with pytest.raises(ValidationError) as caught:
        credit.full_clean()
    assert "Only cast credits can name a character." in messages(caught.value)["character"]


def test_cast_credit_may_name_a_character():
    credit = make_credit(department=Department.CAST)
    credit.full_clean()
    assert credit.character is not None


def test_crew_credit_without_a_job_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        Credit.objects.create(film=make_film(), person=make_person(), department="directing")


def test_clean_asks_for_the_job_of_a_crew_credit():
    credit = Credit(film=make_film(), person=make_person(), department=Department.PRODUCTION)
    with pytest.raises(ValidationError) as caught:
        credit.full_clean()
    assert "job" in messages(caught.value)


def test_same_person_cannot_play_the_same_character_twice_in_a_film():
    credit = make_credit()
    with pytest.raises(IntegrityError):
        Credit.objects.create(
            film=credit.film, person=credit.person, character=credit.character, department="cast"
        )


def test_clean_explains_a_duplicate_cast_role():
    credit = make_credit()
    duplicate = Credit(
        film=credit.film, person=credit.person, character=credit.character, department="cast"
    )
    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert "This person already plays this character in this film." in str(caught.value)


def test_same_person_may_play_two_characters():
    credit = make_credit()
    other = Credit(
        film=credit.film, person=credit.person, character=make_character(), department="cast"
    )
    other.full_clean()
    other.save()
    assert credit.film.credits.count() == 2


def test_same_crew_job_twice_is_refused_by_the_database():
    film, person = make_film(), make_person()
    make_credit(film=film, person=person, department=Department.DIRECTING, job="Director")
    with pytest.raises(IntegrityError):
        Credit.objects.create(film=film, person=person, department="directing", job="Director")


def test_one_person_may_have_two_jobs_on_a_film():
    film, person = make_film(), make_person()
    make_credit(film=film, person=person, department=Department.WRITING, job="Screenplay")
    other = Credit(film=film, person=person, department=Department.PRODUCTION, job="Producer")
    other.full_clean()
    other.save()
    assert film.credits.filter(person=person).count() == 2


def test_clean_refuses_a_status_on_a_released_film():
    credit = Credit(
        film=make_film(status=FilmStatus.RELEASED),
        person=make_person(),
        character=make_character(),
        status=ReturnStatus.CONFIRMED,
    )
    with pytest.raises(ValidationError) as caught:
        credit.full_clean()
    assert "only for films not yet released" in messages(caught.value)["status"][0]


def test_a_film_not_yet_released_takes_a_status():
    credit = Credit(
        film=make_sequel(),
        person=make_person(),
        character=make_character(),
        status=ReturnStatus.IN_TALKS,
    )
    credit.full_clean()
    assert credit.status_tone == "warning"


def test_department_defaults_to_cast():
    assert Credit().department == Department.CAST


def test_credits_by_department_follow_the_order_of_departments_and_billing():
    film = make_film()
    writer = make_credit(film=film, department=Department.WRITING, job="Screenplay", billing=1)
    second = make_credit(film=film, billing=2)
    first = make_credit(film=film, billing=1)
    director = make_credit(film=film, department=Department.DIRECTING, job="Director")
    film = Film.objects.for_cast().get(pk=film.pk)
    assert film.credits_by_department() == [
        ("Cast", [first, second]),
        ("Directing", [director]),
        ("Writing", [writer]),
    ]


def test_key_crew_names_directors_and_writers():
    film = make_film()
    director = make_credit(film=film, department=Department.DIRECTING, job="Director")
    make_credit(film=film, department=Department.PRODUCTION, job="Producer")
    film = Film.objects.for_detail().get(pk=film.pk)
    assert film.key_crew() == [("Directed by", [director])]


def test_filmography_groups_a_persons_credits_by_film_oldest_first():
    person = make_person()
    sequel = make_sequel()
    original = sequel.sequel_to
    in_sequel = make_credit(film=sequel, person=person)
    producing = make_credit(
        film=sequel, person=person, department=Department.PRODUCTION, job="Producer"
    )
    in_original = make_credit(film=original, person=person)
    person = Person.objects.for_detail().get(pk=person.pk)
    assert person.filmography() == [
        (original, [in_original]),
        (sequel, [in_sequel, producing]),
    ]


def test_initials_take_the_first_two_words():
    assert Person(name="Mira Sorvino").initials == "MS"
    assert Person(name="cher").initials == "C"


def test_released_queryset_and_is_released_agree():
    released = make_film(status=FilmStatus.RELEASED, release_date=date(1997, 4, 25))
    developing = make_sequel(original=released)
    assert list(Film.objects.released()) == [released]
    assert released.is_released
    assert not developing.is_released
    assert list(Film.objects.upcoming()) == [developing]


def test_latest_sequel_skips_released_and_cancelled_sequels():
    wanted = make_sequel()
    make_sequel(status=FilmStatus.CANCELLED)
    make_sequel(status=FilmStatus.RELEASED, release_date=date(2020, 1, 1))
    assert Film.objects.latest_sequel() == wanted
