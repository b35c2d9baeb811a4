import pytest

from films.sitemaps import CharacterSitemap, FilmSitemap, PersonSitemap
from films.templatetags.films_tags import picture
from tests.factories import make_character, make_film, make_person

pytestmark = pytest.mark.django_db


def test_picture_of_a_missing_file_falls_back_to_the_placeholder():
    film = make_film()
    film.poster.name = "posters/gone.png"  # in the database, not in storage
    context = picture(film.poster, "poster", "Poster")
    assert "src" not in context


def test_sitemaps_list_films_people_and_characters():
    film, person, character = make_film(), make_person(), make_character()
    assert FilmSitemap().location(FilmSitemap().items()[0]) == film.get_absolute_url()
    assert list(PersonSitemap().items()) == [person]
    assert list(CharacterSitemap().items()) == [character]
