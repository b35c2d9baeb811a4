"""Reports act on their own: a comment reported by COMMENTS_AUTO_HIDE_REPORTS members who count
is hidden at once, pending review, and the hide is on record."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from comments import services
from comments.models import CommentStatus, Flag, ModerationAction, ModerationActionKind
from tests.factories import make_moderator, make_suspension, make_user, start_thread

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
WORDS = "Buy cheap tickets now"
PLACEHOLDER = "This comment is hidden pending review by the moderators."


@pytest.fixture
def thread(db):
    return start_thread(body="The very first comment")


@pytest.fixture
def root(thread):
    return thread.comments.get()


@pytest.fixture
def troll(db):
    return make_user()


@pytest.fixture
def reported(thread, root, troll):
    """A reply with a reply of its own, by the troll."""
    comment = services.comment_create(thread=thread, author=troll, body=WORDS, parent=root)
    services.comment_create(
        thread=thread, author=make_user(), body="Nobody wants that", parent=comment
    )
    return comment


def _report(comment, count: int, reason: str = "spam", **user_fields) -> list:
    reporters = [make_user(**user_fields) for _ in range(count)]
    for reporter in reporters:
        services.flag_create(comment=comment, reporter=reporter, reason=reason)
    return reporters


def _status(comment) -> str:
    comment.refresh_from_db()
    return comment.status


def _counts(thread, root) -> tuple[int, int]:
    thread.refresh_from_db()
    root.refresh_from_db()
    return thread.comment_count, root.reply_count


def test_two_reports_do_not_hide_a_comment(reported):
    _report(reported, 2)
    assert _status(reported) == CommentStatus.VISIBLE
    assert not ModerationAction.objects.exists()


def test_three_reports_hide_a_comment_pending_review(reported):
    _report(reported, 3)
    assert _status(reported) == CommentStatus.HIDDEN


def test_the_threshold_is_a_setting(reported, settings):
    settings.COMMENTS_AUTO_HIDE_REPORTS = 5
    _report(reported, 4)
    assert _status(reported) == CommentStatus.VISIBLE
    _report(reported, 1)
    assert _status(reported) == CommentStatus.HIDDEN


def test_hiding_takes_the_comment_off_the_visible_counts(thread, root, reported):
    assert _counts(thread, root) == (3, 2)
    _report(reported, 3)
    assert _counts(thread, root) == (2, 1)


def test_a_fourth_report_changes_no_count_and_writes_no_second_record(thread, root, reported):
    _report(reported, 4)
    assert _counts(thread, root) == (2, 1)
    assert ModerationAction.objects.count() == 1


def test_the_automatic_hide_is_on_record_with_the_reasons(reported, troll):
    _report(reported, 2, reason="spam")
    _report(reported, 1, reason="abuse")
    row = ModerationAction.objects.get()
    assert row.action == ModerationActionKind.AUTO_HIDE
    assert row.moderator is None
    assert (row.comment, row.member, row.thread_id) == (reported, troll, reported.thread_id)
    assert row.reason == "Reported by 3 members: Spam or advertising ×2, Abusive or hateful"


def test_hiding_retires_the_cached_section(
    client, thread, reported, django_capture_on_commit_callbacks
):
    assert WORDS in client.get(thread.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _report(reported, 3)
    response = client.get(thread.get_absolute_url())
    assertNotContains(response, WORDS)
    assertContains(response, PLACEHOLDER)


def test_reports_by_suspended_members_do_not_count(reported):
    reporters = _report(reported, 2)
    make_suspension(user=reporters[0])
    _report(reported, 1)
    assert _status(reported) == CommentStatus.VISIBLE


def test_a_suspension_that_is_over_lets_the_report_count(reported):
    reporters = _report(reported, 2)
    make_suspension(user=reporters[0], starts_at=timezone.now() - timedelta(days=3), days=1)
    _report(reported, 1)
    assert _status(reported) == CommentStatus.HIDDEN


def test_reports_by_new_members_do_not_count(reported, settings):
    settings.NEW_MEMBER_HOURS = 24
    _report(reported, 5)  # Accounts made just now.
    assert _status(reported) == CommentStatus.VISIBLE
    _report(reported, 3, date_joined=timezone.now() - timedelta(days=2))
    assert _status(reported) == CommentStatus.HIDDEN


def test_reports_by_members_with_too_few_comments_do_not_count(reported, settings):
    settings.NEW_MEMBER_MIN_COMMENTS = 3
    _report(reported, 3)
    assert _status(reported) == CommentStatus.VISIBLE


def test_a_new_moderators_report_counts(reported, settings):
    settings.NEW_MEMBER_HOURS = 24
    _report(reported, 2, date_joined=timezone.now() - timedelta(days=2))
    services.flag_create(comment=reported, reporter=make_moderator(), reason="spam")
    assert _status(reported) == CommentStatus.HIDDEN


def test_resolved_reports_do_not_count_again(reported):
    reporters = _report(reported, 2)
    Flag.objects.filter(reporter=reporters[0]).update(resolved_at=timezone.now())
    _report(reported, 1)
    assert _status(reported) == CommentStatus.VISIBLE


def test_reporting_again_does_not_reopen_a_resolved_report(reported):
    reporter = make_user()
    flag = services.flag_create(comment=reported, reporter=reporter, reason="spam")
    Flag.objects.filter(pk=flag.pk).update(resolved_at=timezone.now())
    services.flag_create(comment=reported, reporter=reporter, reason="abuse")
    flag.refresh_from_db()
    assert (flag.resolved_at is not None, flag.reason) == (True, "spam")


def test_one_report_per_member_and_comment(reported):
    reporter = make_user()
    for _ in range(3):
        services.flag_create(comment=reported, reporter=reporter, reason="spam")
    assert reported.flags.count() == 1
    assert _status(reported) == CommentStatus.VISIBLE
    with pytest.raises(IntegrityError):
        Flag.objects.create(comment=reported, reporter=reporter, reason="spam")


# What readers see -------------------------------------------------------------------------------


@pytest.fixture
def hidden(reported):
    _report(reported, 3)
    return reported


def test_readers_see_a_neutral_placeholder_and_the_replies(client, thread, hidden):
    client.force_login(make_user())
    response = client.get(thread.get_absolute_url())
    assertContains(response, PLACEHOLDER)
    assertNotContains(response, WORDS)
    assertContains(response, "Nobody wants that")


def test_anonymous_readers_see_the_placeholder(client, thread, hidden):
    response = client.get(thread.get_absolute_url())
    assertContains(response, PLACEHOLDER)
    assertNotContains(response, WORDS)


def test_the_author_sees_their_text_marked_hidden_pending_review(client, thread, hidden, troll):
    client.force_login(troll)
    response = client.get(thread.get_absolute_url())
    assertContains(response, "Your comment is hidden pending review")
    assertContains(response, WORDS)


def test_a_hidden_comment_leaves_the_authors_profile(client, hidden, troll):
    assertNotContains(client.get(troll.get_absolute_url()), WORDS)


def test_a_hidden_comment_takes_no_replies(thread, hidden):
    with pytest.raises(ValidationError, match="hidden"):
        services.comment_create(thread=thread, author=make_user(), body="Hi", parent=hidden)


def test_a_hidden_comment_takes_no_likes(hidden):
    with pytest.raises(ValidationError, match="hidden"):
        services.reaction_set(comment=hidden, user=make_user(), liked=True)
    assert not hidden.reactions.exists()


def test_a_hidden_comment_takes_no_edits(hidden):
    with pytest.raises(ValidationError, match="hidden"):
        services.comment_edit(comment=hidden, body="Innocent now")
    hidden.refresh_from_db()
    assert hidden.body == WORDS


def test_its_author_cannot_edit_a_hidden_comment_on_the_site(client, hidden, troll):
    client.force_login(troll)
    url = reverse("comments:edit", args=[hidden.pk])
    assert client.post(url, {"body": "Innocent now"}).status_code == 403


def test_a_hidden_comment_shows_no_reply_like_or_report_buttons(client, thread, hidden):
    client.force_login(make_user())
    html = client.get(thread.get_absolute_url()).content.decode()
    for action in ("comments:reply", "comments:like", "comments:flag"):
        assert reverse(action, args=[hidden.pk]) not in html


def test_three_reports_on_the_site_hide_the_comment(client, thread, reported):
    for _ in range(3):
        client.force_login(make_user())
        client.post(reverse("comments:flag", args=[reported.pk]), {"reason": "abuse"})
    assert _status(reported) == CommentStatus.HIDDEN
    client.logout()
    assertNotContains(client.get(thread.get_absolute_url()), WORDS)
