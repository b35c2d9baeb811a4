import re

import pytest

from films.models import CreditStatusChange, ProductionEvent, ReturnStatus
from news.demo import SEQUEL_POST_SLUG, seed_news
from news.models import Post
from tests.factories import (
    make_character,
    make_credit,
    make_film,
    make_person,
    make_sequel,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def films():
    original = make_film(title="Romy and Michele's High School Reunion")
    sequel = make_sequel(original, title="Romy and Michele 2")
    make_character(name="Sandy Frink")
    people = {
        name: make_person(name=name)
        for name in ("Mira Sorvino", "Lisa Kudrow", "Alan Cumming", "Robin Schiff")
    }
    return original, sequel, people


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))


def test_seed_news_publishes_the_sequel_post_with_sources_and_image(films):
    seed_news()

    post = Post.objects.get(slug=SEQUEL_POST_SLUG)
    assert post.is_published()
    assert post.published_at.date().isoformat() == "2024-02-09"
    assert [source.outlet for source in post.sources.all()] == ["Us Weekly", "The A.V. Club"]
    assert post.featured_image
    assert post.featured_image.width == 1600
    assert post.image_alt and post.image_credit
    assert post.author.is_staff


def test_seed_news_relates_the_films_and_people_and_links_them(films):
    original, sequel, people = films

    seed_news()

    post = Post.objects.get(slug=SEQUEL_POST_SLUG)
    assert set(post.films.all()) == {original, sequel}
    assert set(post.people.all()) == set(people.values())
    assert list(post.characters.values_list("name", flat=True)) == ["Sandy Frink"]
    for person in people.values():
        assert f'href="{person.get_absolute_url()}"' in post.body_html
    assert f'href="{original.get_absolute_url()}"' in post.body_html


def test_seed_news_is_idempotent(films):
    seed_news()
    first = Post.objects.get(slug=SEQUEL_POST_SLUG)

    seed_news()

    post = Post.objects.get()
    assert post.pk == first.pk
    assert post.featured_image.name == first.featured_image.name
    assert post.sources.count() == 2


def test_sequel_credits_and_us_weekly_reports_cite_the_post(films):
    original, sequel, people = films
    credit = make_credit(film=sequel, person=people["Mira Sorvino"], status=ReturnStatus.CONFIRMED)
    change = CreditStatusChange.objects.create(
        credit=credit, status=ReturnStatus.CONFIRMED, source_name="Us Weekly"
    )
    other = CreditStatusChange.objects.create(
        credit=credit, status=ReturnStatus.RUMOURED, source_name="Somewhere else"
    )
    event = ProductionEvent.objects.create(
        film=sequel, happened_on="2024-02-09", summary="In development", source_name="Us Weekly"
    )
    original_credit = make_credit(film=original, person=people["Lisa Kudrow"])

    seed_news()

    post = Post.objects.get()
    for row in (credit, change, other, event, original_credit):
        row.refresh_from_db()
    assert credit.source_post == post
    assert change.source_post == post
    assert event.source_post == post
    assert other.source_post is None
    assert original_credit.source_post is None


def test_seed_news_works_before_the_films_exist():
    seed_news()

    assert Post.objects.get().is_published()


def test_demo_post_is_in_our_own_words(films, seed_article):
    """No run of eight words from the reference article appears in the demo post."""
    article = _words(seed_article["standfirst"] + " " + seed_article["body"])
    seed_news()
    post = Post.objects.get()
    ours = " ".join(_words(f"{post.title} {post.standfirst} {post.body}"))

    shared = [
        " ".join(article[i : i + 8])
        for i in range(len(article) - 7)
        if " ".join(article[i : i + 8]) in ours
    ]

    assert shared == []


def test_demo_post_quotes_are_attributed(films):
    seed_news()
    body = Post.objects.get().body

    assert "Us Weekly" in body and "“full force ahead”" in body
    assert "The A.V. Club" in body and "“very in for it”" in body


def test_every_sequel_status_has_a_date_after_seeding():
    from films.demo import seed_films
    from films.models import Credit

    seed_films()
    seed_news()
    undated = Credit.objects.filter(film__sequel_to__isnull=False, status__gt="").filter(
        reported_on__isnull=True
    )
    assert not undated.exists()


def test_demo_post_was_last_updated_when_it_came_out(films):
    seed_news()
    post = Post.objects.get()
    assert post.updated_at == post.published_at
