"""The home page's sequel section: its status and who is returning, in a fixed number of queries."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from films.models import FilmStatus
from tests.films.conftest import add_cast

pytestmark = pytest.mark.django_db


def test_home_shows_the_sequel_status_and_who_is_returning(client, reunion):
    response = client.get(reverse("home"))
    assertContains(response, "The sequel")
    assertContains(response, reunion["sequel"].get_absolute_url())
    assertContains(response, "In development")
    assertContains(response, "Romy White")
    assertContains(response, "Confirmed")
    assertContains(response, 'href="https://example.com/us-weekly"')


def test_home_says_when_a_character_has_no_news(client, reunion):
    html = client.get(reverse("home")).content.decode()
    sandy_row = html[html.index("Sandy Frink") :]
    assert "No news yet" in sandy_row[: sandy_row.index("</li>")]


def test_home_has_no_sequel_section_without_a_sequel(client):
    assertNotContains(client.get(reverse("home")), "Who is returning")


def test_home_skips_a_cancelled_sequel(client, reunion):
    reunion["sequel"].status = FilmStatus.CANCELLED
    reunion["sequel"].save()
    assertNotContains(client.get(reverse("home")), "Who is returning")


@pytest.mark.parametrize("cast", [3, 60])
def test_home_section_queries_do_not_grow_with_cast(
    client, reunion, django_assert_max_num_queries, cast
):
    """Guards who is returning on the home page against an N+1 per character of the original."""
    add_cast(reunion["original"], cast)
    add_cast(reunion["sequel"], cast)
    with django_assert_max_num_queries(6):
        client.get(reverse("home"))
