from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Suspension
from comments import moderation, services
from comments.caching import thread_version
from comments.models import (
    Comment,
    CommentStatus,
    Flag,
    FlagOutcome,
    ModerationAction,
    ModerationActionKind,
    Thread,
)
from tests.factories import (
    make_character,
    make_film,
    make_moderator,
    make_person,
    make_post,
    make_staff,
    make_user,
    start_thread,
)

pytestmark = pytest.mark.django_db
REASON = "Breaks rule 2: no personal attacks."


@pytest.fixture
def moderator():
    return make_moderator()


@pytest.fixture
def thread():
    return start_thread(body="The first comment")


@pytest.fixture
def root(thread):
    return thread.comments.get()


def _reply(thread, root):
    return services.comment_create(thread=thread, author=make_user(), body="A reply", parent=root)


def _report(comment, count: int = 1) -> list[Flag]:
    return [
        services.flag_create(comment=comment, reporter=make_user(), reason="abuse")
        for _ in range(count)
    ]


def _hidden(comment) -> Comment:
    """A comment hidden pending review, as the automatic hide leaves it."""
    _report(comment, 3)  # which may hide it already, if these reporters count
    comment.refresh_from_db()
    if comment.status != CommentStatus.HIDDEN:
        services._hide(comment=comment, status=CommentStatus.HIDDEN)
    return comment


def _counts(thread, root) -> tuple[int, int]:
    thread.refresh_from_db()
    root.refresh_from_db()
    return thread.comment_count, root.reply_count


def _moderators_rows():
    return ModerationAction.objects.exclude(action=ModerationActionKind.AUTO_HIDE)


def _only_row() -> ModerationAction:
    """The one row a moderator's action wrote (an automatic hide may have written another)."""
    return _moderators_rows().get()


# Remove -------------------------------------------------------------------------------------


def test_remove_takes_the_comment_off_the_counters(thread, root, moderator):
    reply = _reply(thread, root)
    moderation.comment_remove(comment=reply, moderator=moderator, reason=REASON)
    reply.refresh_from_db()
    assert reply.status == CommentStatus.REMOVED
    assert _counts(thread, root) == (1, 0)


def test_remove_writes_one_row_saying_who_what_which_and_why(thread, root, moderator):
    moderation.comment_remove(comment=root, moderator=moderator, reason=f"  {REASON}  ")
    row = _only_row()
    assert (row.moderator, row.action, row.comment, row.thread) == (
        moderator,
        ModerationActionKind.REMOVE,
        root,
        thread,
    )
    assert row.member == root.author
    assert row.reason == REASON


def test_remove_upholds_the_open_reports(root, moderator):
    flag = _report(root)[0]
    moderation.comment_remove(comment=root, moderator=moderator, reason=REASON)
    flag.refresh_from_db()
    assert (flag.outcome, flag.resolved_by) == (FlagOutcome.UPHELD, moderator)


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_remove_needs_a_reason(root, moderator, reason):
    with pytest.raises(ValidationError, match="Give a reason"):
        moderation.comment_remove(comment=root, moderator=moderator, reason=reason)
    root.refresh_from_db()
    assert root.is_visible
    assert not ModerationAction.objects.exists()


def test_a_member_cannot_remove(root):
    with pytest.raises(PermissionDenied):
        moderation.comment_remove(comment=root, moderator=make_user(), reason=REASON)
    root.refresh_from_db()
    assert root.is_visible
    assert not ModerationAction.objects.exists()


def test_removing_a_removed_comment_is_refused(root, moderator):
    moderation.comment_remove(comment=root, moderator=moderator, reason=REASON)
    with pytest.raises(ValidationError, match="already gone"):
        moderation.comment_remove(comment=root, moderator=moderator, reason=REASON)
    assert ModerationAction.objects.count() == 1


def test_remove_retires_the_threads_caches(
    thread, root, moderator, django_capture_on_commit_callbacks
):
    before = thread_version(thread.pk)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.comment_remove(comment=root, moderator=moderator, reason=REASON)
    assert thread_version(thread.pk) > before


# Restore ------------------------------------------------------------------------------------


def test_restore_brings_a_removed_reply_back_on_the_counters(thread, root, moderator):
    reply = _reply(thread, root)
    moderation.comment_remove(comment=reply, moderator=moderator, reason=REASON)
    moderation.comment_restore(comment=reply, moderator=moderator, reason="Misread it.")
    reply.refresh_from_db()
    assert reply.is_visible
    assert _counts(thread, root) == (2, 1)
    row = _moderators_rows().first()
    assert (row.action, row.comment, row.reason) == (
        ModerationActionKind.RESTORE,
        reply,
        "Misread it.",
    )


def test_restoring_a_hidden_comment_dismisses_its_reports(thread, root, moderator):
    reply = _hidden(_reply(thread, root))
    assert _counts(thread, root) == (1, 0)
    moderation.comment_restore(comment=reply, moderator=moderator, reason="Fair criticism.")
    reply.refresh_from_db()
    assert reply.is_visible
    assert _counts(thread, root) == (2, 1)
    assert set(reply.flags.values_list("outcome", flat=True)) == {FlagOutcome.DISMISSED}
    assert not reply.flags.filter(resolved_at__isnull=True).exists()
    assert _only_row().action == ModerationActionKind.RESTORE


@pytest.mark.parametrize("status", [CommentStatus.VISIBLE, CommentStatus.DELETED])
def test_only_removed_or_hidden_comments_are_restored(thread, root, moderator, status):
    Comment.objects.filter(pk=root.pk).update(status=status)
    with pytest.raises(ValidationError, match="can be restored"):
        moderation.comment_restore(comment=root, moderator=moderator, reason=REASON)
    assert not ModerationAction.objects.exists()


def test_restore_needs_a_reason(root, moderator):
    _hidden(root)
    with pytest.raises(ValidationError):
        moderation.comment_restore(comment=root, moderator=moderator, reason=" ")
    root.refresh_from_db()
    assert root.status == CommentStatus.HIDDEN


def test_a_member_cannot_restore(root):
    _hidden(root)
    with pytest.raises(PermissionDenied):
        moderation.comment_restore(comment=root, moderator=make_user(), reason=REASON)


# Dismiss and uphold -------------------------------------------------------------------------


def test_dismiss_keeps_the_comment_and_closes_its_reports(thread, root, moderator):
    flags = _report(root, 2)
    moderation.flags_dismiss(comment=root, moderator=moderator, reason="Not abuse.")
    root.refresh_from_db()
    assert root.is_visible
    assert _counts(thread, root)[0] == 1
    for flag in flags:
        flag.refresh_from_db()
        assert (flag.outcome, flag.resolved_by) == (FlagOutcome.DISMISSED, moderator)
    row = _only_row()
    assert (row.action, row.comment, row.moderator) == (
        ModerationActionKind.DISMISS,
        root,
        moderator,
    )


def test_dismissing_reports_on_a_hidden_comment_shows_it_again(thread, root, moderator):
    reply = _hidden(_reply(thread, root))
    moderation.flags_dismiss(comment=reply, moderator=moderator, reason="Not abuse.")
    reply.refresh_from_db()
    assert reply.is_visible
    assert _counts(thread, root) == (2, 1)


def test_uphold_removes_the_comment_and_upholds_its_reports(thread, root, moderator):
    reply = _reply(thread, root)
    flags = _report(reply, 2)
    moderation.flags_uphold(comment=reply, moderator=moderator, reason="Abuse.")
    reply.refresh_from_db()
    assert reply.status == CommentStatus.REMOVED
    assert _counts(thread, root) == (1, 0)
    for flag in flags:
        flag.refresh_from_db()
        assert flag.outcome == FlagOutcome.UPHELD
    assert _only_row().action == ModerationActionKind.UPHOLD


def test_upholding_reports_on_a_hidden_comment_leaves_the_counters_alone(thread, root, moderator):
    reply = _hidden(_reply(thread, root))
    moderation.flags_uphold(comment=reply, moderator=moderator, reason="Abuse.")
    reply.refresh_from_db()
    assert reply.status == CommentStatus.REMOVED
    assert _counts(thread, root) == (1, 0)


@pytest.mark.parametrize("service", [moderation.flags_dismiss, moderation.flags_uphold])
def test_dismiss_and_uphold_need_open_reports(root, moderator, service):
    with pytest.raises(ValidationError, match="no open reports"):
        service(comment=root, moderator=moderator, reason=REASON)
    assert not ModerationAction.objects.exists()


@pytest.mark.parametrize("service", [moderation.flags_dismiss, moderation.flags_uphold])
def test_dismiss_and_uphold_need_a_reason(root, moderator, service):
    _report(root)
    with pytest.raises(ValidationError, match="Give a reason"):
        service(comment=root, moderator=moderator, reason="")
    assert root.flags.filter(resolved_at__isnull=True).count() == 1


@pytest.mark.parametrize("service", [moderation.flags_dismiss, moderation.flags_uphold])
def test_a_member_cannot_dismiss_or_uphold(root, service):
    _report(root)
    with pytest.raises(PermissionDenied):
        service(comment=root, moderator=make_user(), reason=REASON)
    assert root.flags.filter(resolved_at__isnull=True).count() == 1


# Threads ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "field", "on", "off"),
    [
        (moderation.thread_lock, "locked", ModerationActionKind.LOCK, ModerationActionKind.UNLOCK),
        (moderation.thread_pin, "pinned", ModerationActionKind.PIN, ModerationActionKind.UNPIN),
    ],
)
def test_lock_and_pin_set_and_clear_with_a_row_each(thread, moderator, service, field, on, off):
    service(thread=thread, moderator=moderator, reason="Flame war.", **{field: True})
    thread.refresh_from_db()
    assert getattr(thread, field) is True
    service(thread=thread, moderator=moderator, reason="Calmer now.", **{field: False})
    thread.refresh_from_db()
    assert getattr(thread, field) is False
    rows = list(ModerationAction.objects.order_by("pk").values_list("action", "thread", "reason"))
    assert rows == [(on, thread.pk, "Flame war."), (off, thread.pk, "Calmer now.")]


def test_locking_a_locked_thread_is_refused(thread, moderator):
    moderation.thread_lock(thread=thread, moderator=moderator, reason=REASON, locked=True)
    with pytest.raises(ValidationError, match="already locked"):
        moderation.thread_lock(thread=thread, moderator=moderator, reason=REASON, locked=True)
    assert ModerationAction.objects.count() == 1


@pytest.mark.parametrize("field", ["locked", "pinned"])
def test_lock_and_pin_need_a_reason_and_a_moderator(thread, moderator, field):
    service = moderation.thread_lock if field == "locked" else moderation.thread_pin
    with pytest.raises(ValidationError):
        service(thread=thread, moderator=moderator, reason="", **{field: True})
    with pytest.raises(PermissionDenied):
        service(thread=thread, moderator=make_user(), reason=REASON, **{field: True})
    thread.refresh_from_db()
    assert getattr(thread, field) is False
    assert not ModerationAction.objects.exists()


def test_lock_retires_the_threads_caches(thread, moderator, django_capture_on_commit_callbacks):
    before = thread_version(thread.pk)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.thread_lock(thread=thread, moderator=moderator, reason=REASON, locked=True)
    assert thread_version(thread.pk) > before


@pytest.mark.parametrize("kind", ["film", "person", "character"])
def test_move_takes_a_thread_to_another_subject(thread, moderator, kind):
    subject = {"film": make_film, "person": make_person, "character": make_character}[kind]()
    moderation.thread_move(
        thread=thread, moderator=moderator, reason="Wrong film.", **{kind: subject}
    )
    thread.refresh_from_db()
    assert thread.subject == subject
    row = _only_row()
    assert (row.action, row.thread, row.reason) == (
        ModerationActionKind.MOVE,
        thread,
        "Wrong film.",
    )


def test_move_to_general_clears_the_subject(moderator):
    thread = start_thread(film=make_film())
    moderation.thread_move(thread=thread, moderator=moderator, reason="Not about the film.")
    thread.refresh_from_db()
    assert thread.subject is None


def test_move_to_two_subjects_is_refused(thread, moderator):
    with pytest.raises(ValidationError, match="at most one"):
        moderation.thread_move(
            thread=thread,
            moderator=moderator,
            reason=REASON,
            film=make_film(),
            person=make_person(),
        )
    thread.refresh_from_db()
    assert thread.subject is None


def test_a_posts_thread_cannot_be_moved(moderator):
    thread = services.thread_for_post(post=make_post())
    with pytest.raises(ValidationError, match="cannot be moved"):
        moderation.thread_move(thread=thread, moderator=moderator, reason=REASON, film=make_film())
    assert Thread.objects.get(pk=thread.pk).film is None


def test_a_member_cannot_move_a_thread(thread):
    with pytest.raises(PermissionDenied):
        moderation.thread_move(
            thread=thread, moderator=make_user(), reason=REASON, film=make_film()
        )


def test_move_needs_a_reason(thread, moderator):
    with pytest.raises(ValidationError, match="Give a reason"):
        moderation.thread_move(thread=thread, moderator=moderator, reason="", film=make_film())


# Suspensions --------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [1, 7, 30])
def test_suspend_for_a_number_of_days(moderator, days):
    troll = make_user()
    suspension = moderation.member_suspend(
        member=troll, moderator=moderator, reason="Trolling.", days=days
    )
    assert suspension.ends_at - suspension.starts_at == timedelta(days=days)
    assert troll.is_suspended
    assert (suspension.moderator, suspension.reason) == (moderator, "Trolling.")


def test_suspend_indefinitely(moderator):
    troll = make_user()
    suspension = moderation.member_suspend(
        member=troll, moderator=moderator, reason="Spam bot.", days=None
    )
    assert suspension.ends_at is None
    assert troll.is_suspended


def test_suspend_writes_one_row_naming_the_member_and_the_suspension(moderator):
    troll = make_user()
    suspension = moderation.member_suspend(
        member=troll, moderator=moderator, reason="Trolling.", days=7
    )
    row = _only_row()
    assert (row.action, row.moderator, row.member, row.suspension, row.reason) == (
        ModerationActionKind.SUSPEND,
        moderator,
        troll,
        suspension,
        "Trolling.",
    )


@pytest.mark.parametrize("days", [0, 2, 365, -1])
def test_suspend_takes_only_the_offered_periods(moderator, days):
    with pytest.raises(ValidationError):
        moderation.member_suspend(member=make_user(), moderator=moderator, reason=REASON, days=days)
    assert not Suspension.objects.exists()


def test_suspend_needs_a_reason(moderator):
    with pytest.raises(ValidationError, match="Give a reason"):
        moderation.member_suspend(member=make_user(), moderator=moderator, reason="", days=1)
    assert not Suspension.objects.exists()


def test_a_member_cannot_suspend_a_member():
    with pytest.raises(PermissionDenied):
        moderation.member_suspend(member=make_user(), moderator=make_user(), reason=REASON, days=1)
    assert not Suspension.objects.exists()


def test_nobody_suspends_themselves(moderator):
    with pytest.raises(PermissionDenied, match="yourself"):
        moderation.member_suspend(member=moderator, moderator=moderator, reason=REASON, days=1)
    staff = make_staff()
    with pytest.raises(PermissionDenied, match="yourself"):
        moderation.member_suspend(member=staff, moderator=staff, reason=REASON, days=1)


def test_a_moderator_cannot_suspend_another_moderator(moderator):
    with pytest.raises(PermissionDenied, match="Only staff"):
        moderation.member_suspend(
            member=make_moderator(), moderator=moderator, reason=REASON, days=1
        )
    assert not Suspension.objects.exists()


def test_staff_who_moderate_can_suspend_a_moderator():
    staff_moderator = make_moderator(is_staff=True)
    other = make_moderator()
    moderation.member_suspend(member=other, moderator=staff_moderator, reason=REASON, days=1)
    assert other.is_suspended


def test_a_moderator_cannot_suspend_staff(moderator):
    with pytest.raises(PermissionDenied, match="superuser"):
        moderation.member_suspend(
            member=make_user(is_staff=True), moderator=moderator, reason=REASON, days=1
        )
    assert not Suspension.objects.exists()


def test_staff_who_are_not_superusers_cannot_suspend_staff():
    staff_moderator = make_moderator(is_staff=True)
    with pytest.raises(PermissionDenied, match="superuser"):
        moderation.member_suspend(
            member=make_user(is_staff=True), moderator=staff_moderator, reason=REASON, days=1
        )


def test_a_superuser_can_suspend_staff():
    editor = make_user(is_staff=True)
    moderation.member_suspend(member=editor, moderator=make_staff(), reason=REASON, days=1)
    assert editor.is_suspended


def test_lift_ends_the_suspension_with_a_row(moderator):
    troll = make_user()
    suspension = moderation.member_suspend(
        member=troll, moderator=moderator, reason=REASON, days=30
    )
    assert troll.is_suspended
    moderation.suspension_lift(suspension=suspension, moderator=moderator, reason="Apologised.")
    suspension.refresh_from_db()
    assert (suspension.lifted_by, suspension.lift_reason) == (moderator, "Apologised.")
    assert suspension.lifted_at is not None
    assert not troll.is_suspended
    row = ModerationAction.objects.first()
    assert (row.action, row.member, row.suspension) == (
        ModerationActionKind.LIFT,
        troll,
        suspension,
    )


def test_lifting_needs_a_reason_and_a_moderator(moderator):
    troll = make_user()
    suspension = moderation.member_suspend(member=troll, moderator=moderator, reason=REASON, days=1)
    with pytest.raises(ValidationError, match="Give a reason"):
        moderation.suspension_lift(suspension=suspension, moderator=moderator, reason="")
    with pytest.raises(PermissionDenied):
        moderation.suspension_lift(suspension=suspension, moderator=make_user(), reason=REASON)
    assert Suspension.objects.active().filter(pk=suspension.pk).exists()


def test_a_moderator_cannot_lift_their_own_suspension():
    staff_moderator = make_moderator(is_staff=True)
    moderator = make_moderator()
    suspension = moderation.member_suspend(
        member=moderator, moderator=staff_moderator, reason=REASON, days=1
    )
    with pytest.raises(PermissionDenied):
        moderation.suspension_lift(suspension=suspension, moderator=moderator, reason="Unfair.")


def test_lifting_a_suspension_that_is_over_is_refused(moderator):
    troll = make_user()
    suspension = moderation.member_suspend(member=troll, moderator=moderator, reason=REASON, days=1)
    Suspension.objects.filter(pk=suspension.pk).update(
        starts_at=timezone.now() - timedelta(days=3), ends_at=timezone.now() - timedelta(days=2)
    )
    with pytest.raises(ValidationError, match="already over"):
        moderation.suspension_lift(suspension=suspension, moderator=moderator, reason=REASON)
    assert ModerationAction.objects.count() == 1


def test_a_suspended_moderator_cannot_moderate(thread):
    suspended = make_moderator()
    moderation.member_suspend(
        member=suspended, moderator=make_moderator(is_staff=True), reason=REASON, days=1
    )
    with pytest.raises(PermissionDenied, match="suspended"):
        moderation.thread_lock(thread=thread, moderator=suspended, reason=REASON, locked=True)


# Reads --------------------------------------------------------------------------------------


def test_open_report_count_counts_open_reports_only(root, moderator):
    _report(root, 2)
    other = start_thread().comments.get()
    _report(other, 1)
    moderation.flags_dismiss(comment=other, moderator=moderator, reason=REASON)
    assert moderation.open_report_count() == 2


def test_queue_lists_hidden_comments_first_then_the_most_reported(thread, root):
    busy = _reply(thread, root)
    _report(root, 1)
    _report(busy, 2)
    hidden = _hidden(start_thread().comments.get())
    queue = list(moderation.review_queue())
    assert queue == [hidden, busy, root]
    assert [comment.open_reports for comment in queue] == [3, 2, 1]
    assert len(queue[1].open_flags) == 2
