import json
import re
from datetime import timedelta

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from news.models import PostQuerySet, PostStatus
from tests.factories import make_film, make_person, make_post, make_source, make_staff, make_upload

pytestmark = pytest.mark.django_db


def _at(year: int, month: int, day: int = 9):
    return timezone.now().replace(year=year, month=month, day=day, hour=12, minute=0)


def test_index_lists_published_posts_newest_first(client):
    older = make_post(title="Older news", published_at=timezone.now() - timedelta(days=2))
    newer = make_post(title="Newer news", published_at=timezone.now() - timedelta(days=1))

    response = client.get(reverse("news:index"))

    assert list(response.context["posts"]) == [newer, older]


def test_index_leaves_out_drafts_and_scheduled_posts_even_for_staff(staff_client):
    make_post(title="Out now")
    make_post(title="Still a draft", published=False)
    make_post(title="Coming later", published_at=timezone.now() + timedelta(days=1))

    response = staff_client.get(reverse("news:index"))

    assertContains(response, "Out now")
    assertNotContains(response, "Still a draft")
    assertNotContains(response, "Coming later")


def test_index_is_paginated(client):
    for _ in range(14):
        make_post()

    first = client.get(reverse("news:index"))
    second = client.get(reverse("news:index"), {"page": 2})

    assert len(first.context["posts"]) == 12
    assert len(second.context["posts"]) == 2


def test_index_queries_do_not_grow_with_posts(client, django_assert_max_num_queries):
    """Guards the post cards against an N+1 on each post's author."""
    author = make_staff()
    for _ in range(30):
        make_post(author=author)

    with django_assert_max_num_queries(4):
        response = client.get(reverse("news:index"))

    assert len(response.context["posts"]) == 12


def test_index_with_images_costs_the_same_for_3_and_30_posts(client):
    """Guards the card thumbnails: once made, they cost no query per post."""

    def queries_for_index() -> int:
        client.get(reverse("news:index"))  # the first visit makes the thumbnails
        with CaptureQueriesContext(connection) as context:
            client.get(reverse("news:index"))
        return len(context.captured_queries)

    for _ in range(3):
        make_post(featured_image=make_upload(size=(320, 180)), image_alt="A picture")
    few = queries_for_index()
    for _ in range(27):
        make_post(featured_image=make_upload(size=(320, 180)), image_alt="A picture")

    assert queries_for_index() == few


def test_post_page_shows_the_article(client):
    post = make_post(
        title="Sequel news",
        standfirst="The short version.",
        body="A paragraph with **bold** words.",
        image_caption="",
    )
    make_source(
        post=post, outlet="Us Weekly", url="https://example.com/us", reported="An interview"
    )

    response = client.get(post.get_absolute_url())

    assertContains(response, "<h1>Sequel news</h1>", html=True)
    assertContains(response, "The short version.")
    assertContains(response, "<strong>bold</strong>", html=True)
    assertContains(
        response, '<a href="https://example.com/us" rel="noopener noreferrer">Us Weekly</a>'
    )
    assertContains(response, "An interview")


def test_post_page_shows_related_films_and_people_and_author(client, staff_user):
    film = make_film(title="The Reunion")
    person = make_person(name="Mira Sorvino")
    post = make_post(author=staff_user)
    post.films.add(film)
    post.people.add(person)

    response = client.get(post.get_absolute_url())

    assertContains(response, film.get_absolute_url())
    assertContains(response, person.get_absolute_url())
    assertContains(response, staff_user.public_name)


def test_post_page_links_to_older_and_newer_posts(client):
    older = make_post(title="Older", published_at=timezone.now() - timedelta(days=3))
    middle = make_post(title="Middle", published_at=timezone.now() - timedelta(days=2))
    newer = make_post(title="Newer", published_at=timezone.now() - timedelta(days=1))
    make_post(title="Draft", published=False)

    response = client.get(middle.get_absolute_url())

    assert response.context["previous_post"] == older
    assert response.context["next_post"] == newer


def test_post_page_shows_responsive_featured_image(client):
    post = make_post(
        featured_image=make_upload(size=(2000, 1000)),
        image_alt="Two friends in a convertible",
        image_caption="On the road",
        image_credit="Studio",
    )

    response = client.get(post.get_absolute_url())

    content = response.content.decode()
    image = re.search(r"<img [^>]*srcset=\"([^\"]+)\"[^>]*>", content)
    assert image is not None
    assert [entry.split()[-1] for entry in image.group(1).split(", ")] == ["600w", "1000w", "1600w"]
    assert all(".webp" in entry for entry in image.group(1).split(", "))
    assert 'alt="Two friends in a convertible"' in image.group(0)
    assertContains(response, "On the road")
    assertContains(response, "Image: Studio")


def test_post_page_queries_do_not_grow_with_sources_and_relations(
    client, django_assert_max_num_queries
):
    """Guards sources, films and people against an N+1 on the post page."""
    post = make_post()
    for order in range(10):
        make_source(post=post, order=order)
        post.films.add(make_film())
        post.people.add(make_person())

    with django_assert_max_num_queries(12):
        response = client.get(post.get_absolute_url())

    assert response.status_code == 200


def test_post_page_costs_the_same_with_1_and_20_sources_and_people(client):
    """Guards sources, films and people against an N+1, whatever the comment thread costs."""
    post = make_post()

    def queries_for_post() -> int:
        client.get(post.get_absolute_url())  # the first view opens the post's comment thread
        with CaptureQueriesContext(connection) as context:
            client.get(post.get_absolute_url())
        return len(context.captured_queries)

    make_source(post=post)
    post.films.add(make_film())
    post.people.add(make_person())
    few = queries_for_post()
    for order in range(20):
        make_source(post=post, order=order)
        post.films.add(make_film())
        post.people.add(make_person())

    assert queries_for_post() == few


def test_wrong_month_in_the_address_redirects_to_the_canonical_url(client):
    make_post(slug="reunion", published_at=_at(2024, 2))

    response = client.get("/news/2023/11/reunion/")

    assertRedirects(response, "/news/2024/02/reunion/", status_code=301)


@pytest.mark.parametrize("month", ["2", "13", "00", "ab"])
def test_malformed_month_is_404(client, month):
    make_post(slug="reunion", published_at=_at(2024, 2))

    assert client.get(f"/news/2024/{month}/reunion/").status_code == 404


def test_unknown_slug_is_404(client):
    assert client.get("/news/2024/02/no-such-post/").status_code == 404


def test_draft_is_404_for_anonymous(client):
    post = make_post(published=False)

    assert client.get(post.get_absolute_url()).status_code == 404


def test_draft_is_404_for_signed_in_non_staff(user_client):
    post = make_post(published=False)

    assert user_client.get(post.get_absolute_url()).status_code == 404


def test_scheduled_post_is_404_for_anonymous(client):
    post = make_post(published_at=timezone.now() + timedelta(hours=2))

    assert client.get(post.get_absolute_url()).status_code == 404


def test_staff_preview_draft_with_banner(staff_client):
    post = make_post(title="Secret draft", published=False)

    response = staff_client.get(post.get_absolute_url())

    assertContains(response, "Secret draft")
    assertContains(response, "Only staff can see this preview.")
    assertContains(response, reverse("admin:news_post_change", args=[post.pk]))


def test_staff_preview_scheduled_post_with_its_date(staff_client):
    post = make_post(published_at=timezone.now() + timedelta(days=3))

    response = staff_client.get(post.get_absolute_url())

    assertContains(response, "<strong>Scheduled:</strong>", html=True)
    assertContains(response, post.published_at.isoformat()[:16])


def test_published_post_has_no_preview_banner(staff_client):
    post = make_post()

    assertNotContains(staff_client.get(post.get_absolute_url()), "Only staff can see")


def test_post_page_has_news_article_json_ld(client, staff_user):
    person = make_person(name="Lisa Kudrow")
    post = make_post(title='Quotes "and" </script> tags', author=staff_user)
    post.people.add(person)

    content = client.get(post.get_absolute_url()).content.decode()

    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    data = json.loads(script.group(1))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == post.title
    assert data["mentions"][0]["name"] == "Lisa Kudrow"
    assert data["author"]["name"] == staff_user.public_name
    assert "</script> tags" not in script.group(1)


def test_post_page_has_open_graph_twitter_and_canonical_tags(client, settings):
    """Absolute URLs name the host the visitor reached (accounts.absolute_urls)."""
    settings.ALLOWED_HOSTS = ["fans.example"]
    post = make_post(title="Sequel news", featured_image=make_upload(), image_alt="A picture")

    response = client.get(post.get_absolute_url(), headers={"host": "fans.example"})

    url = f"http://fans.example{post.get_absolute_url()}"
    assertContains(response, f'<link rel="canonical" href="{url}">')
    assertContains(response, f'<meta property="og:url" content="{url}">')
    assertContains(response, '<meta property="og:type" content="article">')
    assertContains(response, '<meta property="og:title" content="Sequel news">')
    assertContains(response, '<meta property="og:image" content="http://fans.example/media/')
    assertContains(response, '<meta name="twitter:card" content="summary_large_image">')


def test_post_page_carries_its_comment_thread(client):
    post = make_post()

    response = client.get(post.get_absolute_url())

    assertContains(response, 'id="comments"')


def test_year_archive_lists_that_years_posts(client):
    in_year = make_post(title="In 2024", published_at=_at(2024, 2))
    make_post(title="In 2023", published_at=_at(2023, 5))
    make_post(title="Draft in 2024", published=False, published_at=_at(2024, 3))

    response = client.get(reverse("news:year", kwargs={"year": 2024}))

    assert list(response.context["posts"]) == [in_year]
    assertContains(response, reverse("news:month", kwargs={"year": 2024, "month": "02"}))


def test_month_archive_lists_that_months_posts(client):
    february = make_post(title="February", published_at=_at(2024, 2))
    make_post(title="March", published_at=_at(2024, 3))

    response = client.get(reverse("news:month", kwargs={"year": 2024, "month": "02"}))

    assert list(response.context["posts"]) == [february]
    assertContains(response, "News from February 2024")


def test_empty_archives_are_404(client):
    make_post(published=False, published_at=_at(2022, 1))

    assert client.get(reverse("news:year", kwargs={"year": 2022})).status_code == 404
    assert (
        client.get(reverse("news:month", kwargs={"year": 2022, "month": "01"})).status_code == 404
    )


def test_archive_queries_do_not_grow_with_posts(client, django_assert_max_num_queries):
    """Guards the archive's post cards against an N+1 on authors."""
    author = make_staff()
    for day in range(1, 21):
        make_post(published_at=_at(2024, 2, day), author=author)

    with django_assert_max_num_queries(4):
        client.get(reverse("news:month", kwargs={"year": 2024, "month": "02"}))
    with django_assert_max_num_queries(5):
        client.get(reverse("news:year", kwargs={"year": 2024}))


def test_post_by_anonymous_gets_405(client):
    assert client.post(reverse("news:index")).status_code == 405


def test_draft_status_post_keeps_date_but_stays_hidden(client):
    post = make_post(status=PostStatus.DRAFT, published_at=timezone.now() - timedelta(days=1))

    assert client.get(post.get_absolute_url()).status_code == 404


def test_posts_published_at_the_same_moment_still_link_to_each_other(client):
    moment = timezone.now() - timedelta(hours=1)
    first = make_post(published_at=moment)
    second = make_post(published_at=moment)

    response = client.get(second.get_absolute_url())

    assert response.context["previous_post"] == first
    assert response.context["next_post"] is None


@pytest.fixture
def raise_on_lazy_loads(monkeypatch):
    """Posts from the pages' loading plans raise on any lazy load the plan forgot."""
    for name in ("for_index", "for_detail"):
        plan = getattr(PostQuerySet, name)
        monkeypatch.setattr(
            PostQuerySet,
            name,
            lambda self, plan=plan: plan(self).fetch_mode(models.FETCH_RAISE),
        )


def test_post_page_touches_only_what_its_plan_loaded(client, raise_on_lazy_loads, staff_user):
    post = make_post(author=staff_user, featured_image=make_upload(), image_alt="A picture")
    make_source(post=post)
    post.films.add(make_film())
    post.people.add(make_person())

    assert client.get(post.get_absolute_url()).status_code == 200


def test_index_touches_only_what_its_plan_loaded(client, raise_on_lazy_loads, staff_user):
    make_post(author=staff_user)
    make_post(author=None)

    assert client.get(reverse("news:index")).status_code == 200


@pytest.mark.parametrize("path", ["/news/0/", "/news/10000/", "/news/0/02/", "/news/10000/02/"])
def test_archive_years_out_of_range_are_404(client, path):
    make_post()

    assert client.get(path).status_code == 404


def test_draft_preview_has_no_comment_thread(staff_client):
    post = make_post(published=False)

    assertNotContains(staff_client.get(post.get_absolute_url()), 'id="comments"')


def test_staff_without_news_permission_get_404_for_a_draft(client):
    from tests.factories import make_user

    moderator = make_user(is_staff=True)  # admin access, but no news permissions
    client.force_login(moderator)
    draft = make_post(published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_staff_with_the_news_view_permission_preview_a_draft(client):
    from django.contrib.auth.models import Permission

    from tests.factories import make_user

    editor = make_user(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="view_post"))
    client.force_login(editor)
    draft = make_post(published=False)
    assert client.get(draft.get_absolute_url()).status_code == 200
