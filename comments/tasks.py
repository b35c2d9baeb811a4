"""Background work through Django's tasks API (queued after commit): notification emails, and
telling followers of a scheduled post when it falls due (where the backend can run a task later;
the announce_due_posts command does it everywhere)."""

from allauth.account.models import EmailAddress
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.absolute_urls import absolute_url
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


@task
def send_notification_email(notification_id: int) -> None:
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
    EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    ).send()


@task
def announce_post_when_due(post_id: int) -> None:
    """Queued with run_after set to the post's publication date: tell its followers then."""
    from comments.following import announce_post
    from news.models import Post

    post = Post.objects.filter(pk=post_id).first()
    if post is not None:
        announce_post(post=post)
