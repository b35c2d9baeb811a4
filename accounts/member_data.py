"""What the accounts app holds about one member, for the export a member downloads (the site
puts it together with the other apps' parts in fansite.views.account_export)."""

from allauth.account.models import EmailAddress
from django.http import HttpRequest

from accounts.absolute_urls import absolute_url
from accounts.models import User


def _time(value) -> str | None:
    return value.isoformat() if value else None


def member_account_data(user: User, request: HttpRequest | None = None) -> dict:
    """Profile, email addresses and suspensions, in two queries."""
    emails = EmailAddress.objects.filter(user=user).order_by("pk")
    suspensions = user.suspensions.order_by("starts_at", "pk")
    return {
        "profile": {
            "username": user.username,
            "display_name": user.display_name,
            "bio": user.bio,
            "avatar": absolute_url(user.avatar.url, request) if user.avatar else None,
            "email": user.email,
            "email_notifications": user.email_notifications,
            "date_joined": _time(user.date_joined),
            "last_login": _time(user.last_login),
            "url": absolute_url(user.get_absolute_url(), request),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in emails
        ],
        "suspensions": [
            {
                "reason": suspension.reason,
                "starts_at": _time(suspension.starts_at),
                "ends_at": _time(suspension.ends_at),
                "lifted_at": _time(suspension.lifted_at),
                "lift_reason": suspension.lift_reason,
            }
            for suspension in suspensions
        ],
    }
