"""A news post back in draft, or scheduled, takes its thread out of sight: 404 for everyone but
those who may preview drafts (news' can_preview_posts: staff holding news.view_post; the staff
fixtures are superusers), and missing from every list."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Comment, Thread
from comments.sitemaps import ThreadSitemap
from news.models import Post, PostStatus, can_preview_posts
from tests.factories import make_post, make_user, start_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_thread(user):
    """A post's thread with a comment by `user`, whose post then went back to draft."""
    post = make_post(title="Back to draft")
    thread = start_thread(title=post.title, post=post, author=user)
    Post.objects.filter(pk=post.pk).update(status=PostStatus.DRAFT)
    return thread


def _comment(thread) -> Comment:
    return thread.comments.get()


def _tag(source: str, **context) -> str:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    template = Template("{% load comments_tags %}" + source)
    return template.render(Context({"request": request, "user": request.user, **context}))


# The rule ---------------------------------------------------------------------------------------


def test_public_threads_are_those_about_no_post_or_a_published_one():
    general = start_thread()
    published = start_thread(post=make_post())
    draft = start_thread(post=make_post(published=False))
    scheduled = start_thread(
        post=make_post(status=PostStatus.PUBLISHED, published_at=timezone.now() + timedelta(days=1))
    )
    public = set(Thread.objects.public())
    assert {general, published} <= public
    assert not {draft, scheduled} & public


def _with_view_post(user):
    user.user_permissions.add(Permission.objects.get(codename="view_post"))
    return type(user).objects.get(pk=user.pk)  # A fresh object: permissions are cached.


def test_staff_holding_view_post_may_preview_posts():
    assert can_preview_posts(_with_view_post(make_user(is_staff=True)))


def test_view_post_without_staff_status_may_not_preview_posts():
    assert not can_preview_posts(_with_view_post(make_user()))


def test_staff_status_without_view_post_may_not_preview_posts():
    assert not can_preview_posts(make_user(is_staff=True))


def test_anonymous_visitors_may_not_preview_posts():
    assert not can_preview_posts(AnonymousUser())


# Pages: 404 but for staff -----------------------------------------------------------------------


def test_thread_of_a_draft_post_is_404_for_members(user_client, draft_thread):
    url = reverse("comments:thread", args=[draft_thread.pk, draft_thread.slug])
    assert user_client.get(url).status_code == 404


def test_thread_of_a_draft_post_opens_for_staff(staff_client, draft_thread):
    url = reverse("comments:thread", args=[draft_thread.pk, draft_thread.slug])
    response = staff_client.get(url)
    assert response.status_code == 302
    assert response.url == draft_thread.post.get_absolute_url()


def test_permalink_into_a_draft_posts_thread_is_404_for_anonymous(client, draft_thread):
    url = reverse("comments:permalink", args=[_comment(draft_thread).pk])
    assert client.get(url).status_code == 404


def test_permalink_into_a_draft_posts_thread_opens_for_staff(staff_client, draft_thread):
    comment = _comment(draft_thread)
    response = staff_client.get(reverse("comments:permalink", args=[comment.pk]))
    assert response.status_code == 302
    assert response.url.endswith(f"#comment-{comment.pk}")


def test_commenting_on_a_draft_posts_thread_is_404(user_client, draft_thread):
    url = reverse("comments:comment-create", args=[draft_thread.pk])
    assert user_client.post(url, {"body": "Hello?"}).status_code == 404
    assert draft_thread.comments.count() == 1


def test_staff_can_comment_on_a_draft_posts_thread(staff_client, draft_thread):
    url = reverse("comments:comment-create", args=[draft_thread.pk])
    assert staff_client.post(url, {"body": "Note for the editors"}).status_code == 302
    assert draft_thread.comments.count() == 2


def test_commenting_on_a_scheduled_posts_thread_is_404(user_client):
    post = make_post(status=PostStatus.PUBLISHED, published_at=timezone.now() + timedelta(hours=2))
    thread = services.thread_for_post(post=post)
    url = reverse("comments:comment-create", args=[thread.pk])
    assert user_client.post(url, {"body": "First!"}).status_code == 404


def test_replying_in_a_draft_posts_thread_is_404(user_client, draft_thread):
    url = reverse("comments:reply", args=[_comment(draft_thread).pk])
    assert user_client.post(url, {"body": "Me too"}).status_code == 404
    assert draft_thread.comments.count() == 1


def test_staff_can_reply_in_a_draft_posts_thread(staff_client, draft_thread):
    url = reverse("comments:reply", args=[_comment(draft_thread).pk])
    assert staff_client.post(url, {"body": "Me too"}).status_code == 302
    assert draft_thread.comments.count() == 2


def test_editing_your_comment_in_a_draft_posts_thread_is_404(user_client, draft_thread):
    comment = _comment(draft_thread)
    url = reverse("comments:edit", args=[comment.pk])
    assert user_client.post(url, {"body": "Changed"}).status_code == 404
    comment.refresh_from_db()
    assert comment.body != "Changed"


def test_deleting_your_comment_in_a_draft_posts_thread_is_404(user_client, draft_thread):
    comment = _comment(draft_thread)
    assert user_client.post(reverse("comments:delete", args=[comment.pk])).status_code == 404
    comment.refresh_from_db()
    assert comment.is_visible


def test_liking_in_a_draft_posts_thread_is_404(client, draft_thread):
    client.force_login(make_user())
    comment = _comment(draft_thread)
    assert client.post(reverse("comments:like", args=[comment.pk])).status_code == 404
    assert not comment.reactions.exists()


def test_flagging_in_a_draft_posts_thread_is_404(client, draft_thread):
    client.force_login(make_user())
    url = reverse("comments:flag", args=[_comment(draft_thread).pk])
    assert client.post(url, {"reason": "spam"}).status_code == 404


def test_following_a_draft_posts_thread_is_404(client, draft_thread):
    client.force_login(make_user())
    url = reverse("comments:follow", args=[draft_thread.pk])
    assert client.post(url).status_code == 404


def test_a_published_posts_thread_takes_comments(user_client):
    thread = services.thread_for_post(post=make_post())
    url = reverse("comments:comment-create", args=[thread.pk])
    assert user_client.post(url, {"body": "Great news"}).status_code == 302


# Lists ------------------------------------------------------------------------------------------


def test_index_leaves_out_a_draft_posts_thread(client, draft_thread):
    shown = start_thread(title="Still out there", post=make_post())
    page = client.get(reverse("comments:index")).content.decode()
    assert shown.title in page
    assert draft_thread.title not in page


def test_home_section_leaves_out_a_draft_posts_thread(draft_thread):
    start_thread(title="Still out there", post=make_post())
    html = _tag("{% active_discussions %}")
    assert "Still out there" in html
    assert draft_thread.title not in html


def test_profile_leaves_out_comments_in_a_draft_posts_thread(user, draft_thread):
    start_thread(title="Out there", body="A public comment", author=user)
    html = _tag("{% profile_comments shown_user %}", shown_user=user)
    assert "Out there" in html
    assert draft_thread.title not in html


def test_sitemap_lists_only_public_threads(draft_thread):
    general = start_thread()
    assert list(ThreadSitemap().items()) == [general]
