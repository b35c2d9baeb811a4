"""The signed token in an email's unsubscribe link: it names the user, so no sign-in is needed."""

from django.core import signing
from django.urls import reverse

from accounts.absolute_urls import absolute_url

UNSUBSCRIBE_SALT = "comments.unsubscribe"


def unsubscribe_token(user) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def user_id_from_unsubscribe_token(token: str) -> int | None:
    """The user a link was made for, or None when the token was tampered with."""
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def unsubscribe_url(user) -> str:
    return absolute_url(reverse("comments:unsubscribe", kwargs={"token": unsubscribe_token(user)}))
