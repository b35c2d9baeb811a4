"""The film index, film, cast, person and character pages: content, 404s and query counts."""

import json
import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from films.models import Department, FilmStatus, ReturnStatus
from films.services import credit_set_status
from tests.factories import (
    make_character,
    make_credit,
    make_film,
    make_person,
    make_post,
    make_sequel,
)
from tests.films.conftest import add_cast

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(response) -> dict:
    return json.loads(JSON_LD.search(response.content.decode()).group(1))


# Film index


def test_index_lists_films_with_links(client, reunion):
    response = client.get(reverse("films:index"))
    assertContains(response, reunion["original"].get_absolute_url())
    assertContains(response, "Reunion Two")
    assertContains(response, "In development")


def test_index_says_so_when_there_are_no_films(client):
    assertContains(client.get(reverse("films:index")), "No films yet.")


@pytest.mark.parametrize("films", [3, 40])
def test_index_queries_do_not_grow_with_films(client, django_assert_max_num_queries, films):
    """Guards the index against an N+1 on each film's `sequel_to`."""
    original = make_film()
    for _ in range(films):
        make_sequel(original)
    with django_assert_max_num_queries(1):
        client.get(reverse("films:index"))


# Film page


def test_film_page_shows_facts_cast_and_crew(client, reunion):
    response = client.get(reunion["original"].get_absolute_url())
    assertContains(response, "<h1>Reunion")
    assertContains(response, "92 minutes")
    assertContains(response, "Directed by")
    assertContains(response, reunion["mira"].get_absolute_url())
    assertContains(response, reunion["romy"].get_absolute_url())
    assertContains(response, reverse("films:cast", kwargs={"slug": "reunion"}))


def test_original_links_to_its_sequel_and_back(client, reunion):
    original, sequel = reunion["original"], reunion["sequel"]
    assertContains(client.get(original.get_absolute_url()), sequel.get_absolute_url())
    assertContains(client.get(sequel.get_absolute_url()), original.get_absolute_url())


def test_unknown_film_is_404(client):
    assert client.get(reverse("films:detail", kwargs={"slug": "nope"})).status_code == 404


def test_film_page_has_movie_json_ld(client, reunion):
    data = json_ld(client.get(reunion["original"].get_absolute_url()))
    assert data["@type"] == "Movie"
    assert data["name"] == "Reunion"
    assert data["datePublished"] == "1997-04-25"
    assert data["duration"] == "PT92M"
    assert [actor["name"] for actor in data["actor"]] == ["Mira Sorvino", "Alan Cumming"]
    assert data["director"][0]["name"] == "David Mirkin"


def test_json_ld_escapes_markup_in_text(client):
    film = make_film(title="</script><script>alert(1)</script>")
    response = client.get(film.get_absolute_url())
    payload = JSON_LD.search(response.content.decode()).group(1)
    assert "</script>" not in payload
    assert json.loads(payload)["name"] == film.title


def test_film_page_has_open_graph_tags(client, reunion):
    response = client.get(reunion["original"].get_absolute_url())
    assertContains(response, '<meta property="og:type" content="video.movie">', html=False)
    assertContains(response, '<meta property="og:title" content="Reunion (1997)">', html=False)


def test_film_without_poster_shows_a_placeholder(client, reunion):
    response = client.get(reunion["original"].get_absolute_url())
    assertContains(response, 'class="picture picture--poster picture--placeholder"')
    assertContains(response, 'aria-label="Poster of Reunion"')


def test_poster_is_served_as_webp_thumbnails_with_srcset(client, reunion):
    from tests.factories import make_upload

    film = reunion["original"]
    film.poster.save("poster.png", make_upload(size=(600, 900)), save=True)
    html = client.get(film.get_absolute_url()).content.decode()
    img = re.search(r'<img class="picture picture--poster"[^>]*>', html).group(0)
    assert 'alt="Poster of Reunion"' in img
    srcset = re.search(r'srcset="([^"]+)"', img).group(1)
    widths = [int(entry.split()[1].rstrip("w")) for entry in srcset.split(", ")]
    assert widths == [160, 320, 480]
    assert all(entry.split()[0].endswith(".webp") for entry in srcset.split(", "))


def test_sequel_page_shows_who_is_returning_with_sources(client, reunion):
    response = client.get(reunion["sequel"].get_absolute_url())
    html = response.content.decode()
    assertContains(response, "Who is returning")
    assertContains(response, "Confirmed")
    assertContains(response, 'href="https://example.com/us-weekly"')
    # Sandy Frink's actor has no news for the sequel, and the page says so.
    sandy_row = html[html.index("Sandy Frink") :]
    assert "No news yet" in sandy_row[: sandy_row.index("</li>")]


def test_who_is_returning_shows_how_a_return_developed(client, reunion):
    credit = reunion["returning"]
    credit_set_status(credit=credit, status=ReturnStatus.IN_TALKS, source_name="Variety")
    credit_set_status(credit=credit, status=ReturnStatus.CONFIRMED, source_name="Us Weekly")
    response = client.get(reunion["sequel"].get_absolute_url())
    assertContains(response, "How this developed")
    assertContains(response, "In talks")


def test_who_is_returning_names_a_recast_role(client, reunion):
    newcomer = make_person(name="Someone New")
    credit = make_credit(film=reunion["sequel"], person=newcomer, character=reunion["sandy"])
    credit_set_status(credit=credit, status=ReturnStatus.RUMOURED)
    assertContains(client.get(reunion["sequel"].get_absolute_url()), "Recast:")


def test_source_links_our_news_post_when_it_is_published(client, reunion):
    post = make_post(title="Sorvino is back")
    credit_set_status(credit=reunion["returning"], status=ReturnStatus.CONFIRMED, source_post=post)
    response = client.get(reunion["sequel"].get_absolute_url())
    assertContains(response, f'href="{post.get_absolute_url()}"')


def test_source_does_not_link_an_unpublished_post(client, reunion):
    draft = make_post(published=False, title="Secret draft")
    credit_set_status(
        credit=reunion["returning"],
        status=ReturnStatus.CONFIRMED,
        source_post=draft,
        source_name="Us Weekly",
    )
    response = client.get(reunion["sequel"].get_absolute_url())
    assertNotContains(response, "Secret draft")
    assertContains(response, "Us Weekly")


def test_sequel_page_lists_the_production_timeline(client, reunion):
    from films.models import ProductionEvent

    ProductionEvent.objects.create(
        film=reunion["sequel"],
        happened_on="2024-02-09",
        summary="Script in progress",
        source_name="Us Weekly",
    )
    response = client.get(reunion["sequel"].get_absolute_url())
    assertContains(response, "Production timeline")
    assertContains(response, "Script in progress")
    assertContains(response, '<time datetime="2024-02-09">9 Feb 2024</time>', html=False)


def test_unreleased_film_without_events_says_nothing_is_reported(client, reunion):
    assertContains(client.get(reunion["sequel"].get_absolute_url()), "Nothing reported yet.")


@pytest.mark.parametrize("cast", [3, 60])
def test_film_page_queries_do_not_grow_with_cast(
    client, reunion, django_assert_max_num_queries, cast
):
    """Guards top cast and key crew against an N+1 on each credit's person and character."""
    add_cast(reunion["original"], cast)
    with django_assert_max_num_queries(7):  # 6, and the Follow button's follower count
        client.get(reunion["original"].get_absolute_url())


@pytest.mark.parametrize("cast", [3, 60])
def test_sequel_page_queries_do_not_grow_with_either_cast(
    client, reunion, django_assert_max_num_queries, cast
):
    """Guards who is returning (and each credit's history) against an N+1 per character."""
    add_cast(reunion["original"], cast)
    add_cast(reunion["sequel"], cast)
    with django_assert_max_num_queries(10):  # 9, and the Follow button's follower count
        client.get(reunion["sequel"].get_absolute_url())


# Cast and crew


def test_cast_page_groups_credits_by_department(client, reunion):
    response = client.get(reverse("films:cast", kwargs={"slug": "reunion"}))
    html = response.content.decode()
    assert html.index(">Cast</h2>") < html.index(">Directing</h2>")
    assert html.index("Mira Sorvino") < html.index("Alan Cumming")
    assertContains(response, "as <a href")


def test_cast_and_person_pages_name_a_crew_credit_by_its_job(client, reunion):
    director = reunion["original"].credits.get(job="Director").person
    for url in (reverse("films:cast", kwargs={"slug": "reunion"}), director.get_absolute_url()):
        assertContains(client.get(url), "Director")


def test_credit_rows_name_the_department_of_a_role_without_character(client):
    """The rows read `Credit.role`: the character, or else the job, or else the department."""
    credit = make_credit(character=None)
    html = client.get(credit.film.get_cast_url()).content.decode()
    assert re.search(r'class="credit-list__role muted">\s*Cast\s*</p>', html)
    assertContains(client.get(credit.person.get_absolute_url()), "Cast")


def test_character_page_row_says_no_news_yet_for_a_sequel_without_status(client, reunion):
    make_credit(film=reunion["sequel"], person=reunion["alan"], character=reunion["sandy"])
    html = client.get(reunion["sandy"].get_absolute_url()).content.decode()
    row = html[html.index("Reunion Two") :]
    assert "No news yet" in row[: row.index("</li>")]


def test_cast_page_of_unknown_film_is_404(client):
    assert client.get(reverse("films:cast", kwargs={"slug": "nope"})).status_code == 404


@pytest.mark.parametrize("cast", [3, 60])
def test_cast_page_queries_do_not_grow_with_credits(client, django_assert_max_num_queries, cast):
    """Guards the full cast list against an N+1 on each credit's person and character."""
    film = make_film()
    add_cast(film, cast)
    make_credit(film=film, department=Department.WRITING, job="Screenplay")
    with django_assert_max_num_queries(2):
        response = client.get(reverse("films:cast", kwargs={"slug": film.slug}))
    assert response.content.decode().count('class="credit-list__item"') == cast + 1


# People


def test_person_page_shows_filmography_with_roles_and_status(client, reunion):
    response = client.get(reunion["mira"].get_absolute_url())
    assertContains(response, "<h1>Mira Sorvino</h1>")
    assertContains(response, reunion["original"].get_absolute_url())
    assertContains(response, reunion["sequel"].get_absolute_url())
    assertContains(response, "Romy White")
    assertContains(response, "Confirmed")


def test_person_page_has_person_json_ld_and_open_graph(client, reunion):
    response = client.get(reunion["mira"].get_absolute_url())
    data = json_ld(response)
    assert data["@type"] == "Person"
    assert data["name"] == "Mira Sorvino"
    assertContains(response, '<meta property="og:type" content="profile">', html=False)


def test_unknown_person_is_404(client):
    assert client.get(reverse("films:person-detail", kwargs={"slug": "x"})).status_code == 404


@pytest.mark.parametrize("films", [3, 40])
def test_person_page_queries_do_not_grow_with_credits(client, django_assert_max_num_queries, films):
    """Guards the filmography against an N+1 on each credit's film and character."""
    person = make_person()
    for _ in range(films):
        make_credit(person=person)
    with django_assert_max_num_queries(5):  # 4, and the Follow button's follower count
        client.get(person.get_absolute_url())


# Characters


def test_character_page_shows_who_played_them_and_their_sequel_status(client, reunion):
    response = client.get(reunion["romy"].get_absolute_url())
    assertContains(response, "<h1>Romy White</h1>")
    assertContains(response, "Mira Sorvino")
    assertContains(response, reunion["sequel"].get_absolute_url())
    assertContains(response, "Confirmed")


def test_character_without_sequel_news_says_so(client, reunion):
    response = client.get(reunion["sandy"].get_absolute_url())
    assertContains(response, "no news yet about Sandy Frink")


def test_unknown_character_is_404(client):
    url = reverse("films:character-detail", kwargs={"slug": "x"})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("films", [3, 40])
def test_character_page_queries_do_not_grow_with_films(
    client, django_assert_max_num_queries, films
):
    """Guards "played by" against an N+1 on each credit's film and person."""
    character = make_character()
    for _ in range(films):
        make_credit(character=character, film=make_sequel(status=FilmStatus.FILMING))
    with django_assert_max_num_queries(6):  # 4, the follower count and the character's news
        client.get(character.get_absolute_url())


def test_pages_only_answer_get(client, reunion):
    assert client.post(reunion["original"].get_absolute_url()).status_code == 405


def test_thumbnails_cost_no_queries_once_made(client, reunion, django_assert_max_num_queries):
    """sorl-thumbnail keeps what it made in the cache: a warm page with pictures costs the same."""
    from tests.factories import make_upload

    film = reunion["original"]
    film.poster.save("poster.png", make_upload(size=(300, 450)), save=True)
    for credit in film.credits.select_related("person"):
        credit.person.headshot.save("face.png", make_upload(size=(200, 250)), save=True)
    client.get(film.get_absolute_url())  # makes the thumbnails
    with django_assert_max_num_queries(7):  # the film page's queries, the follower count too
        client.get(film.get_absolute_url())


def test_sequel_json_ld_names_only_confirmed_people(client, reunion):
    interested = make_credit(film=reunion["sequel"], person=reunion["alan"])
    credit_set_status(credit=interested, status=ReturnStatus.EXPRESSED_INTEREST)
    data = json_ld(client.get(reunion["sequel"].get_absolute_url()))
    assert [actor["name"] for actor in data["actor"]] == ["Mira Sorvino"]
    assert data["isBasedOn"]["name"] == "Reunion"


def test_character_page_has_its_own_share_tags(client):
    character = make_character(name="Sandy Frink", description="The classmate who came back rich.")
    response = client.get(character.get_absolute_url())
    assertContains(response, '<meta property="og:title" content="Sandy Frink">')
    assertContains(response, "The classmate who came back rich.")
