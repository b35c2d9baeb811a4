import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from fansite.search import search_everything
from tests.factories import make_character, make_film, make_person, make_post, make_thread

pytestmark = pytest.mark.django_db


def test_search_finds_films_people_characters_posts_and_threads():
    film = make_film(title="Romy and Michele's High School Reunion")
    person = make_person(name="Lisa Kudrow", bio="Plays Michele.")
    character = make_character(name="Michele Weinberger")
    post = make_post(title="Michele returns in the sequel")
    thread = make_thread(title="Michele's best outfit")
    results = search_everything("Michele")
    assert film in results.films
    assert person in results.people
    assert character in results.characters
    assert post in results.posts
    assert thread in results.threads


def test_search_never_shows_unpublished_posts():
    make_post(title="Secret sequel scoop", published=False)
    assert search_everything("scoop").posts == []


def test_search_page_lists_results_with_links(client):
    person = make_person(name="Janeane Garofalo")
    response = client.get(reverse("search"), {"q": "Garofalo"})
    assertContains(response, person.get_absolute_url())
    assertContains(response, "1 result for")


def test_search_page_says_when_nothing_matches(client):
    response = client.get(reverse("search"), {"q": "Zzyzx"})
    assertContains(response, "Nothing matches")


def test_search_page_escapes_the_query(client):
    response = client.get(reverse("search"), {"q": "<script>alert(1)</script>"})
    assertNotContains(response, "<script>alert(1)</script>")


def test_search_page_queries_do_not_grow_with_results(client, django_assert_max_num_queries):
    """Guards the result lists against an N+1: more matches, same queries."""
    for n in range(15):
        make_film(title=f"Reunion film {n}")
        make_thread(title=f"Reunion talk {n}")
    with django_assert_max_num_queries(8):
        client.get(reverse("search"), {"q": "Reunion"})


def test_search_leaves_out_discussions_of_unpublished_posts():
    draft = make_post(title="Secret casting scoop", published=False)
    make_thread(title="Secret casting scoop", post=draft)
    assert search_everything("scoop").threads == []
