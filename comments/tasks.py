"""Email about replies and mentions, sent through Django's tasks API (queued after commit)."""

from allauth.account.models import EmailAddress
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string

from accounts.absolute_urls import absolute_url
from comments.markdown import hide_spoilers
from comments.unsubscribe import unsubscribe_url


def _is_verified(user) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


@task
def send_notification_email(notification_id: int) -> None:
    from comments.models import Notification

    notification = (
        Notification.objects.select_related("recipient", "actor", "comment__thread")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or not notification.comment.is_visible:
        return  # Gone, or deleted before the email went.
    recipient = notification.recipient
    if not (recipient.is_active and recipient.email_notifications and recipient.email):
        return
    if not _is_verified(recipient):  # Never mail an address its owner has not confirmed.
        return
    if not Notification.objects.for_recipient(recipient).filter(pk=notification.pk).exists():
        return  # The post went back to draft since: its comments are no longer for this reader.
    context = {
        "notification": notification,
        "recipient": recipient,
        "actor_name": notification.actor.public_name if notification.actor else "Someone",
        "body": hide_spoilers(notification.comment.body),
        "comment_url": absolute_url(notification.comment.get_absolute_url()),
        "unsubscribe_url": unsubscribe_url(recipient),
    }
    subject = render_to_string("comments/email/notification_subject.txt", context)
    body = render_to_string("comments/email/notification.txt", context)
    EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    ).send()
