"""What moderators do, each action a service that writes exactly one audit row.

Every function here is keyword-only, runs in one transaction, refuses anyone without the
"Can moderate discussions" permission (PermissionDenied), refuses a blank reason
(ValidationError on "reason"), writes its row through comments.audit.record() and retires the
caches of what it changed (services._changed). Views and the admin call these; the counters
stay exact through services._hide and services._change_visible_count.

Who may suspend whom (`can_suspend`): nobody suspends themselves; staff are suspended only by
superusers; a moderator only by staff who moderate; any other member by any moderator.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Max, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.models import Suspension
from comments import audit, services
from comments.models import (
    Comment,
    CommentStatus,
    Flag,
    FlagOutcome,
    ModerationActionKind,
    Thread,
)
from comments.permissions import can_moderate

REASON_MAX_LENGTH = 1000
SUSPENSION_DAYS = (1, 7, 30)  # or None: until a moderator lifts it


# Rules ---------------------------------------------------------------------------------------


def _require_moderator(moderator) -> None:
    if moderator is None or not can_moderate(moderator):
        raise PermissionDenied("Only moderators can do this.")
    if moderator.is_suspended:  # Suspended by staff: no moderating meanwhile either.
        raise PermissionDenied("You are suspended, so you cannot moderate until it ends.")


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give a reason: it goes in the log, and to the member."})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": f"Keep the reason to {REASON_MAX_LENGTH:,} characters at most."}
        )
    if "\x00" in reason:
        raise ValidationError({"reason": "The reason holds a character that cannot be stored."})
    return reason


def is_moderator(user) -> bool:
    return user is not None and user.is_active and user.has_perm("comments.moderate_comment")


def suspension_refusal(*, moderator, member) -> str:
    """Why `moderator` may not suspend `member` (or lift their suspension), or "" if they may."""
    if not can_moderate(moderator):
        return "Only moderators can suspend members."
    if member.pk == moderator.pk:
        return "You cannot suspend yourself, nor lift your own suspension."
    if member.is_staff and not moderator.is_superuser:
        return "Staff members can only be suspended by a superuser."
    if is_moderator(member) and not moderator.is_staff:
        return "Only staff can suspend another moderator."
    return ""


def can_suspend(*, moderator, member) -> bool:
    return not suspension_refusal(moderator=moderator, member=member)


def _require_may_suspend(*, moderator, member) -> None:
    refusal = suspension_refusal(moderator=moderator, member=member)
    if refusal:
        raise PermissionDenied(refusal)


# Reads ---------------------------------------------------------------------------------------


def _open(prefix: str = "") -> Q:
    return Q(**{f"{prefix}resolved_at__isnull": True})


def open_report_count() -> int:
    """The header's badge: open reports, one COUNT."""
    return Flag.objects.filter(_open()).count()


def review_queue() -> QuerySet:
    """The moderation queue: comments with open reports (and any hidden pending review), hidden
    ones first, then the most reported; each with its open reports and their reporters, its
    author and its thread, in a fixed number of queries."""
    open_flags = Flag.objects.filter(_open()).select_related("reporter").order_by("created_at")
    return (
        Comment.objects.annotate(
            open_reports=Count("flags", filter=_open("flags__")),
            last_reported_at=Max("flags__created_at", filter=_open("flags__")),
            hidden_first=Case(
                When(status=CommentStatus.HIDDEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .filter(Q(open_reports__gt=0) | Q(status=CommentStatus.HIDDEN))
        .select_related("author", "thread")
        .prefetch_related(Prefetch("flags", queryset=open_flags, to_attr="open_flags"))
        .order_by("hidden_first", "-open_reports", "-last_reported_at", "pk")
    )


# Comments ------------------------------------------------------------------------------------


def _locked_status(comment: Comment) -> str:
    # Thread before comment, the order every write takes (services.lock_comment).
    return services.lock_comment(comment).status


def _resolve_flags(*, comment: Comment, moderator, outcome: str) -> int:
    return comment.flags.filter(_open()).update(
        resolved_at=timezone.now(), resolved_by=moderator, outcome=outcome
    )


def _show(comment: Comment) -> None:
    """Visible again: back on the counters. The caller holds the row's lock."""
    services._change_visible_count(comment, +1)
    comment.status = CommentStatus.VISIBLE
    comment.save(update_fields=["status"])
    services._changed(comment.thread_id)


def _has_open_flags(comment: Comment) -> bool:
    return comment.flags.filter(_open()).exists()


@transaction.atomic
def comment_remove(*, comment: Comment, moderator, reason: str) -> Comment:
    """Take a comment out of sight (its place stays); open reports on it are upheld."""
    _require_moderator(moderator)
    reason = _clean_reason(reason)
    if _locked_status(comment) in (CommentStatus.REMOVED, CommentStatus.DELETED):
        raise ValidationError("This comment is already gone.")
    services._hide(comment=comment, status=CommentStatus.REMOVED)
    _resolve_flags(comment=comment, moderator=moderator, outcome=FlagOutcome.UPHELD)
    audit.record(
        action=ModerationActionKind.REMOVE, reason=reason, moderator=moderator, comment=comment
    )
    return comment


@transaction.atomic
def comment_restore(*, comment: Comment, moderator, reason: str) -> Comment:
    """Show a removed comment, or one hidden pending review, again; restoring a hidden one
    dismisses its open reports."""
    _require_moderator(moderator)
    reason = _clean_reason(reason)
    status = _locked_status(comment)
    if status not in (CommentStatus.REMOVED, CommentStatus.HIDDEN):
        raise ValidationError(
            "Only a removed comment, or one hidden pending review, can be restored."
        )
    _show(comment)
    if status == CommentStatus.HIDDEN:
        _resolve_flags(comment=comment, moderator=moderator, outcome=FlagOutcome.DISMISSED)
    audit.record(
        action=ModerationActionKind.RESTORE, reason=reason, moderator=moderator, comment=comment
    )
    return comment


@transaction.atomic
def flags_dismiss(*, comment: Comment, moderator, reason: str) -> Comment:
    """The reports were wrong: they are dismissed, and the comment stays (hidden, it is shown
    again)."""
    _require_moderator(moderator)
    reason = _clean_reason(reason)
    status = _locked_status(comment)
    if status != CommentStatus.HIDDEN and not _has_open_flags(comment):
        raise ValidationError("This comment has no open reports.")
    if status == CommentStatus.HIDDEN:
        _show(comment)
    _resolve_flags(comment=comment, moderator=moderator, outcome=FlagOutcome.DISMISSED)
    audit.record(
        action=ModerationActionKind.DISMISS, reason=reason, moderator=moderator, comment=comment
    )
    return comment


@transaction.atomic
def flags_uphold(*, comment: Comment, moderator, reason: str) -> Comment:
    """The reports were right: the comment is removed, its open reports upheld."""
    _require_moderator(moderator)
    reason = _clean_reason(reason)
    status = _locked_status(comment)
    if status != CommentStatus.HIDDEN and not _has_open_flags(comment):
        raise ValidationError("This comment has no open reports.")
    if status in (CommentStatus.VISIBLE, CommentStatus.HIDDEN):
        services._hide(comment=comment, status=CommentStatus.REMOVED)
    else:
        services._changed(comment.thread_id)
    _resolve_flags(comment=comment, moderator=moderator, outcome=FlagOutcome.UPHELD)
    audit.record(
        action=ModerationActionKind.UPHOLD, reason=reason, moderator=moderator, comment=comment
    )
    return comment


# Threads -------------------------------------------------------------------------------------


def _locked_thread(thread: Thread) -> Thread:
    return Thread.objects.select_for_update().get(pk=thread.pk)


# A discussion's switches: (action when turned on, when off, "already" messages on and off).
_THREAD_SWITCHES = {
    "locked": (
        ModerationActionKind.LOCK,
        ModerationActionKind.UNLOCK,
        "This discussion is already locked.",
        "This discussion is not locked.",
    ),
    "pinned": (
        ModerationActionKind.PIN,
        ModerationActionKind.UNPIN,
        "This discussion is already pinned.",
        "This discussion is not pinned.",
    ),
}


def _thread_switch(*, thread: Thread, moderator, reason: str, field: str, on: bool) -> Thread:
    """Turn a discussion's `locked` or `pinned` on or off, on record; asking for the state it
    is already in is refused, so the log holds only real changes."""
    _require_moderator(moderator)
    reason = _clean_reason(reason)
    action_on, action_off, already_on, already_off = _THREAD_SWITCHES[field]
    if getattr(_locked_thread(thread), field) == on:
        raise ValidationError(already_on if on else already_off)
    setattr(thread, field, on)
    thread.save(update_fields=[field])
    action = action_on if on else action_off
    audit.record(action=action, reason=reason, moderator=moderator, thread=thread)
    services._changed(thread.pk)
    return thread


@transaction.atomic
def thread_lock(*, thread: Thread, moderator, reason: str, locked: bool) -> Thread:
    """Lock a discussion (no new comments, no edits) or open it again."""
    return _thread_switch(
        thread=thread, moderator=moderator, reason=reason, field="locked", on=locked
    )


@transaction.atomic
def thread_pin(*, thread: Thread, moderator, reason: str, pinned: bool) -> Thread:
    """Pin a discussion (listed first) or unpin it."""
    return _thread_switch(
        thread=thread, moderator=moderator, reason=reason, field="pinned", on=pinned
    )


@transaction.atomic
def thread_move(
    *, thread: Thread, moderator, reason: str, film=None, person=None, character=None
) -> Thread:
    """Move a discussion to another film, person or character, or (none given) to general. A
    news post's discussion stays with its post."""
    _require_moderator(moderator)
    reason = _clean_reason(reason)
    current = _locked_thread(thread)
    if current.post_id:
        raise ValidationError("A news post's discussion belongs to its post and cannot be moved.")
    if sum(subject is not None for subject in (film, person, character)) > 1:
        raise ValidationError("A discussion is about at most one film, person or character.")
    new = (
        getattr(film, "pk", None),
        getattr(person, "pk", None),
        getattr(character, "pk", None),
    )
    if new == (current.film_id, current.person_id, current.character_id):
        raise ValidationError("The discussion is already there.")
    thread.film, thread.person, thread.character = film, person, character
    thread.full_clean()
    thread.save(update_fields=["film", "person", "character"])
    audit.record(
        action=ModerationActionKind.MOVE, reason=reason, moderator=moderator, thread=thread
    )
    services._changed(thread.pk)
    return thread


# Members -------------------------------------------------------------------------------------


def _forget_suspension(member) -> None:
    member.__dict__.pop("_active_suspension", None)


@transaction.atomic
def member_suspend(*, member, moderator, reason: str, days: int | None) -> Suspension:
    """Suspend a member for 1, 7 or 30 days, or (days=None) until a moderator lifts it. They
    may still read and sign in; the reason is shown to them."""
    _require_moderator(moderator)
    _require_may_suspend(moderator=moderator, member=member)
    reason = _clean_reason(reason)
    if days is not None and days not in SUSPENSION_DAYS:
        raise ValidationError({"days": "Suspend for 1, 7 or 30 days, or until further notice."})
    # Serialises two moderators suspending the same member at once.
    get_user_model().objects.select_for_update().filter(pk=member.pk).first()
    now = timezone.now()
    suspension = Suspension(
        user=member,
        moderator=moderator,
        reason=reason,
        starts_at=now,
        ends_at=now + timedelta(days=days) if days else None,
    )
    suspension.full_clean()
    suspension.save()
    return _suspension_recorded(
        suspension, action=ModerationActionKind.SUSPEND, moderator=moderator, reason=reason
    )


def _suspension_recorded(suspension: Suspension, *, action: str, moderator, reason: str):
    """What follows a suspension made or lifted: its audit row, the member's cached state
    forgotten, and cached pages retired."""
    audit.record(
        action=action,
        reason=reason,
        moderator=moderator,
        member=suspension.user,
        suspension=suspension,
    )
    _forget_suspension(suspension.user)
    services._changed()
    return suspension


@transaction.atomic
def suspension_lift(*, suspension: Suspension, moderator, reason: str) -> Suspension:
    """End a suspension before its time."""
    _require_moderator(moderator)
    member = suspension.user
    _require_may_suspend(moderator=moderator, member=member)
    reason = _clean_reason(reason)
    current = Suspension.objects.select_for_update().get(pk=suspension.pk)
    if not Suspension.objects.active().filter(pk=current.pk).exists():
        raise ValidationError("This suspension is already over.")
    suspension.lifted_at = timezone.now()
    suspension.lifted_by = moderator
    suspension.lift_reason = reason
    suspension.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    return _suspension_recorded(
        suspension, action=ModerationActionKind.LIFT, moderator=moderator, reason=reason
    )
