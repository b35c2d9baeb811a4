import json

import pytest

from films.sitemaps import CharacterSitemap, FilmSitemap, PersonSitemap
from films.templatetags.films_tags import json_ld, picture
from tests.factories import make_character, make_film, make_person

pytestmark = pytest.mark.django_db


def test_json_ld_filter_renders_a_script_element_with_escaped_markup():
    html = json_ld({"name": "<b>&</b>"})
    assert html.startswith('<script type="application/ld+json">')
    payload = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in payload and "&" not in payload
    assert json.loads(payload) == {"name": "<b>&</b>"}


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
