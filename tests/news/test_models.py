from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from news.models import Post, PostStatus
from tests.factories import make_film, make_person, make_post, make_upload

pytestmark = pytest.mark.django_db


def _elements(html: str) -> list[tuple[str, dict]]:
    """Every element of the HTML as (tag, attributes), as a browser's parser would see them."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collector().feed(html)
    return found


def test_published_post_in_the_past_is_published():
    post = make_post(published_at=timezone.now() - timedelta(minutes=1))

    assert post.is_published()
    assert list(Post.objects.published()) == [post]


def test_draft_is_not_published_even_with_a_past_date():
    post = make_post(status=PostStatus.DRAFT, published_at=timezone.now() - timedelta(days=1))

    assert not post.is_published()
    assert not Post.objects.published().exists()


def test_scheduled_post_is_not_published_until_due():
    post = make_post(published_at=timezone.now() + timedelta(hours=1))

    assert not post.is_published()
    assert post.is_scheduled
    assert not Post.objects.published().exists()


def test_scheduled_post_appears_once_its_time_has_passed():
    post = make_post(published_at=timezone.now() + timedelta(hours=1))

    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    post.refresh_from_db()

    assert post.is_published()
    assert not post.is_scheduled
    assert list(Post.objects.published()) == [post]


def test_visible_to_staff_includes_drafts_and_scheduled(staff_user, user):
    live = make_post()
    draft = make_post(published=False)
    scheduled = make_post(published_at=timezone.now() + timedelta(days=2))

    assert set(Post.objects.visible_to(staff_user)) == {live, draft, scheduled}
    assert set(Post.objects.visible_to(user)) == {live}


def test_clean_rejects_published_post_without_date():
    post = make_post(published=False)
    post.status = PostStatus.PUBLISHED

    with pytest.raises(ValidationError) as raised:
        post.full_clean()

    assert "published_at" in raised.value.message_dict


def test_clean_rejects_image_without_alt_text():
    post = make_post(featured_image=make_upload(), image_alt="Two friends")
    post.image_alt = "  "

    with pytest.raises(ValidationError) as raised:
        post.full_clean()

    assert "image_alt" in raised.value.message_dict


def test_database_rejects_published_post_without_date():
    with pytest.raises(IntegrityError):
        make_post(published=False, status=PostStatus.PUBLISHED)


def test_body_html_is_rendered_at_save():
    post = make_post(body="First.\n\n## A subheading\n\n> A quotation")

    assert "<p>First.</p>" in post.body_html
    assert "<h2>A subheading</h2>" in post.body_html
    assert "<blockquote>" in post.body_html


def test_curly_quotes_and_dashes_of_the_seed_article_survive(seed_article):
    article = seed_article
    post = make_post(body=article["body"])

    for typographic in ("’", "“", "”", "—", "…"):
        if typographic in article["body"]:
            assert typographic in post.body_html
    assert "“full force ahead.”" in post.body_html
    assert "&amp;#" not in post.body_html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)" onclick="alert(1)">x</a>',
        '![x](javascript:alert(1) "t")',
        "<iframe src='https://example.com'></iframe>",
    ],
)
def test_body_html_never_keeps_scripts_handlers_or_javascript_links(source):
    post = make_post(body=source)

    elements = _elements(post.body_html)
    assert {"script", "iframe"}.isdisjoint(tag for tag, _ in elements)
    for _, attributes in elements:
        assert not any(name.startswith("on") for name in attributes)
        assert not any(
            (value or "").strip().lower().startswith("javascript:") for value in attributes.values()
        )


def test_body_links_first_mention_of_related_people_and_films():
    film = make_film(title="Romy and Michele's High School Reunion")
    person = make_person(name="Lisa Kudrow")
    post = make_post(
        body="Lisa Kudrow starred in Romy and Michele’s High School Reunion. Lisa Kudrow again."
    )
    post.films.add(film)
    post.people.add(person)

    post.save()

    assert post.body_html.count(f'href="{person.get_absolute_url()}"') == 1
    assert post.body_html.count(f'href="{film.get_absolute_url()}"') == 1
    assert "Romy and Michele’s High School Reunion</a>" in post.body_html


def test_unrelated_mentions_lists_named_entities_not_yet_related():
    named = make_person(name="Alan Cumming")
    related = make_person(name="Mira Sorvino")
    make_person(name="Someone Absent")
    film = make_film(title="Romy and Michele's High School Reunion")
    post = make_post(
        body="Mira Sorvino and Alan Cumming, of Romy and Michele's High School Reunion."
    )
    post.people.add(related)

    assert post.unrelated_mentions() == [film, named]


def test_absolute_url_uses_publication_year_and_two_digit_month():
    post = make_post(slug="reunion", published_at=timezone.now().replace(year=2024, month=2, day=9))

    assert post.get_absolute_url() == "/news/2024/02/reunion/"


def test_related_person_named_only_by_surname_is_linked_there():
    person = make_person(name="Mira Sorvino")
    post = make_post(body="Sorvino says the sequel is going ahead.")
    post.people.add(person)

    post.save()

    assert f'<a class="entity-link" href="{person.get_absolute_url()}">Sorvino</a>' in (
        post.body_html
    )


def test_surnames_alone_are_not_suggested():
    make_person(name="Mira Sorvino")

    assert make_post(body="Sorvino says so.").unrelated_mentions() == []


def test_body_keeps_images_from_our_media():
    post = make_post(body="![The poster](/media/posters/1997/poster.png)")

    assert '<img alt="The poster" src="/media/posters/1997/poster.png">' in post.body_html


@pytest.mark.parametrize(
    "url", ["https://tracker.example/pixel.gif", "//cdn.example/a.png", "/media/../secret.png"]
)
def test_body_drops_images_from_elsewhere(url):
    post = make_post(body=f"![Pixel]({url})")

    assert "src=" not in post.body_html
    assert "<img" not in post.body_html  # no broken-image icon left behind


def test_linking_survives_a_greater_than_sign_in_an_image_alt():
    person = make_person(name="Lisa Kudrow")
    post = make_post(body="![Before > after: Lisa Kudrow](/media/a.png)\n\nLisa Kudrow spoke.")
    post.people.add(person)

    post.save()

    elements = _elements(post.body_html)
    image = next(attributes for tag, attributes in elements if tag == "img")
    assert image["alt"] == "Before > after: Lisa Kudrow"
    assert post.body_html.count("entity-link") == 1
