import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from films.models import ReturnStatus
from tests.factories import (
    make_comment,
    make_credit,
    make_film,
    make_post,
    make_sequel,
    make_thread,
)

pytestmark = pytest.mark.django_db


def build_home(size: int) -> None:
    original = make_film(title="Romy and Michele's High School Reunion")
    sequel = make_sequel(original, title="Romy and Michele sequel")
    for billing in range(1, size + 1):
        credit = make_credit(film=original, billing=billing)
        make_credit(
            film=sequel,
            person=credit.person,
            character=credit.character,
            billing=billing,
            status=ReturnStatus.CONFIRMED,
            source_post=make_post(),
        )
        thread = make_thread(film=original)
        make_comment(thread=thread)
        type(thread).objects.filter(pk=thread.pk).update(comment_count=1)


def test_home_shows_the_sequel_news_and_discussions(client):
    build_home(3)
    response = client.get(reverse("home"))
    assertContains(response, "Romy and Michele sequel")
    assertContains(response, "Latest news")
    assertContains(response, "Active discussions")


def test_home_queries_do_not_grow_with_cast_news_or_discussions(
    client, django_assert_max_num_queries
):
    """Guards who is returning, the latest news and the active discussions against N+1s."""
    build_home(3)
    client.get(reverse("home"))  # sorl's thumbnail store is filled on a first view
    with django_assert_max_num_queries(8) as small:
        client.get(reverse("home"))
    build_home(25)
    client.get(reverse("home"))
    with django_assert_max_num_queries(8) as large:
        client.get(reverse("home"))
    assert len(large.captured_queries) == len(small.captured_queries)
