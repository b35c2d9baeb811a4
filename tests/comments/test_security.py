"""Fixes from the security review: previews, reports of hidden comments, mentions, notifications
about unpublished posts, and who may see unpublished posts."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from comments import moderation, services
from comments.forms import FlagForm
from comments.markdown import render_comment
from comments.models import Comment, Flag, Notification, NotificationKind
from comments.ratelimit import LIMITS
from news.models import Post, PostStatus
from tests.factories import make_moderator, make_post, make_staff, make_user, start_thread

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
PREVIEWS_ALLOWED = LIMITS["preview"][0]


@pytest.fixture
def thread(db):
    return start_thread(body="The very first comment")


@pytest.fixture
def draft_thread():
    """A post's thread, whose post then went back to draft."""
    post = make_post(title="Secret sequel plans")
    thread = start_thread(title=post.title, post=post)
    Post.objects.filter(pk=post.pk).update(status=PostStatus.DRAFT)
    return thread


def _root(thread) -> Comment:
    return thread.comments.order_by("pk").first()


def _member_with_view_post(**overrides):
    """A user holding news.view_post; with is_staff=True, an editor who may preview drafts."""
    user = make_user(**overrides)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="news", codename="view_post")
    )
    return user


def _editor(**overrides):
    """A user who may see unpublished posts: staff status and the permission."""
    return _member_with_view_post(is_staff=True, **overrides)


def _signed_in(client, user=None):
    user = user or make_user()
    client.force_login(user)
    return user


def _preview_many(client, url: str, data: dict, **extra) -> list[int]:
    return [client.post(url, data, **extra).status_code for _ in range(PREVIEWS_ALLOWED + 1)]


# 1. Previews ------------------------------------------------------------------------------------


def test_preview_endpoint_refuses_unverified_users(client):
    _signed_in(client, make_user(verified=False))
    response = client.post(reverse("comments:preview"), {"body": "*hi*"}, **HTMX)
    assert response.status_code == 403
    assertNotContains(response, "<em>hi</em>", status_code=403)


def test_preview_endpoint_refuses_anonymous_visitors(client):
    response = client.post(reverse("comments:preview"), {"body": "*hi*"})
    assert response.status_code == 403
    assertNotContains(response, "<em>hi</em>", status_code=403)


def test_preview_endpoint_renders_nothing_over_the_length_limit(client, settings):
    settings.COMMENT_MAX_LENGTH = 20
    _signed_in(client)
    response = client.post(reverse("comments:preview"), {"body": "*too long* " * 5}, **HTMX)
    assertContains(response, "at most 20 characters")
    assertNotContains(response, "<em>too long</em>")


def test_preview_endpoint_answers_400_without_htmx_when_the_body_is_invalid(client):
    _signed_in(client)
    response = client.post(reverse("comments:preview"), {"body": "   "})
    assertContains(response, "the comment is empty", status_code=400)


def test_preview_endpoint_is_rate_limited(client):
    _signed_in(client)
    url = reverse("comments:preview")
    assert _preview_many(client, url, {"body": "*hi*"}) == [200] * PREVIEWS_ALLOWED + [429]
    response = client.post(url, {"body": "*hi*"}, **HTMX)
    assertContains(response, "Slow down", status_code=429)  # htmx swaps a 429 (base.html).
    assertNotContains(response, "<em>hi</em>", status_code=429)


def test_previews_do_not_use_up_the_posting_limit(client, thread):
    _signed_in(client)
    for _ in range(LIMITS["post"][0] + 1):
        client.post(reverse("comments:preview"), {"body": "*hi*"})
    url = reverse("comments:comment-create", args=[thread.pk])
    assert client.post(url, {"body": "Posted after previewing"}).status_code == 302


def test_comment_form_preview_is_rate_limited_and_keeps_the_text(client, thread):
    _signed_in(client)
    url = reverse("comments:comment-create", args=[thread.pk])
    data = {"body": "*draft*", "preview": "1"}
    assert _preview_many(client, url, data) == [200] * PREVIEWS_ALLOWED + [429]
    response = client.post(url, data)
    assertContains(response, "Slow down", status_code=429)
    assertContains(response, "*draft*", status_code=429)
    assertNotContains(response, "<em>draft</em>", status_code=429)
    assert thread.comments.count() == 1


def test_reply_form_preview_over_the_length_limit_renders_nothing(client, thread, settings):
    settings.COMMENT_MAX_LENGTH = 20
    _signed_in(client)
    url = reverse("comments:reply", args=[_root(thread).pk])
    response = client.post(url, {"body": "*too long* " * 5, "preview": "1"})
    assertContains(response, "at most 20 characters", status_code=400)
    assertNotContains(response, "<em>too long</em>", status_code=400)


def test_thread_form_preview_is_rate_limited(client):
    _signed_in(client)
    url = reverse("comments:thread-new")
    data = {"title": "Shoes", "body": "*Glass slippers*", "preview": "1"}
    assert _preview_many(client, url, data) == [200] * PREVIEWS_ALLOWED + [429]
    assertContains(client.post(url, data), "Slow down", status_code=429)


def test_edit_preview_is_rate_limited(client, thread):
    comment = _root(thread)
    _signed_in(client, comment.author)
    url = reverse("comments:edit", args=[comment.pk])
    data = {"body": "*better*", "preview": "1"}
    assert _preview_many(client, url, data) == [200] * PREVIEWS_ALLOWED + [429]


def test_edit_preview_needs_a_verified_email_address(client, thread):
    comment = _root(thread)
    EmailAddress.objects.filter(user=comment.author).update(verified=False)
    _signed_in(client, comment.author)
    url = reverse("comments:edit", args=[comment.pk])
    response = client.post(url, {"body": "*better*", "preview": "1"})
    assert response.status_code == 403
    assertNotContains(response, "<em>better</em>", status_code=403)


# 2. Reports of hidden comments ------------------------------------------------------------------


def test_report_form_of_a_deleted_comment_is_404(client, thread):
    comment = services.comment_delete(comment=_root(thread))
    _signed_in(client)
    response = client.get(reverse("comments:flag", args=[comment.pk]))
    assert response.status_code == 404
    assertNotContains(response, "The very first comment", status_code=404)


def test_reporting_a_removed_comment_is_404_and_files_nothing(client, thread):
    comment = moderation.comment_remove(
        comment=_root(thread), moderator=make_staff(), reason="Rude"
    )
    _signed_in(client)
    response = client.post(reverse("comments:flag", args=[comment.pk]), {"reason": "spam"})
    assert response.status_code == 404
    assert not Flag.objects.exists()


def test_report_template_never_shows_a_hidden_comments_body(thread):
    comment = services.comment_delete(comment=_root(thread))
    request = RequestFactory().get("/")
    request.user = make_user()
    html = render_to_string(
        "comments/flag_form.html", {"comment": comment, "form": FlagForm()}, request
    )
    assert "The very first comment" not in html


# 3. Mentions ------------------------------------------------------------------------------------


def test_mentioned_users_come_in_the_order_first_named():
    zed, amy = make_user(username="zed"), make_user(username="amy")
    assert render_comment("@zed and @amy, and @zed again").mentioned == [zed, amy]


def test_a_comment_notifies_only_the_first_ten_users_it_mentions(thread):
    # Named in reverse alphabetical order, so "the first ten" cannot be the alphabet's.
    named = [make_user(username=f"fan_{letter}") for letter in "lkjihgfedcba"]
    body = " ".join(f"@{user.username}" for user in named)
    comment = services.comment_create(thread=thread, author=make_user(), body=body)
    notified = Notification.objects.filter(comment=comment, kind=NotificationKind.MENTION)
    assert set(notified.values_list("recipient_id", flat=True)) == {u.pk for u in named[:10]}


def test_editing_does_not_notify_more_than_ten_mentioned_users_in_all(thread):
    first, second = ([make_user(username=f"fan_{group}{n}") for n in range(10)] for group in "ab")
    comment = services.comment_create(
        thread=thread, author=make_user(), body=" ".join(f"@{u.username}" for u in first)
    )
    services.comment_edit(comment=comment, body=" ".join(f"@{u.username}" for u in second))
    notified = Notification.objects.filter(comment=comment, kind=NotificationKind.MENTION)
    assert set(notified.values_list("recipient_id", flat=True)) == {u.pk for u in first}


def test_mentioning_yourself_uses_none_of_the_ten(thread):
    author = make_user(username="aaa_me")
    named = [make_user(username=f"fan{n:02}") for n in range(10)]
    body = "@aaa_me " + " ".join(f"@{user.username}" for user in named)
    comment = services.comment_create(thread=thread, author=author, body=body)
    assert comment.notifications.filter(kind=NotificationKind.MENTION).count() == 10


def test_no_email_to_an_unverified_address(mailoutbox, django_capture_on_commit_callbacks):
    thread = start_thread()
    romy = make_user(username="romy", verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(thread=thread, author=make_user(), body="Hey @romy")
    assert Notification.objects.filter(recipient=romy).exists()
    assert mailoutbox == []


def test_no_email_when_only_an_earlier_address_was_verified(
    mailoutbox, django_capture_on_commit_callbacks
):
    thread = start_thread()
    romy = make_user(username="romy")  # romy's first address is verified ...
    romy.email = "new-address@example.com"  # ... the one on the account now is not.
    romy.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(thread=thread, author=make_user(), body="Hey @romy")
    assert mailoutbox == []


# 4. Notifications about unpublished posts -------------------------------------------------------


def test_comment_in_a_draft_posts_thread_notifies_no_member_who_follows_it(draft_thread):
    follower = make_user()
    services.subscription_toggle(thread=draft_thread, user=follower)
    services.comment_create(thread=draft_thread, author=_editor(), body="Still a draft")
    assert not Notification.objects.filter(recipient=follower).exists()


def test_reply_in_a_draft_posts_thread_notifies_no_member_answered(
    draft_thread, mailoutbox, django_capture_on_commit_callbacks
):
    root = _root(draft_thread)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(thread=draft_thread, author=_editor(), body="No", parent=root)
    assert not Notification.objects.filter(recipient=root.author).exists()
    assert mailoutbox == []


def test_mention_in_a_draft_posts_thread_notifies_no_member(draft_thread):
    romy = make_user(username="romy")
    services.comment_create(thread=draft_thread, author=_editor(), body="Ask @romy")
    assert not Notification.objects.filter(recipient=romy).exists()


def test_comment_in_a_draft_posts_thread_notifies_those_who_may_see_unpublished_posts(
    draft_thread,
):
    editor = _editor(username="heather")
    services.subscription_toggle(thread=draft_thread, user=editor)
    services.comment_create(thread=draft_thread, author=make_user(), body="@heather look")
    assert Notification.objects.get(recipient=editor).kind == NotificationKind.MENTION


def test_comment_in_a_published_posts_thread_notifies_member_followers():
    thread = start_thread(post=make_post())
    services.comment_create(thread=thread, author=make_user(), body="Published")
    assert Notification.objects.filter(recipient=thread.starter).exists()


def _notified_then_unpublished(**comment) -> Notification:
    """A member told of a comment in a post's thread, whose post then went back to draft."""
    post = make_post(title="Soon a secret again")
    thread = start_thread(title=post.title, post=post)
    services.comment_create(thread=thread, author=make_user(), body="Hi", **comment)
    Post.objects.filter(pk=thread.post_id).update(status=PostStatus.DRAFT)
    return Notification.objects.get(recipient=thread.starter)


def test_notifications_page_leaves_out_a_post_gone_back_to_draft(client):
    notification = _notified_then_unpublished()
    _signed_in(client, notification.recipient)
    response = client.get(reverse("comments:notifications"))
    assertNotContains(response, "Soon a secret again")


def test_unread_count_leaves_out_a_post_gone_back_to_draft(client):
    notification = _notified_then_unpublished()
    _signed_in(client, notification.recipient)
    response = client.get(reverse("comments:notification-badge"))
    assert Notification.objects.unread().filter(pk=notification.pk).exists()
    assertNotContains(response, "header-notifications--unread")


def test_email_queued_before_the_post_went_back_to_draft_is_not_sent(
    mailoutbox, django_capture_on_commit_callbacks
):
    thread = start_thread(post=make_post())
    root = _root(thread)
    with django_capture_on_commit_callbacks() as callbacks:
        services.comment_create(thread=thread, author=make_user(), body="Hi", parent=root)
    Post.objects.filter(pk=thread.post_id).update(status=PostStatus.DRAFT)
    for callback in callbacks:
        callback()
    assert mailoutbox == []


# 5. Seeing unpublished posts is a permission ----------------------------------------------------


def test_editor_with_staff_status_and_the_permission_opens_a_draft_posts_thread(
    client, draft_thread
):
    _signed_in(client, _editor())
    response = client.get(reverse("comments:thread", args=[draft_thread.pk, draft_thread.slug]))
    assert response.status_code == 302
    assert response.url == draft_thread.post.get_absolute_url()


def test_the_view_post_permission_without_staff_status_does_not_open_a_draft_posts_thread(
    client, draft_thread
):
    _signed_in(client, _member_with_view_post())
    response = client.get(reverse("comments:thread", args=[draft_thread.pk, draft_thread.slug]))
    assert response.status_code == 404


def test_the_view_post_permission_without_staff_status_does_not_open_a_draft_post(
    client, draft_thread
):
    _signed_in(client, _member_with_view_post())
    assert client.get(draft_thread.post.get_absolute_url()).status_code == 404


def test_member_with_the_view_post_permission_but_no_staff_status_is_not_told_of_a_draft(
    draft_thread,
):
    """The bug this guards: such a member was notified, then got a 404 on the article."""
    member = _member_with_view_post(username="heather")
    services.subscription_toggle(thread=draft_thread, user=member)
    services.comment_create(thread=draft_thread, author=_editor(), body="@heather look")
    assert not Notification.objects.filter(recipient=member).exists()


def test_staff_status_without_the_permission_does_not_open_a_draft_posts_thread(
    client, draft_thread
):
    _signed_in(client, make_user(is_staff=True))
    response = client.get(reverse("comments:thread", args=[draft_thread.pk, draft_thread.slug]))
    assert response.status_code == 404


def test_staff_status_without_the_permission_cannot_comment_in_a_draft_posts_thread(
    client, draft_thread
):
    _signed_in(client, make_user(is_staff=True))
    url = reverse("comments:comment-create", args=[draft_thread.pk])
    assert client.post(url, {"body": "Sneaky"}).status_code == 404
    assert draft_thread.comments.count() == 1


# 6. Moderators moderate threads in the admin, but do not rewrite them -------------------------


@pytest.fixture
def moderator_client(client):
    client.force_login(make_moderator(is_staff=True))
    return client


def _admin_action(client, model: str, action: str, ids: list[int]):
    url = reverse(f"admin:comments_{model}_changelist")
    data = {"action": action, "_selected_action": ids, "reason": "Tidying up.", "apply": "1"}
    return client.post(url, data, follow=True)


def test_the_moderators_group_cannot_change_threads():
    moderators = Group.objects.get(name="Moderators")
    codenames = set(moderators.permissions.values_list("codename", flat=True))
    assert "change_thread" not in codenames
    assert {"moderate_comment", "view_thread"} <= codenames


def test_moderator_cannot_retitle_a_thread_in_the_admin(moderator_client, thread):
    url = reverse("admin:comments_thread_change", args=[thread.pk])
    response = moderator_client.post(url, {"title": "Hijacked"})
    assert response.status_code == 403
    thread.refresh_from_db()
    assert thread.title != "Hijacked"


def test_moderator_sees_a_thread_read_only_in_the_admin(moderator_client, thread):
    response = moderator_client.get(reverse("admin:comments_thread_change", args=[thread.pk]))
    assertContains(response, thread.title)
    assertNotContains(response, 'name="title"')


@pytest.mark.parametrize(("action", "field"), [("lock", "locked"), ("pin", "pinned")])
def test_moderator_locks_and_pins_threads_in_the_admin(moderator_client, thread, action, field):
    _admin_action(moderator_client, "thread", action, [thread.pk])
    thread.refresh_from_db()
    assert getattr(thread, field) is True


def test_moderator_removes_and_restores_comments_in_the_admin(moderator_client, thread):
    comment = _root(thread)
    _admin_action(moderator_client, "comment", "remove", [comment.pk])
    comment.refresh_from_db()
    assert not comment.is_visible
    _admin_action(moderator_client, "comment", "restore", [comment.pk])
    comment.refresh_from_db()
    assert comment.is_visible


def test_moderator_resolves_reports_in_the_admin(moderator_client, thread):
    flag = services.flag_create(comment=_root(thread), reporter=make_user(), reason="spam")
    _admin_action(moderator_client, "flag", "resolve", [flag.pk])
    flag.refresh_from_db()
    assert flag.resolved_at is not None


def test_moderator_locks_a_thread_on_the_site(moderator_client, thread):
    moderator_client.post(
        reverse("comments:lock", args=[thread.pk]), {"locked": "1", "reason": "Flame war."}
    )
    thread.refresh_from_db()
    assert thread.locked
