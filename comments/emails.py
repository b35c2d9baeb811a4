"""Which notifications a member also gets by email, and queueing those emails.

A member gets the email of a notification when User.email_notifications (the switch for all of
them) is on AND they want that kind: their EmailChoice row for it, or EMAIL_BY_DEFAULT. The
choices are written by `email_choices_set` (the Following page, an email's unsubscribe link).
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef

from comments.models import EMAIL_BY_DEFAULT, EmailChoice, Notification, NotificationKind
from comments.queue import enqueue_on_commit
from comments.tasks import send_notification_email


def _wanting(users, kind: str):
    """The users among `users` who want email of this kind: one query, however many."""
    chosen = EmailChoice.objects.filter(user=OuterRef("pk"), kind=kind)
    users = users.filter(email_notifications=True, is_active=True)
    if EMAIL_BY_DEFAULT[kind]:
        return users.exclude(Exists(chosen.filter(wanted=False)))
    return users.filter(Exists(chosen.filter(wanted=True)))


def email_wanted_by(user_ids, kind: str) -> set[int]:
    """Of these users, those who get an email for a notification of this kind."""
    users = get_user_model().objects.filter(pk__in=list(user_ids))
    return set(_wanting(users, kind).values_list("pk", flat=True))


def wants_email(user, kind: str) -> bool:
    return _wanting(get_user_model().objects.filter(pk=user.pk), kind).exists()


def email_choices_of(user) -> dict[str, bool]:
    """The member's choice for every kind (their own where they made one, else the default),
    in NotificationKind's order. Says nothing of the switch for all email."""
    chosen = dict(EmailChoice.objects.filter(user=user).values_list("kind", "wanted"))
    return {kind: chosen.get(kind, EMAIL_BY_DEFAULT[kind]) for kind in NotificationKind.values}


@transaction.atomic
def email_choices_set(*, user, wanted: dict[str, bool]) -> dict[str, bool]:
    """Record the member's choice for the kinds named in `wanted` (others stay as they are).
    A choice equal to the default is stored as no row, so it follows the default. Returns
    the choices now in force."""
    unknown = set(wanted) - set(NotificationKind.values)
    if unknown:
        raise ValueError(f"No such kind of notification: {', '.join(sorted(unknown))}")
    differ = {kind: value for kind, value in wanted.items() if value != EMAIL_BY_DEFAULT[kind]}
    same = [kind for kind in wanted if kind not in differ]
    EmailChoice.objects.filter(user=user, kind__in=same).delete()
    EmailChoice.objects.bulk_create(
        [EmailChoice(user=user, kind=kind, wanted=value) for kind, value in differ.items()],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["wanted"],
    )
    return email_choices_of(user)


def email_later(notifications: list[Notification]) -> None:
    """Queue, after commit, the email of each notification whose recipient wants it: one
    query per kind among them, however many recipients."""
    by_kind: dict[str, list[Notification]] = {}
    for notification in notifications:
        by_kind.setdefault(notification.kind, []).append(notification)
    for kind, group in by_kind.items():
        wanted = email_wanted_by({n.recipient_id for n in group}, kind)
        for notification in group:
            if notification.recipient_id in wanted:
                enqueue_on_commit(send_notification_email, notification.pk)
