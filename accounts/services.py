"""Writes to accounts: every change a view makes to a User row goes through here."""

from django.db import transaction

from accounts.models import User


def user_unsubscribe(*, user: User) -> None:
    """No more email about replies and mentions (the site still shows notifications)."""
    User.objects.filter(pk=user.pk).update(email_notifications=False)
    user.email_notifications = False


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the account. Its comments stay, shown as "deleted user"; the comments app takes
    the user's likes off its counters on pre_delete (the one receiver doing domain work: accounts
    may not import comments), in this same transaction."""
    user.delete()
