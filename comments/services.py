"""Every write to the discussions: posting, editing, liking, flagging, following, moderating.

Views, the admin and commands call these and never write themselves. Counters
(thread.comment_count, comment.reply_count, comment.like_count) count visible comments and are
updated with F() inside the same transaction as the write, so they stay exact. Each service that
changes what a thread shows ends with one call to `_changed()`, which retires the caches
(comments.caching), so QuerySet.update() is as safe here as save().

A news post's thread is made by the first write that needs it (a comment, a follow), never by
showing the post: those services also take the unsaved `Thread(post=post)` that a post page
shows before its thread exists, and make the thread in their own transaction.
"""

from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Suspension
from comments import audit, tasks
from comments.caching import thread_changed
from comments.emails import email_later
from comments.markdown import MENTION_RE
from comments.models import (
    Comment,
    CommentStatus,
    Flag,
    FlagReason,
    ModerationActionKind,
    Notification,
    NotificationKind,
    Reaction,
    Subscription,
    Thread,
)
from comments.permissions import is_new_member, suspension_message, suspension_of
from comments.queue import enqueue_with_write
from news.models import post_previewers

# However many people a comment names, this many at most hear of it (the first ones named).
MENTIONS_NOTIFIED_MAX = 10
# An argument left out: the field keeps what it holds (None is a value: "no spoilers").
UNCHANGED = object()


def _change_visible_count(comment: Comment, delta: int) -> None:
    Thread.objects.filter(pk=comment.thread_id).update(comment_count=F("comment_count") + delta)
    if comment.root_id:
        Comment.objects.filter(pk=comment.root_id).update(reply_count=F("reply_count") + delta)


def _notify(
    *,
    comment: Comment,
    mentioned: list,
    replied_to: Comment | None = None,
    everyone: bool = True,
    exclude: frozenset = frozenset(),
    mentions_left: int = MENTIONS_NOTIFIED_MAX,
) -> None:
    """Queue telling the comment's readers (notify_readers) with the write: one task, however
    many follow the thread."""
    enqueue_with_write(
        tasks.notify_comment,
        comment.pk,
        mentioned_ids=[user.pk for user in mentioned],
        replied_to_id=replied_to.pk if replied_to is not None else None,
        everyone=everyone,
        exclude_ids=sorted(exclude),
        mentions_left=mentions_left,
    )


def notify_readers(
    *,
    comment: Comment,
    mentioned_ids: list[int],
    replied_to: Comment | None = None,
    everyone: bool = True,
    exclude: frozenset = frozenset(),
    mentions_left: int = MENTIONS_NOTIFIED_MAX,
) -> None:
    """Tell the author of the comment answered, the mentioned users (the first `mentions_left`
    of them) and the thread's followers, once each. In the thread of a draft or scheduled post
    only those who may see unpublished posts are told: the notification shows the post's title
    and the email the comment.

    With everyone=False (an edit) only the mentioned users are told.
    """
    skip = {comment.author_id, *exclude}
    kinds: dict[int, str] = {}
    if everyone and replied_to is not None and replied_to.author_id and replied_to.is_visible:
        kinds[replied_to.author_id] = NotificationKind.REPLY
    named = [user_id for user_id in mentioned_ids if user_id not in skip]
    for user_id in named[: max(mentions_left, 0)]:
        kinds.setdefault(user_id, NotificationKind.MENTION)
    if everyone:
        followers = Subscription.objects.filter(thread_id=comment.thread_id)
        for user_id in followers.values_list("user_id", flat=True):
            kinds.setdefault(user_id, NotificationKind.THREAD_COMMENT)
    for user_id in skip:
        kinds.pop(user_id, None)
    if kinds and not _is_public(comment.thread):
        allowed = set(post_previewers().filter(pk__in=kinds).values_list("pk", flat=True))
        kinds = {user_id: kind for user_id, kind in kinds.items() if user_id in allowed}
    if not kinds:
        return
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user_id, kind=kind, comment=comment, actor_id=comment.author_id
            )
            for user_id, kind in kinds.items()
        ]
    )
    email_later(notifications)


def _is_public(thread: Thread) -> bool:
    """Whether everyone may read the thread (it is about no post, or about a published one)."""
    return not thread.post_id or Thread.objects.public().filter(pk=thread.pk).exists()


def _refuse_if_suspended(user) -> None:
    """A suspended member writes nothing: the views refuse first, and so do the services, for
    every other caller (the admin, commands, a view that forgot)."""
    if user is not None and (suspension := suspension_of(user)) is not None:
        raise ValidationError(suspension_message(suspension))


def _gone(comment: Comment) -> str:
    """Why a comment that is not visible takes no replies, likes or edits."""
    if comment.status == CommentStatus.HIDDEN:
        return "That comment is hidden until the moderators have reviewed it"
    return "That comment is no longer there"


def _changed(*thread_ids: int) -> None:
    """The one place services retire the caches of what they changed."""
    thread_changed(*thread_ids)


def _saved(thread: Thread) -> Thread:
    """The thread itself, or for a post's thread not made yet, the thread made now."""
    return thread if thread.pk is not None else thread_for_post(post=thread.post)


def _follow(*, thread: Thread, user) -> None:
    """The user follows the thread from now on, if not already: one INSERT that does nothing
    when the row is there (the unique constraint), not a SELECT and then an INSERT."""
    follow = Subscription(thread=thread, user=user)
    Subscription.objects.bulk_create([follow], ignore_conflicts=True)


def _addressed(body: str, *, to: Comment, by) -> str:
    """The body starting with `@name ` of the comment's author, unless that is the writer, the
    body already starts so, the author's account is gone, or the name would not fit."""
    if to.author is None or to.author_id == by.pk:
        return body
    named = MENTION_RE.match(body)
    if named and named.group(1) == to.author.username:
        return body
    addressed = f"@{to.author.username} {body}"
    return addressed if len(addressed) <= settings.COMMENT_MAX_LENGTH else body


# What a new comment points to. comment_create has them in hand (the view loaded the thread, the
# parent and the author for this request, the form the film) and the database holds every row
# to them (foreign keys), so full_clean's query per relation would prove nothing more.
COMMENT_RELATIONS = ["thread", "author", "parent", "root", "spoilers_for"]


def _count_in_thread(thread: Thread, comment: Comment) -> None:
    """Count a new comment in its thread and note the activity, in one UPDATE that takes the
    thread's row lock first (every write that locks a thread and a comment takes the thread
    first: lock_comment) and reads back (RETURNING) the new count and whether the thread is
    locked now, under that lock: a moderator locking it meanwhile is never missed. A locked or
    deleted thread raises ValidationError, and the transaction rolls the count back."""
    row = Thread(
        pk=thread.pk,
        comment_count=F("comment_count") + 1,
        last_activity_at=comment.created_at,
        last_commenter_id=comment.author_id,
        locked=F("locked"),  # Left as it is, only read back.
    )
    fields = ["comment_count", "last_activity_at", "last_commenter", "locked"]
    try:
        row.save(update_fields=fields)
    except Thread.NotUpdated:
        raise ValidationError("This discussion is no longer there.") from None
    if row.locked:
        raise ValidationError("This discussion is locked: it takes no new comments.")
    thread.comment_count = row.comment_count  # The caller's thread shows the new count.
    thread.last_activity_at = row.last_activity_at
    thread.last_commenter_id = row.last_commenter_id


def comment_create(**fields) -> Comment:
    """Post a comment or a reply; the author follows the thread from then on. `spoilers_for`
    is the film the comment gives away (collapsed for readers who have not seen it). The
    thread given has its new comment_count afterwards.

    The film and the comment replied to are not read again before the insert (the database
    holds the foreign keys): one deleted since the form was checked fails the commit, which is
    told as a form error, nothing posted, rather than a server error."""
    try:
        return _comment_create(**fields)
    except IntegrityError as error:
        raise ValidationError(
            "The film this comment gives away or the comment it answers was deleted just now, "
            "so nothing was posted. Check it and send it again."
        ) from error


@transaction.atomic
def _comment_create(
    *, thread: Thread, author, body: str, parent: Comment | None = None, spoilers_for=None
) -> Comment:
    _refuse_if_suspended(author)
    thread = _saved(thread)
    depth = 0
    replied_to = parent
    if parent is not None:
        if parent.thread_id != thread.pk:
            raise ValidationError("You can only reply to a comment in the same discussion.")
        if not parent.is_visible:
            raise ValidationError(
                f"{_gone(parent)}, so it takes no replies. Comment on the discussion instead."
            )
        # Deeper than the cap, a reply joins its parent's level instead of indenting further;
        # it still answers the comment it was written to, who is named so readers can tell.
        if parent.depth >= settings.COMMENTS_MAX_DEPTH:
            body = _addressed(body, to=parent, by=author)
            parent = parent.parent
        depth = parent.depth + 1
    comment = Comment(
        thread=thread,
        author=author,
        body=body,
        parent=parent,
        root=(parent.root or parent) if parent else None,
        depth=depth,
        spoilers_for=spoilers_for,
    )
    mentioned = comment.render_body()
    # The body's rules are checked here; parent, root and depth are set above, never typed,
    # and their check constraint holds in the database (a savepoint and a query saved).
    comment.full_clean(exclude=COMMENT_RELATIONS, validate_constraints=False)
    _count_in_thread(thread, comment)
    comment.save()
    if comment.root_id:
        Comment.objects.filter(pk=comment.root_id).update(reply_count=F("reply_count") + 1)
    _notify(comment=comment, mentioned=mentioned, replied_to=replied_to)
    _follow(thread=thread, user=author)
    _changed(thread.pk)
    return comment


@transaction.atomic
def thread_start(
    *,
    author,
    title: str,
    body: str,
    film=None,
    person=None,
    character=None,
    post=None,
    spoilers_for=None,
) -> Thread:
    """A new discussion with its first comment; the starter follows it, and the followers of
    its film, person or character hear of it. `spoilers_for` is the film it gives away."""
    _refuse_if_suspended(author)
    now = timezone.now()
    thread = Thread(
        title=title.strip(),
        starter=author,
        film=film,
        person=person,
        character=character,
        post=post,
        created_at=now,
        last_activity_at=now,
        spoilers_for=spoilers_for,
    )
    thread.full_clean()
    thread.save()
    comment_create(thread=thread, author=author, body=body)
    enqueue_with_write(tasks.announce_thread, thread.pk)
    thread.refresh_from_db()
    return thread


def thread_for_post(*, post) -> Thread:
    """A news post's one thread, made the first time a write needs it (safe against a racing
    request making it too). Call it inside the write's transaction."""
    try:
        return Thread.objects.get(post=post)
    except Thread.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            return Thread.objects.create(
                post=post, title=post.title[:200], created_at=post.published_at or timezone.now()
            )
    except IntegrityError:  # Another request made it first.
        return Thread.objects.get(post=post)


@transaction.atomic
def comment_edit(*, comment: Comment, body: str, spoilers_for=UNCHANGED) -> Comment:
    """The author's new text, and if given, the film it gives away (None: no spoilers); marked
    edited. Newly mentioned users are told."""
    _refuse_if_suspended(comment.author)
    current = Comment.objects.select_for_update().only("status").get(pk=comment.pk)
    if not current.is_visible:
        raise ValidationError(f"{_gone(current)}, so it can no longer be edited.")
    if Thread.objects.filter(pk=comment.thread_id, locked=True).exists():
        raise ValidationError("This discussion is locked: comments can no longer be edited.")
    told = list(comment.notifications.values_list("recipient_id", "kind"))
    already = frozenset(recipient_id for recipient_id, _ in told)
    mentions_told = sum(kind == NotificationKind.MENTION for _, kind in told)
    comment.body = body
    fields = ["body", "body_html", "edited_at"]
    if spoilers_for is not UNCHANGED:
        comment.spoilers_for = spoilers_for
        fields.append("spoilers_for")
    mentioned = comment.render_body()
    comment.full_clean()
    comment.edited_at = timezone.now()
    comment.save(update_fields=fields)
    # The parent's author and the followers heard about it when it was posted.
    _notify(
        comment=comment,
        mentioned=mentioned,
        everyone=False,
        exclude=already,
        mentions_left=MENTIONS_NOTIFIED_MAX - mentions_told,
    )
    _changed(comment.thread_id)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment) -> Comment:
    """The author takes a comment back: its place stays, its replies remain."""
    return _hide(comment=comment, status=CommentStatus.DELETED)


def lock_comment(comment: Comment) -> Comment:
    """Lock a comment's row for a change of status, its thread's row first: every write that
    locks both takes them in this order (comment_create locks the thread, then its insert and
    reply_count update touch the parent and root), so two of them never wait on each other
    (a delete racing a reply to the same comment deadlocked on PostgreSQL). Returns the
    comment's current status and thread as stored. Call it inside a transaction."""
    Thread.objects.select_for_update().only("pk").get(pk=comment.thread_id)
    return Comment.objects.select_for_update().only("status", "thread_id").get(pk=comment.pk)


def _hide(*, comment: Comment, status: str) -> Comment:
    current = lock_comment(comment)
    if current.is_visible:
        _change_visible_count(comment, -1)
    comment.status = status
    comment.save(update_fields=["status"])
    _changed(comment.thread_id)
    return comment


def _reaction_write(*, comment: Comment, user, liked: bool | None) -> tuple[bool, bool]:
    """Set the user's like on the comment (None: the opposite of what it is now) under a lock
    on the comment's row, so that a member's requests for the same comment, however many at
    once, run one after the other: each finds the state the one before left. Returns whether
    the user now likes it and whether this call changed anything. Call it inside a
    transaction."""
    # PostgreSQL serialises on the row; SQLite (no SELECT ... FOR UPDATE) already serialises
    # every write transaction, being IMMEDIATE.
    _refuse_if_suspended(user)
    locked = Comment.objects.select_for_update().only("status", "thread_id").get(pk=comment.pk)
    likes = Reaction.objects.filter(comment_id=comment.pk, user=user)
    likes_now = likes.exists()
    wanted = (not likes_now) if liked is None else liked
    if wanted == likes_now:
        return likes_now, False
    if wanted:
        if not locked.is_visible:
            raise ValidationError(f"{_gone(locked)}, so it cannot be liked.")
        _, created = Reaction.objects.get_or_create(comment_id=comment.pk, user=user)
        delta = 1 if created else 0
    else:
        deleted, _ = likes.delete()
        delta = -deleted
    if delta:
        Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") + delta)
        _changed(locked.thread_id)
    return wanted, bool(delta)


@transaction.atomic
def reaction_set(*, comment: Comment, user, liked: bool) -> bool:
    """Like a comment or take the like back, whatever the state was: asking twice is the same
    as asking once, so a double click or a resent form does no harm. Returns whether the user
    now likes it."""
    return _reaction_write(comment=comment, user=user, liked=liked)[0]


@transaction.atomic
def reaction_toggle(*, comment: Comment, user) -> bool:
    """Like a comment, or take the like back. Returns whether the user now likes it. Forms say
    which they want (reaction_set); this serves a request that does not."""
    return _reaction_write(comment=comment, user=user, liked=None)[0]


@transaction.atomic
def reaction_add(*, comment: Comment, user) -> bool:
    """Like a comment; liking it again changes nothing. Returns whether this call added the
    like."""
    return _reaction_write(comment=comment, user=user, liked=True)[1]


def likes_withdraw(*, user) -> None:
    """Take a user's likes off the counters; called just before the user is deleted, whose
    reactions then go with the account. The threads' cached sections retire too, likes and
    the author's name having changed."""
    threads = Thread.objects.filter(Q(comments__reactions__user=user) | Q(comments__author=user))
    _changed(*set(threads.values_list("pk", flat=True)))
    liked = Reaction.objects.filter(user=user).values("comment_id")
    Comment.objects.filter(pk__in=liked).update(like_count=F("like_count") - 1)


@transaction.atomic
def flag_create(*, comment: Comment, reporter, reason: str, note: str = "") -> Flag:
    """Report a comment to the moderators; reporting it again updates the report while it is
    open (one per member and comment: a unique constraint). When COMMENTS_AUTO_HIDE_REPORTS
    members who count (`_counting_reporters`) have open reports on a visible comment, it is
    hidden at once, pending review, and the hide is on record."""
    _refuse_if_suspended(reporter)
    # Reports on one comment are counted one after the other: the row lock makes a report
    # that arrives meanwhile wait, so the threshold is crossed exactly once.
    current = lock_comment(comment)
    flag = Flag.objects.filter(comment=comment, reporter=reporter).first() or Flag(
        comment=comment, reporter=reporter
    )
    if flag.resolved_at is not None:
        # A moderator has decided on this member's report: reporting again does not reopen it
        # (which would undo a restore the moment the same members report once more).
        return flag
    flag.reason = reason
    flag.note = note.strip()
    flag.full_clean()
    flag.save()
    if current.is_visible:
        _hide_if_reported_enough(comment)
    return flag


def _counting_reporters(flags: list[Flag], enough: int) -> list[Flag]:
    """The open reports that count toward hiding a comment, up to `enough` of them: not by a
    member suspended now, nor by a new member (comments.permissions.is_new_member)."""
    suspended = set(
        Suspension.objects.active()
        .filter(user_id__in=[flag.reporter_id for flag in flags])
        .values_list("user_id", flat=True)
    )
    counting = []
    for flag in flags:
        if flag.reporter_id in suspended or is_new_member(flag.reporter):
            continue
        counting.append(flag)
        if len(counting) == enough:
            break
    return counting


def _hide_if_reported_enough(comment: Comment) -> None:
    enough = settings.COMMENTS_AUTO_HIDE_REPORTS
    if enough <= 0:
        return
    open_flags = list(
        Flag.objects.filter(comment_id=comment.pk, resolved_at__isnull=True, reporter__isnull=False)
        .select_related("reporter")
        .order_by("created_at", "pk")
    )
    if len(open_flags) < enough:
        return
    counting = _counting_reporters(open_flags, enough)
    if len(counting) < enough:
        return
    _hide(comment=comment, status=CommentStatus.HIDDEN)
    reasons = Counter(FlagReason(flag.reason).label for flag in counting)
    said = ", ".join(
        label if times == 1 else f"{label} ×{times}" for label, times in reasons.items()
    )
    audit.record(
        action=ModerationActionKind.AUTO_HIDE,
        moderator=None,
        comment=comment,
        reason=f"Reported by {len(counting)} members: {said}",
    )


# What an editor changes in the admin's form; counters and activity stay the services' own.
THREAD_EDITOR_FIELDS = [
    "title",
    "starter",
    "film",
    "person",
    "character",
    "post",
    "spoilers_for",
]


@transaction.atomic
def thread_update(*, thread: Thread) -> Thread:
    """Save an editor's changes to a discussion (the admin's form, for a new thread too). Only
    the editor's fields are written, so a comment posted meanwhile keeps its counts."""
    thread.full_clean()
    if thread.pk is None:
        thread.save()
    else:
        thread.save(update_fields=THREAD_EDITOR_FIELDS)
    _changed(thread.pk)
    return thread


@transaction.atomic
def subscription_toggle(*, thread: Thread, user) -> bool:
    """Follow a thread or stop following it. Returns whether the user now follows it."""
    thread = _saved(thread)
    deleted, _ = Subscription.objects.filter(thread=thread, user=user).delete()
    if deleted:
        return False
    _follow(thread=thread, user=user)
    return True


def notifications_mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user).unread()
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
