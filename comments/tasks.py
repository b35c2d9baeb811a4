"""Background work through Django's tasks API, queued when the write that calls for it commits
(comments.queue) and run by `manage.py db_worker` on the database backend: telling a comment's
readers and the followers of a film, person or character what happened (one task per event,
however many followers), the notification emails (retried with backoff while the mail server
fails, never sent twice), and telling followers of a scheduled post when it falls due (where the
backend can run a task later; the announce_due_posts command does it everywhere)."""

from allauth.account.models import EmailAddress
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.absolute_urls import absolute_url
from comments.queue import retry_later
from comments.spoilers import email_safe_body, email_safe_thread_title
from comments.unsubscribe import unsubscribe_url

# The email templates of each kind (under comments/email/): reply, mention and a followed
# thread's comments share one.
EMAIL_TEMPLATES = {
    "reply": "notification",
    "mention": "notification",
    "thread_comment": "notification",
    "news": "news",
    "new_thread": "new_thread",
    "tracker": "tracker",
}


def _is_verified(user) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def _context(notification) -> dict:
    """What the kind's templates show, each link absolute. What gives a film away that the
    recipient has not seen stays out (comments.spoilers), as do inline spoilers."""
    recipient = notification.recipient
    if notification.comment_id:
        comment = notification.comment
        return {
            "actor_name": notification.actor.public_name if notification.actor else "Someone",
            "body": email_safe_body(comment, recipient=recipient),
            "thread_title": email_safe_thread_title(comment.thread, recipient=recipient),
            "comment_url": absolute_url(comment.get_absolute_url()),
        }
    if notification.post_id:
        return {"post": notification.post}
    if notification.thread_id:
        thread = notification.thread
        return {
            "thread": thread,
            "thread_title": email_safe_thread_title(thread, recipient=recipient),
            "starter_name": thread.starter.public_name if thread.starter else "Someone",
        }
    change = notification.status_change
    source = change.source_post
    return {
        "change": change,
        "credit": change.credit,
        # Our post as the source only once it is out: a draft's title is for editors only.
        "source_post_url": absolute_url(source.get_absolute_url())
        if source and source.is_published()
        else "",
    }


def _claim_email(notification_id: int) -> bool:
    """Mark the notification's email as sent, unless it already is: of two tasks for the same
    email (a retry and a duplicate, two workers), exactly one gets True. Marked before sending,
    so a worker killed in between loses that email rather than sending it twice."""
    from comments.models import Notification

    unsent = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True)
    return unsent.update(emailed_at=timezone.now()) == 1


@task
def send_notification_email(notification_id: int, attempt: int = 1) -> None:
    """The notification's email, if its recipient still wants it. When the mail server fails,
    the email is sent again later (comments.queue.retry_later), and this attempt fails."""
    from comments.emails import wants_email
    from comments.following_forms import EMAIL_LABELS
    from comments.models import Notification

    notification = (
        Notification.objects.select_related(
            "recipient",
            "actor",
            "comment__spoilers_for",
            "comment__thread__spoilers_for",
            "post",
            "thread__starter",
            "thread__spoilers_for",
            "status_change__source_post",
            "status_change__credit__film",
            "status_change__credit__person",
            "status_change__credit__character",
        )
        .filter(pk=notification_id)
        .first()
    )
    if notification is None:
        return  # Gone before the email went.
    if notification.emailed_at is not None:
        return  # Sent already: this task ran twice.
    if notification.comment_id and not notification.comment.is_visible:
        return  # Deleted or removed before the email went.
    recipient = notification.recipient
    if not (recipient.email and wants_email(recipient, notification.kind)):
        return  # The switch for all email, or the choice for this kind, is off (or inactive).
    if not _is_verified(recipient):  # Never mail an address its owner has not confirmed.
        return
    if not Notification.objects.for_recipient(recipient).filter(pk=notification.pk).exists():
        return  # The post went back to draft since: it is no longer for this reader.
    context = {
        "notification": notification,
        "recipient": recipient,
        "target_url": absolute_url(notification.get_target_url()),
        "unsubscribe_url": unsubscribe_url(recipient, notification.kind),
        "unsubscribe_all_url": unsubscribe_url(recipient),
        "settings_url": absolute_url(reverse("comments:following") + "#email"),
        "kind_label": EMAIL_LABELS[notification.kind],
        **_context(notification),
    }
    name = EMAIL_TEMPLATES[notification.kind]
    subject = render_to_string(f"comments/email/{name}_subject.txt", context)
    body = render_to_string(f"comments/email/{name}.txt", context)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    if not _claim_email(notification.pk):
        return  # Another run of this task sent it meanwhile.
    try:
        message.send()
    except Exception as error:
        Notification.objects.filter(pk=notification.pk).update(emailed_at=None)  # Not sent.
        if isinstance(error, OSError):  # The mail server is down, refused or timed out.
            retry_later(send_notification_email, notification_id, attempt=attempt, error=error)
        raise


@task
def notify_comment(
    comment_id: int,
    *,
    mentioned_ids: list[int],
    replied_to_id: int | None = None,
    everyone: bool = True,
    exclude_ids: list[int] | None = None,
    mentions_left: int | None = None,
) -> None:
    """Tell the readers of a comment posted or edited (comments.services.notify_readers)."""
    from comments.models import Comment
    from comments.services import MENTIONS_NOTIFIED_MAX, notify_readers

    comment = Comment.objects.select_related("thread").filter(pk=comment_id).first()
    if comment is None or not comment.is_visible:
        return  # Deleted or removed before its readers were told.
    replied_to = Comment.objects.filter(pk=replied_to_id).first() if replied_to_id else None
    notify_readers(
        comment=comment,
        mentioned_ids=mentioned_ids,
        replied_to=replied_to,
        everyone=everyone,
        exclude=frozenset(exclude_ids or ()),
        mentions_left=MENTIONS_NOTIFIED_MAX if mentions_left is None else mentions_left,
    )


@task
def announce_thread(thread_id: int) -> None:
    """Tell the followers of a new discussion's film, person or character."""
    from comments import following
    from comments.models import Thread

    thread = Thread.objects.filter(pk=thread_id).first()
    if thread is not None:
        following.announce_thread(thread=thread)


@task
def announce_status_change(change_id: int) -> None:
    """Tell the followers of a credit's person and character that its status changed."""
    from comments import following
    from films.models import CreditStatusChange

    change = CreditStatusChange.objects.select_related("credit").filter(pk=change_id).first()
    if change is not None:
        following.announce_status_change(change=change)


@task
def announce_post_when_due(post_id: int) -> None:
    """Tell the followers of a news post that it is out: queued when a published post is saved,
    and for a scheduled one with run_after set to its publication date."""
    from comments.following import announce_post
    from news.models import Post

    post = Post.objects.filter(pk=post_id).first()
    if post is not None:
        announce_post(post=post)
