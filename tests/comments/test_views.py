import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from comments import moderation, sections, services
from comments.emails import email_choices_of
from comments.models import Comment, CommentStatus, Flag, Notification, Thread
from comments.unsubscribe import unsubscribe_token
from tests.factories import (
    make_character,
    make_film,
    make_moderator,
    make_person,
    make_post,
    make_user,
    start_thread,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def thread(db):
    return start_thread(body="The very first comment")


def _root(thread):
    return thread.comments.order_by("pk").first()


def _signed_in(client, user=None):
    user = user or make_user()
    client.force_login(user)
    return user


# Who may post -----------------------------------------------------------------------------------


def test_anonymous_post_is_refused_with_403_and_nothing_saved(client, thread):
    response = client.post(reverse("comments:comment-create", args=[thread.pk]), {"body": "Hi"})
    assert response.status_code == 403
    assertContains(response, "Sign in", status_code=403)
    assert thread.comments.count() == 1


def test_anonymous_reply_form_sends_to_sign_in(client, thread):
    url = reverse("comments:reply", args=[_root(thread).pk])
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_unverified_user_cannot_post(client, thread):
    _signed_in(client, make_user(verified=False))
    response = client.post(reverse("comments:comment-create", args=[thread.pk]), {"body": "Hi"})
    assert response.status_code == 403
    assertContains(response, "Verify your email", status_code=403)
    assert thread.comments.count() == 1


def test_unverified_user_sees_how_to_verify_instead_of_the_form(client, thread):
    _signed_in(client, make_user(verified=False))
    response = client.get(thread.get_absolute_url())
    assertContains(response, "verify your email address")
    assertNotContains(response, 'name="body"')


def test_anonymous_visitor_sees_a_sign_in_link_on_the_thread(client, thread):
    response = client.get(thread.get_absolute_url())
    assertContains(response, reverse("account_login"))
    assertNotContains(response, 'name="body"')


def test_verified_user_posts_and_is_redirected_to_the_comment(client, thread):
    user = _signed_in(client)
    response = client.post(
        reverse("comments:comment-create", args=[thread.pk]), {"body": "**Love** it"}
    )
    comment = Comment.objects.get(author=user)
    assertRedirects(response, comment.get_absolute_url(), fetch_redirect_response=False)
    assert comment.body_html == "<p><strong>Love</strong> it</p>"


def test_htmx_post_answers_with_the_comment_partial(client, thread):
    user = _signed_in(client)
    response = client.post(
        reverse("comments:comment-create", args=[thread.pk]), {"body": "Partial!"}, **HTMX
    )
    comment = Comment.objects.get(author=user)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="comment-{comment.pk}"' in html
    assert "<html" not in html
    assert response["HX-Retarget"] == f"#comments-{thread.pk}"
    assert response["HX-Trigger-After-Settle"] == "commentPosted"
    assert 'data-hx-swap-oob="true">2 comments</h2>' in html


def test_htmx_reply_is_appended_to_its_parents_replies(client, thread):
    _signed_in(client)
    root = _root(thread)
    response = client.post(reverse("comments:reply", args=[root.pk]), {"body": "Reply"}, **HTMX)
    assert response["HX-Retarget"] == f"#replies-{root.pk}"
    assert response["HX-Reswap"] == "beforeend"


def test_empty_comment_gets_a_clear_message(client, thread):
    _signed_in(client)
    response = client.post(reverse("comments:comment-create", args=[thread.pk]), {"body": "  "})
    assert response.status_code == 400
    assertContains(response, "the comment is empty", status_code=400)


def test_over_long_comment_is_refused_and_the_text_kept(client, thread, settings):
    settings.COMMENT_MAX_LENGTH = 30
    _signed_in(client)
    body = "A fairly long comment that goes on and on"
    response = client.post(reverse("comments:comment-create", args=[thread.pk]), {"body": body})
    assert response.status_code == 400
    assertContains(response, "at most 30 characters", status_code=400)
    assertContains(response, body, status_code=400)


def test_invalid_htmx_post_puts_the_form_back_in_place(client, thread):
    _signed_in(client)
    url = reverse("comments:comment-create", args=[thread.pk])
    response = client.post(url, {"body": ""}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#comment-form-{thread.pk}"
    assert response["HX-Reswap"] == "outerHTML"
    assertContains(response, "the comment is empty")


def test_locked_thread_refuses_comments(client, thread):
    moderation.thread_lock(thread=thread, moderator=make_moderator(), reason="Heated", locked=True)
    _signed_in(client)
    response = client.post(reverse("comments:comment-create", args=[thread.pk]), {"body": "Hi"})
    assert response.status_code == 403
    assertContains(response, "locked", status_code=403)


def test_posting_is_rate_limited_with_a_message(client, thread):
    _signed_in(client)
    url = reverse("comments:comment-create", args=[thread.pk])
    statuses = [client.post(url, {"body": f"Comment {n}"}).status_code for n in range(7)]
    assert statuses == [302] * 6 + [429]
    response = client.post(url, {"body": "Still here"})
    assertContains(response, "Slow down", status_code=429)
    assertContains(response, "Still here", status_code=429)


def test_preview_renders_without_saving(client, thread):
    _signed_in(client)
    response = client.post(
        reverse("comments:comment-create", args=[thread.pk]), {"body": "||twist||", "preview": "1"}
    )
    assert response.status_code == 200
    assertContains(response, '<span class="spoiler"')
    assert thread.comments.count() == 1


def test_htmx_preview_answers_with_the_preview_partial(client):
    _signed_in(client)
    response = client.post(reverse("comments:preview"), {"body": "*hi*"}, **HTMX)
    assertContains(response, "<em>hi</em>")
    assertNotContains(response, "<html")


def test_quote_reply_prefills_the_quoted_text(client, thread):
    _signed_in(client)
    root = _root(thread)
    response = client.get(reverse("comments:reply", args=[root.pk]) + "?quote=1")
    assertContains(response, "&gt; The very first comment")
    assertContains(response, f"@{root.author.username}")


def test_quote_reply_can_quote_just_the_selected_words(client, thread):
    _signed_in(client)
    url = reverse("comments:reply", args=[_root(thread).pk])
    response = client.get(url, {"quote": "1", "selection": "very first"}, **HTMX)
    assertContains(response, "&gt; very first\n")
    assertNotContains(response, "The very first comment")


# Editing and deleting ---------------------------------------------------------------------------


def test_nobody_edits_another_users_comment(client, thread):
    _signed_in(client)
    url = reverse("comments:edit", args=[_root(thread).pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"body": "Hijacked"}).status_code == 403
    assert _root(thread).body == "The very first comment"


def test_author_edits_their_comment_and_it_is_marked_edited(client, thread):
    root = _root(thread)
    _signed_in(client, root.author)
    response = client.post(reverse("comments:edit", args=[root.pk]), {"body": "Better words"})
    assertRedirects(response, root.get_absolute_url(), fetch_redirect_response=False)
    page = client.get(thread.get_absolute_url())
    assertContains(page, "Better words")
    assertContains(page, "edited</span>")


def test_htmx_edit_form_and_save_are_partials(client, thread):
    root = _root(thread)
    _signed_in(client, root.author)
    url = reverse("comments:edit", args=[root.pk])
    form = client.get(url, **HTMX)
    assertContains(form, f'id="edit-form-{root.pk}"')
    assertNotContains(form, "<html")
    saved = client.post(url, {"body": "Changed"}, **HTMX)
    # The comment's article alone is replaced: the replies loaded under it stay.
    assert saved["HX-Retarget"] == f"#comment-{root.pk} > article"
    assertContains(saved, f'id="comment-body-{root.pk}"')
    assertContains(saved, "Changed")


def test_nobody_deletes_another_users_comment(client, thread):
    _signed_in(client)
    url = reverse("comments:delete", args=[_root(thread).pk])
    assert client.post(url).status_code == 403
    assert _root(thread).status == CommentStatus.VISIBLE


def test_anonymous_cannot_delete(client, thread):
    response = client.post(reverse("comments:delete", args=[_root(thread).pk]))
    assert response.status_code == 403
    assert _root(thread).status == CommentStatus.VISIBLE


def test_author_deletes_and_a_placeholder_keeps_its_place(client, thread):
    root = _root(thread)
    reply = services.comment_create(thread=thread, author=make_user(), body="Reply", parent=root)
    _signed_in(client, root.author)
    assert client.get(reverse("comments:delete", args=[root.pk])).status_code == 200
    client.post(reverse("comments:delete", args=[root.pk]))
    page = client.get(thread.get_absolute_url())
    assertContains(page, "deleted by its author")
    assertNotContains(page, "The very first comment")
    assertContains(page, f'id="comment-{reply.pk}"')


def test_deleted_account_shows_deleted_user(client, thread):
    root = _root(thread)
    root.author.delete()
    assertContains(client.get(thread.get_absolute_url()), "deleted user")


# Moderation ----------------------------------------------------------------------------------


def test_only_moderators_remove_comments(client, thread):
    root = _root(thread)
    _signed_in(client)
    assert client.post(reverse("comments:remove", args=[root.pk])).status_code == 403
    _signed_in(client, make_moderator())
    client.post(reverse("comments:remove", args=[root.pk]), {"reason": "Spam."})
    root.refresh_from_db()
    assert root.status == CommentStatus.REMOVED
    assertContains(client.get(thread.get_absolute_url()), "removed by a moderator")


def test_only_moderators_lock_threads(client, thread):
    url = reverse("comments:lock", args=[thread.pk])
    _signed_in(client)
    assert client.post(url, {"locked": "1"}).status_code == 403
    _signed_in(client, make_moderator())
    client.post(url, {"locked": "1", "reason": "Flame war."})
    thread.refresh_from_db()
    assert thread.locked


def test_moderation_queue_is_for_moderators_only(client, thread):
    services.flag_create(comment=_root(thread), reporter=make_user(), reason="spam")
    _signed_in(client)
    assert client.get(reverse("comments:moderation")).status_code == 403
    _signed_in(client, make_moderator())
    assertContains(client.get(reverse("comments:moderation")), "Spam or advertising")


def test_moderator_resolves_a_flag_by_removing_the_comment(client, thread):
    flag = services.flag_create(comment=_root(thread), reporter=make_user(), reason="abuse")
    _signed_in(client, make_moderator())
    client.post(
        reverse("comments:flag-resolve", args=[flag.pk]), {"action": "remove", "reason": "Abuse."}
    )
    flag.refresh_from_db()
    assert flag.resolved_at is not None
    assert flag.comment.status == CommentStatus.REMOVED


def test_a_fan_reports_a_comment(client, thread):
    reporter = _signed_in(client)
    root = _root(thread)
    response = client.post(reverse("comments:flag", args=[root.pk]), {"reason": "spoiler"})
    assertRedirects(response, root.get_absolute_url(), fetch_redirect_response=False)
    assert Flag.objects.get(comment=root).reporter == reporter


# Likes and follows --------------------------------------------------------------------------


def test_like_then_unlike_without_javascript(client, thread):
    root = _root(thread)
    _signed_in(client)
    url = reverse("comments:like", args=[root.pk])
    assert client.post(url).status_code == 302
    root.refresh_from_db()
    assert root.like_count == 1
    client.post(url)
    root.refresh_from_db()
    assert root.like_count == 0


def test_htmx_like_answers_with_the_button(client, thread):
    root = _root(thread)
    _signed_in(client)
    response = client.post(reverse("comments:like", args=[root.pk]), **HTMX)
    assertContains(response, 'aria-pressed="true"')
    assertContains(response, '<span class="like-button__count">1</span>')


def test_anonymous_cannot_like(client, thread):
    assert client.post(reverse("comments:like", args=[_root(thread).pk])).status_code == 403


def test_follow_toggle(client, thread):
    user = _signed_in(client)
    url = reverse("comments:follow", args=[thread.pk])
    client.post(url)
    assert thread.subscriptions.filter(user=user).exists()
    response = client.post(url, **HTMX)
    assertContains(response, 'aria-pressed="false"')
    assert not thread.subscriptions.filter(user=user).exists()


# Pages, sorts, permalinks ---------------------------------------------------------------------


def test_wrong_slug_redirects_to_the_canonical_address(client, thread):
    response = client.get(reverse("comments:thread", args=[thread.pk, "old-title"]))
    assertRedirects(response, thread.get_absolute_url(), status_code=301)


def test_a_posts_thread_page_redirects_to_the_post(client):
    post = make_post()
    thread = services.thread_for_post(post=post)
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 302
    assert response.url == post.get_absolute_url()


def _roots(thread, count, **fields):
    author = make_user()
    return [
        services.comment_create(thread=thread, author=author, body=f"Root {n}", **fields)
        for n in range(count)
    ]


def _comment_list(response) -> str:
    html = response.content.decode()
    return html[html.index('class="comment-list"') :]


def test_sort_newest_lists_newest_first(client, thread):
    _roots(thread, 2)
    html = _comment_list(client.get(thread.get_absolute_url() + "?sort=newest"))
    assert html.index("Root 1") < html.index("Root 0") < html.index("The very first comment")


def test_sort_most_liked_lists_most_liked_first(client, thread):
    first, second = _roots(thread, 2)
    services.reaction_toggle(comment=second, user=make_user())
    html = _comment_list(client.get(thread.get_absolute_url() + "?sort=liked"))
    assert html.index("Root 1") < html.index("The very first comment") < html.index("Root 0")


@pytest.mark.parametrize(
    ("sort", "expected_page"),
    [("oldest", 2), ("newest", 1), ("liked", 1)],
)
def test_permalink_opens_the_right_page_and_anchor(client, thread, settings, sort, expected_page):
    settings.COMMENTS_PER_PAGE = 3
    roots = [_root(thread), *_roots(thread, 6)]  # 7 roots: pages of 3, 3, 1
    target = roots[5]  # 6th oldest, 2nd newest
    reply = services.comment_create(thread=thread, author=make_user(), body="r", parent=target)
    services.reaction_toggle(comment=target, user=make_user())  # the most liked
    response = client.get(reverse("comments:permalink", args=[reply.pk]) + f"?sort={sort}")
    query = [] if sort == "oldest" else [f"sort={sort}"]
    if expected_page > 1:
        query.append(f"page={expected_page}")
    suffix = f"?{'&'.join(query)}" if query else ""
    assert response.url == f"{thread.get_absolute_url()}{suffix}#comment-{reply.pk}"
    page = client.get(response.url)
    assertContains(page, f'id="comment-{reply.pk}"')


def test_permalink_of_a_post_comment_opens_the_post_page(client):
    post = make_post()
    thread = services.thread_for_post(post=post)
    comment = services.comment_create(thread=thread, author=make_user(), body="On the news")
    response = client.get(comment.get_absolute_url())
    assert response.url == f"{post.get_absolute_url()}#comment-{comment.pk}"


# Starting discussions -------------------------------------------------------------------------


@pytest.mark.parametrize("maker", [make_film, make_person, make_character])
def test_start_a_discussion_about_a_subject(client, maker):
    subject = maker()
    kind = subject._meta.model_name
    _signed_in(client)
    url = reverse("comments:thread-new-about", args=[kind, subject.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Favourite scene", "body": "The dance!"})
    thread = Thread.objects.get(title="Favourite scene")
    assertRedirects(response, thread.get_absolute_url(), fetch_redirect_response=False)
    assert getattr(thread, kind) == subject
    assert thread.comment_count == 1


def test_start_a_general_discussion_needs_a_title(client):
    _signed_in(client)
    response = client.post(reverse("comments:thread-new"), {"title": "", "body": "Hi"})
    assert response.status_code == 400
    assertContains(response, "This field is required", status_code=400)
    assertContains(response, "Hi", status_code=400)


def test_start_a_discussion_about_an_unknown_kind_is_404(client):
    _signed_in(client)
    assert client.get("/discussions/new/studio/disney/").status_code == 404


def test_anonymous_start_discussion_goes_to_sign_in(client):
    response = client.get(reverse("comments:thread-new"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


# Notifications and unsubscribe ----------------------------------------------------------------


def test_header_shows_the_unread_count(client, thread):
    _signed_in(client, thread.starter)
    services.comment_create(thread=thread, author=make_user(), body="New")
    response = client.get(reverse("comments:index"))
    assertContains(response, '<span class="header-notifications__count">1</span>')


def test_opening_a_notification_marks_it_read_and_goes_to_the_comment(client, thread):
    _signed_in(client, thread.starter)
    comment = services.comment_create(thread=thread, author=make_user(), body="New")
    notification = Notification.objects.get(recipient=thread.starter)
    response = client.post(reverse("comments:notification-open", args=[notification.pk]))
    assert response.url == comment.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("method", ["get", "head"])
def test_following_a_notification_link_goes_to_the_comment_without_marking_it_read(
    client, thread, method
):
    _signed_in(client, thread.starter)
    comment = services.comment_create(thread=thread, author=make_user(), body="New")
    notification = Notification.objects.get(recipient=thread.starter)
    url = reverse("comments:notification-open", args=[notification.pk])
    response = getattr(client, method)(url)
    assert response.url == comment.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is None


def test_notifications_page_opens_each_notification_with_a_post_form(client, thread):
    _signed_in(client, thread.starter)
    services.comment_create(thread=thread, author=make_user(), body="New")
    notification = Notification.objects.get(recipient=thread.starter)
    html = client.get(reverse("comments:notifications")).content.decode()
    url = reverse("comments:notification-open", args=[notification.pk])
    form = re.search(r'<form class="notification__open" method="post"\s+action="([^"]+)"', html)
    assert form.group(1) == url


def test_nobody_opens_another_users_notification(client, thread):
    services.comment_create(thread=thread, author=make_user(), body="New")
    notification = Notification.objects.get(recipient=thread.starter)
    _signed_in(client)
    response = client.get(reverse("comments:notification-open", args=[notification.pk]))
    assert response.status_code == 404


def test_mark_all_read(client, thread):
    _signed_in(client, thread.starter)
    services.comment_create(thread=thread, author=make_user(), body="New")
    client.post(reverse("comments:notifications-read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_unsubscribe_link_from_an_email_works_without_signing_in(
    client, thread, mailoutbox, django_capture_on_commit_callbacks
):
    root = _root(thread)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(thread=thread, author=make_user(), body="Hi", parent=root)
    # The email's first link stops replies (comments/email/_footer.txt; its second, all email).
    link = re.search(r"https?://\S+/discussions/unsubscribe/\S+/", mailoutbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assertContains(client.get(f"/{path}"), "Stop these emails")
    client.post(f"/{path}")
    assert email_choices_of(root.author)["reply"] is False


def test_a_tampered_unsubscribe_token_is_404(client, user):
    token = unsubscribe_token(user)
    response = client.post(reverse("comments:unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 404
    user.refresh_from_db()
    assert user.email_notifications is True


# Query counts ---------------------------------------------------------------------------------


def _bulk_thread(size: int) -> Thread:
    """A thread with `size` comments: a fifth top level, the rest replies two levels deep."""
    author, other = make_user(), make_user()
    thread = Thread.objects.create(title=f"Big {size}", comment_count=size)
    roots = Comment.objects.bulk_create(
        Comment(thread=thread, author=author, body="r", body_html="<p>r</p>")
        for _ in range(size // 5)
    )
    level1 = Comment.objects.bulk_create(
        Comment(thread=thread, author=other, body="a", body_html="<p>a</p>", parent=root,
                root=root, depth=1)
        for root in roots for _ in range(2)
    )  # fmt: skip
    Comment.objects.bulk_create(
        Comment(thread=thread, author=author, body="b", body_html="<p>b</p>", parent=reply,
                root=reply.root, depth=2)
        for reply in level1
    )  # fmt: skip
    assert thread.comments.count() == size
    return thread


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_thread_page_queries_do_not_grow_with_the_thread(client, django_assert_max_num_queries):
    """Guards the roots-then-replies plan: 10 or 2,000 comments, no per-comment author or reply
    query, one query for the user's likes."""
    viewer = _signed_in(client)
    small, big = _bulk_thread(10), _bulk_thread(2000)
    services.reaction_toggle(comment=big.comments.first(), user=viewer)
    for thread in (small, big):  # What the thread's version keeps: its count, its first comment.
        client.get(thread.get_absolute_url() + "?sort=newest")
    small_count = _queries(client, small.get_absolute_url())
    with django_assert_max_num_queries(small_count):
        client.get(big.get_absolute_url() + "?sort=liked&page=3")
    assert _queries(client, big.get_absolute_url()) == small_count


def test_thread_page_shows_all_replies_of_its_roots(client, settings):
    settings.COMMENTS_PER_PAGE = 2
    thread = _bulk_thread(10)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert html.count('class="comment-item') == 10


def test_index_queries_do_not_grow_with_threads(client, django_assert_max_num_queries):
    """Guards the list against a query per row for the subject and the last poster."""
    for n in range(3):
        start_thread(film=make_film()) if n % 2 else start_thread()
    few = _queries(client, reverse("comments:index"))
    for n in range(20):
        start_thread(person=make_person()) if n % 2 else start_thread(post=make_post())
    with django_assert_max_num_queries(few):
        response = client.get(reverse("comments:index"))
    assert response.content.decode().count('class="thread-row"') == 23


def test_index_lists_threads_by_last_activity_with_counts_and_last_poster(client):
    start_thread(title="Quiet one")
    busy = start_thread(title="Busy one")
    poster = make_user(display_name="Heather M")
    services.comment_create(thread=busy, author=poster, body="More")
    html = client.get(reverse("comments:index")).content.decode()
    assert html.index("Busy one") < html.index("Quiet one")
    assert "2 comments" in html
    assert "last by Heather M" in html


def test_profile_lists_comments_newest_first_in_constant_queries(
    client, django_assert_max_num_queries
):
    """Guards the profile list against a query per comment for its thread."""
    fan = make_user()
    for n in range(3):
        services.comment_create(thread=start_thread(), author=fan, body=f"Note {n}")
    few = _queries(client, fan.get_absolute_url())
    for n in range(12):
        services.comment_create(thread=start_thread(), author=fan, body=f"More {n}")
    with django_assert_max_num_queries(few):
        response = client.get(fan.get_absolute_url())
    html = response.content.decode()
    assert html.index("More 11") < html.index("More 10")
    assert "Note 0" not in html  # on page 2
    assertContains(client.get(fan.get_absolute_url() + "?page=2"), "Note 0")


def test_notifications_page_queries_do_not_grow(client, django_assert_max_num_queries, thread):
    """Guards the list against a query per notification for the actor and the thread."""
    _signed_in(client, thread.starter)
    for _ in range(2):
        services.comment_create(thread=thread, author=make_user(), body="x")
    few = _queries(client, reverse("comments:notifications"))
    for _ in range(10):
        services.comment_create(thread=thread, author=make_user(), body="y")
    with django_assert_max_num_queries(few):
        client.get(reverse("comments:notifications"))


def test_anonymous_visitors_get_a_cached_section_until_the_thread_changes(
    client, thread, django_capture_on_commit_callbacks
):
    first = _queries(client, thread.get_absolute_url())
    again = _queries(client, thread.get_absolute_url())
    assert again < first
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(thread=thread, author=make_user(), body="Fresh news")
    assertContains(client.get(thread.get_absolute_url()), "Fresh news")


def test_members_never_get_the_cached_section(client, thread):
    client.get(thread.get_absolute_url())  # cached for anonymous visitors
    _signed_in(client)
    assertContains(client.get(thread.get_absolute_url()), 'name="body"')


def test_reporting_is_rate_limited(client, thread):
    _signed_in(client)
    comments = [_root(thread), *_roots(thread, 10)]
    statuses = [
        client.post(reverse("comments:flag", args=[c.pk]), {"reason": "spam"}).status_code
        for c in comments
    ]
    assert statuses == [302] * 10 + [429]
    assert Flag.objects.count() == 10


def test_thread_page_describes_itself_as_a_discussion_posting(client):

    thread = start_thread(title="Best </script> outfit", body="The **blue** one", film=make_film())
    html = client.get(thread.get_absolute_url()).content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "DiscussionForumPosting"
    assert data["headline"] == "Best </script> outfit"
    assert data["text"] == "The blue one"
    assert data["author"]["name"] == thread.starter.public_name
    assert data["interactionStatistic"]["userInteractionCount"] == 1


def test_thread_structured_data_urls_name_the_host_of_the_request(client, thread):
    html = client.get(thread.get_absolute_url()).content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(raw)
    assert data["url"] == f"http://testserver{thread.get_absolute_url()}"
    assert data["author"]["url"] == f"http://testserver{thread.starter.get_absolute_url()}"


def test_thread_canonical_link_names_the_host_of_the_request(client, thread):
    response = client.get(thread.get_absolute_url())
    assertContains(response, f'href="http://testserver{thread.get_absolute_url()}"')


def test_htmx_request_from_a_signed_out_visitor_is_sent_to_sign_in(client, thread):
    url = reverse("comments:like", args=[_root(thread).pk])
    response = client.post(
        url, HTTP_REFERER=f"http://testserver{thread.get_absolute_url()}", **HTMX
    )
    assert response.status_code == 403
    assert response["HX-Redirect"].startswith(reverse("account_login") + "?next=")


def test_nobody_reports_their_own_comment(client, thread):
    root = _root(thread)
    _signed_in(client, root.author)
    assert (
        client.post(reverse("comments:flag", args=[root.pk]), {"reason": "spam"}).status_code == 403
    )
    assert not Flag.objects.exists()


@pytest.mark.parametrize(
    ("name", "expected"),
    [("thread", 200), ("index", 200), ("permalink", 302), ("notifications", 200)],
)
def test_head_answers_like_get(client, thread, name, expected):
    _signed_in(client)
    args = {
        "thread": [thread.pk, thread.slug],
        "permalink": [_root(thread).pk],
    }.get(name, [])
    url = reverse(f"comments:{name}", args=args)
    assert client.head(url).status_code == client.get(url).status_code == expected


def test_header_count_leaves_out_notifications_about_deleted_comments(client, thread):
    _signed_in(client, thread.starter)
    services.comment_create(thread=thread, author=make_user(), body="Stays")
    gone = services.comment_create(thread=thread, author=make_user(), body="Goes")
    services.comment_delete(comment=gone)
    response = client.get(reverse("comments:index"))
    assertContains(response, '<span class="header-notifications__count">1</span>')


def test_notification_list_leaves_out_removed_comments(client, thread):
    _signed_in(client, thread.starter)
    kept = services.comment_create(thread=thread, author=make_user(), body="Stays")
    gone = services.comment_create(thread=thread, author=make_user(), body="Goes")
    moderation.comment_remove(comment=gone, moderator=make_moderator(), reason="Off topic")
    response = client.get(reverse("comments:notifications"))
    shown = [n.comment_id for n in response.context["page_obj"].object_list]
    assert shown == [kept.pk]


def test_no_email_about_a_comment_deleted_before_it_went(
    thread, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        reply = services.comment_create(
            thread=thread, author=make_user(), body="Oops", parent=_root(thread)
        )
    services.comment_delete(comment=reply)
    for callback in callbacks:
        callback()
    assert mailoutbox == []


def test_anonymous_section_is_cached_once_per_resolved_page(client, thread, monkeypatch, settings):
    settings.COMMENTS_PER_PAGE = 2
    _roots(thread, 3)  # Two pages.
    rendered = []
    original = sections._render_section
    monkeypatch.setattr(sections, "_render_section", lambda *a: rendered.append(1) or original(*a))
    for page in ["", "?page=1", "?page=01", "?page=abc", "?page=2", "?page=02", "?page=99"]:
        client.get(thread.get_absolute_url() + page)
    assert len(rendered) == 2


def test_moderators_reach_a_removed_comments_review_from_the_thread(client, thread):
    """Restoring is a moderator action with a reason: the thread page links to its review."""
    moderator = make_moderator()
    gone = services.comment_create(thread=thread, author=make_user(), body="Rude")
    moderation.comment_remove(comment=gone, moderator=moderator, reason="Rude")
    review = reverse("comments:moderation-comment", args=[gone.pk])
    _signed_in(client, moderator)
    assertContains(client.get(thread.get_absolute_url()), f'href="{review}"')
    _signed_in(client)
    assertNotContains(client.get(thread.get_absolute_url()), f'href="{review}"')
