"""Demo accounts for the other apps' demo content (editors, fans)."""

from allauth.account.models import EmailAddress

from accounts.models import User


def demo_user(username: str, *, display_name: str, is_staff: bool = False) -> User:
    """A demo account that cannot sign in (unusable password) and never gets email.

    Idempotent: an existing account of that username is returned as it is.
    """
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@example.com",
            "display_name": display_name,
            "is_staff": is_staff,
            # Their addresses are not real, so nothing is ever sent to them.
            "email_notifications": False,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user
