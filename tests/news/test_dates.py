"""Dates that tell the truth: "Updated" only for content edits after publication, and "Publish
now" keeping the date an editor set."""

import datetime
import json
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from news.models import Post, PostStatus
from news.publishing import publication_state
from news.services import post_publish_now, post_relate, post_unpublish
from news.sitemaps import PostSitemap
from tests.factories import make_film, make_person, make_post, make_user
from tests.news.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:news_post_changelist")
ATOM = "{http://www.w3.org/2005/Atom}"
FEB_9_2024 = datetime.datetime(2024, 2, 9, 12, 0, tzinfo=datetime.UTC)


def _reloaded(post: Post) -> Post:
    return Post.objects.get(pk=post.pk)


@pytest.mark.parametrize("field", ["title", "standfirst", "body"])
def test_editing_content_of_a_published_post_sets_content_updated_at(field):
    post = _reloaded(make_post(published_at=FEB_9_2024))
    setattr(post, field, getattr(post, field) + " Corrected.")

    post.save()

    assert _reloaded(post).content_updated_at is not None
    assert _reloaded(post).was_updated


def test_content_edit_through_update_fields_also_counts():
    post = _reloaded(make_post(published_at=FEB_9_2024))
    post.body += "\n\nA correction."

    post.save(update_fields=["body", "body_html"])

    assert _reloaded(post).was_updated


def test_editing_a_post_built_by_hand_compares_with_the_database():
    """A Post not loaded from the database (a shell script) is compared with the stored row."""
    stored = make_post(published_at=FEB_9_2024)
    by_hand = Post(**{f.attname: getattr(stored, f.attname) for f in Post._meta.concrete_fields})
    by_hand._state.adding = False
    by_hand.title = "A new headline"

    by_hand.save()

    assert _reloaded(stored).was_updated


def test_draft_and_scheduled_edits_are_not_updates():
    draft = _reloaded(make_post(published=False))
    scheduled = _reloaded(make_post(published_at=timezone.now() + timedelta(days=3)))
    for post in (draft, scheduled):
        post.body += "\n\nMore."
        post.save()

    assert _reloaded(draft).content_updated_at is None
    assert _reloaded(scheduled).content_updated_at is None


def test_publishing_a_draft_with_its_final_text_is_not_an_update():
    post = _reloaded(make_post(published=False, published_at=FEB_9_2024))
    post.status = PostStatus.PUBLISHED
    post.body += "\n\nLast touch before it goes out."

    post.save()

    assert not _reloaded(post).was_updated


def test_other_saves_do_not_set_content_updated_at():
    post = _reloaded(make_post(published_at=FEB_9_2024))
    post.save()  # nothing changed
    post_relate(post=post, entities=[make_person()])  # relations and body_html
    post.image_caption = "A new caption"
    post.save()
    post_unpublish(posts=Post.objects.filter(pk=post.pk))

    assert _reloaded(post).content_updated_at is None


def test_admin_edit_of_a_published_post_sets_content_updated_at(staff_client):
    post = make_post(published_at=FEB_9_2024)
    form = change_form_data(staff_client, post, body="A corrected paragraph.")

    response = staff_client.post(reverse("admin:news_post_change", args=[post.pk]), form)

    assert response.status_code == 302
    assert _reloaded(post).was_updated


def test_admin_save_without_content_change_is_not_an_update(staff_client):
    post = make_post(published_at=FEB_9_2024)

    response = staff_client.post(
        reverse("admin:news_post_change", args=[post.pk]),
        change_form_data(staff_client, post, image_caption="Only the caption"),
    )

    assert response.status_code == 302

    assert _reloaded(post).content_updated_at is None


# What readers see -----------------------------------------------------------------------------


def test_post_page_shows_updated_only_after_a_content_edit(client):
    post = make_post(published_at=FEB_9_2024)
    post.image_caption = "Re-saved for its caption"
    post.save()

    response = client.get(post.get_absolute_url())
    assertNotContains(response, "Updated")

    post.body += "\n\nA correction."
    post.save()
    response = client.get(post.get_absolute_url())

    assertContains(response, "Updated")
    assertContains(response, timezone.localdate().strftime("%-d %B %Y"))


def test_json_ld_sitemap_and_feed_give_the_publication_date_until_the_content_changes(client):
    post = make_post(published_at=FEB_9_2024)
    post.image_caption = "A caption"
    post.save()  # updated_at moves; what readers read does not

    assert PostSitemap().lastmod(_reloaded(post)) == FEB_9_2024
    assert _json_ld(client, post)["dateModified"] == FEB_9_2024.isoformat()
    assert _atom_updated(client) == "2024-02-09T12:00:00+00:00"

    post.title = "A better headline"
    post.save()
    edited = _reloaded(post)

    assert PostSitemap().lastmod(edited) == edited.content_updated_at
    assert _json_ld(client, post)["dateModified"] == edited.content_updated_at.isoformat()
    assert _atom_updated(client) == edited.content_updated_at.isoformat()


def _json_ld(client, post: Post) -> dict:
    html = client.get(post.get_absolute_url()).content.decode()
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    blocks = json.loads(html[start : html.index("</script>", start)])
    blocks = blocks if isinstance(blocks, list) else [blocks]
    return next(block for block in blocks if block.get("@type") == "NewsArticle")


def _atom_updated(client) -> str:
    feed = ElementTree.fromstring(client.get(reverse("news:atom")).content)
    return feed.find(f"{ATOM}entry").findtext(f"{ATOM}updated")


# Publish now ----------------------------------------------------------------------------------


def test_publish_now_keeps_a_backdated_date():
    post = make_post(published=False, published_at=FEB_9_2024)

    post_publish_now(posts=Post.objects.filter(pk=post.pk))

    post.refresh_from_db()
    assert post.is_published()
    assert post.published_at == FEB_9_2024


def test_publish_now_dates_a_post_without_a_date_now():
    post = make_post(published=False)
    before = timezone.now()

    post_publish_now(posts=Post.objects.filter(pk=post.pk))

    post.refresh_from_db()
    assert post.is_published()
    assert post.published_at >= before


def test_publish_now_schedules_a_draft_dated_in_the_future():
    when = timezone.now() + timedelta(days=10)
    post = make_post(published=False, published_at=when)

    post_publish_now(posts=Post.objects.filter(pk=post.pk))

    post.refresh_from_db()
    assert post.is_scheduled
    assert post.published_at == when


def test_publish_now_leaves_scheduled_and_live_posts_as_they_are():
    scheduled = make_post(published_at=timezone.now() + timedelta(days=1))
    live = make_post(published_at=FEB_9_2024)

    published = post_publish_now(posts=Post.objects.filter(pk__in=[scheduled.pk, live.pk]))

    assert published == []
    assert _reloaded(scheduled).published_at == scheduled.published_at
    assert _reloaded(live).published_at == FEB_9_2024


def test_publish_now_action_says_what_happened_to_each_post(staff_client):
    backdated = make_post(published=False, published_at=FEB_9_2024, title="Backdated")
    future = timezone.now() + timedelta(days=10)
    scheduled = make_post(published=False, published_at=future, title="Later")
    live = make_post(title="Out already")

    response = staff_client.post(
        CHANGELIST_URL,
        {"action": "publish_now", "_selected_action": [backdated.pk, scheduled.pk, live.pk]},
        follow=True,
    )

    assertContains(response, "“Backdated” published as of 9 February 2024 (backdated)")
    assertContains(response, "“Later” is scheduled: it appears on")
    assertContains(response, "1 post(s) were out or scheduled already and keep their dates")


# The admin's sentence for the saved state ------------------------------------------------------


def test_publication_state_for_each_kind_of_post():
    assert publication_state(make_post(published=False)).startswith("Draft: only editors see it")
    future = make_post(published_at=timezone.now() + timedelta(days=2))
    assert publication_state(future).startswith("Scheduled: appears on")
    backdated = make_post(published_at=FEB_9_2024)
    assert publication_state(backdated) == (
        "Published as of 9 February 2024, backdated: it goes into the archive for "
        "February 2024 and the feeds under that date."
    )
    today = make_post(published_at=timezone.now())
    assert "backdated" not in publication_state(today)


def test_change_form_shows_the_saved_publication_state(staff_client):
    post = make_post(published_at=FEB_9_2024)

    response = staff_client.get(reverse("admin:news_post_change", args=[post.pk]))

    assertContains(response, 'class="publishing-line"')
    assertContains(response, "Published as of 9 February 2024, backdated")
    assertContains(response, "news/admin/publishing.js")


def test_publishing_backdated_tells_no_followers_but_publishing_now_does(
    django_capture_on_commit_callbacks,
):
    """comments.following announces only posts out for less than ANNOUNCE_WITHIN: an article
    backdated to 2024 is archive, not news, so its film's followers are not told."""
    from comments.following import follow_set
    from comments.models import Notification

    film = make_film()
    follow_set(user=make_user(), subject=film, following=True)
    backdated = make_post(published=False, published_at=FEB_9_2024)
    fresh = make_post(published=False)
    for post in (backdated, fresh):
        post.films.add(film)

    with django_capture_on_commit_callbacks(execute=True):
        post_publish_now(posts=Post.objects.filter(pk=backdated.pk))
    assert not Notification.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        post_publish_now(posts=Post.objects.filter(pk=fresh.pk))
    assert Notification.objects.filter(post=fresh).count() == 1
