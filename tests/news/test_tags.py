from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from tests.factories import make_character, make_film, make_person, make_post, make_staff

pytestmark = pytest.mark.django_db


def _render(source: str, **context) -> str:
    return Template("{% load news_tags %}" + source).render(Context(context))


def test_news_for_film_lists_its_published_posts_newest_first():
    film = make_film()
    older = make_post(title="Older story", published_at=timezone.now() - timedelta(days=2))
    newer = make_post(title="Newer story", published_at=timezone.now() - timedelta(days=1))
    draft = make_post(title="Draft story", published=False)
    scheduled = make_post(title="Later story", published_at=timezone.now() + timedelta(days=1))
    unrelated = make_post(title="Other film")
    for post in (older, newer, draft, scheduled):
        post.films.add(film)

    html = _render("{% news_for_film film %}", film=film)

    assert html.index("Newer story") < html.index("Older story")
    assert "Draft story" not in html
    assert "Later story" not in html
    assert unrelated.title not in html


def test_news_for_person_lists_their_published_posts():
    person = make_person(name="Alan Cumming")
    post = make_post(title="Cumming is in")
    post.people.add(person)
    make_post(title="Not about him")

    html = _render("{% news_for_person person %}", person=person)

    assert "Cumming is in" in html
    assert post.get_absolute_url() in html
    assert "Not about him" not in html


def test_news_for_film_says_when_there_is_none():
    film = make_film(title="Quiet Film")

    assert "No news about Quiet Film" in _render("{% news_for_film film %}", film=film)


def test_news_for_film_is_limited():
    film = make_film()
    for _ in range(4):
        make_post().films.add(film)

    html = _render("{% news_for_film film 2 %}", film=film)

    assert html.count("<li>") == 2


def test_news_for_film_costs_one_query_however_many_posts(django_assert_num_queries):
    """Guards the film page's news list against an N+1 on posts."""
    film = make_film()
    author = make_staff()
    for _ in range(8):
        make_post(author=author).films.add(film)

    with django_assert_num_queries(1):
        _render("{% news_for_film film %}", film=film)


def test_home_section_shows_latest_published_news(django_assert_max_num_queries):
    """Guards the home page's news cards against an N+1 on authors."""
    author = make_staff()
    for n in range(6):
        make_post(title=f"Story {n}", author=author)
    make_post(title="Hidden draft", published=False)
    request = RequestFactory().get("/")

    with django_assert_max_num_queries(1):
        html = Template('{% include "news/_home.html" %}').render(Context({"request": request}))

    assert html.count('<article class="news-card') == 4
    assert html.count("news-card__image") <= 1
    assert "Hidden draft" not in html


def test_home_page_includes_the_news_section(client):
    make_post(title="Front page news")

    assert "Front page news" in client.get("/").content.decode()


def test_news_for_character_lists_their_published_posts_only():
    character = make_character(name="Sandy Frink")
    post = make_post(title="Sandy is back")
    post.characters.add(character)
    draft = make_post(title="Sandy draft", published=False)
    draft.characters.add(character)
    make_post(title="Not about Sandy")

    html = _render("{% news_for_character character %}", character=character)

    assert "Sandy is back" in html
    assert post.get_absolute_url() in html
    assert "Sandy draft" not in html
    assert "Not about Sandy" not in html


def test_a_character_page_lists_its_news(client):
    character = make_character()
    post = make_post(title="Their return")
    post.characters.add(character)
    assert "Their return" in client.get(character.get_absolute_url()).content.decode()
