"""The audit log's one writer: every moderation service and automatic hide calls record()."""

from comments.models import Comment, ModerationAction, Thread


def record(
    *,
    action: str,
    reason: str,
    moderator=None,
    comment: Comment | None = None,
    thread: Thread | None = None,
    member=None,
    suspension=None,
) -> ModerationAction:
    """One row: who (None for an automatic action), what, which object, when, why. Call it
    inside the service's transaction, so the action and its record commit together."""
    if comment is not None:
        thread = thread or comment.thread
        member = member or comment.author
        target = f"Comment {comment.pk} in “{thread.title}”"
    elif thread is not None:
        target = f"Discussion “{thread.title}”"
    elif member is not None:
        target = f"Member {member.public_name} (@{member.username})"
    else:
        raise ValueError("A moderation action concerns a comment, a thread or a member.")
    return ModerationAction.objects.create(
        action=action,
        reason=reason.strip(),
        moderator=moderator,
        comment=comment,
        thread=thread,
        member=member,
        suspension=suspension,
        target=target[:250],
    )
