"""The signed token in an email's unsubscribe link: it names the user, so no sign-in is needed,
and the kind of notification it stops. A token naming only the user (the links of emails sent
before there were kinds) stops all email."""

from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

from accounts.absolute_urls import absolute_url

UNSUBSCRIBE_SALT = "comments.unsubscribe"


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    kind: str | None  # None: every email


def unsubscribe_token(user, kind: str | None = None) -> str:
    value = user.pk if kind is None else {"user": user.pk, "kind": kind}
    return signing.dumps(value, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> Unsubscribe | None:
    """What a link asks for, or None when the token was tampered with."""
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        if isinstance(value, dict):
            return Unsubscribe(user_id=int(value["user"]), kind=str(value["kind"]))
        return Unsubscribe(user_id=int(value), kind=None)
    except (signing.BadSignature, TypeError, ValueError, KeyError):
        return None


def user_id_from_unsubscribe_token(token: str) -> int | None:
    """The user a link was made for, or None when the token was tampered with."""
    request = read_unsubscribe_token(token)
    return request.user_id if request else None


def unsubscribe_url(user, kind: str | None = None) -> str:
    token = unsubscribe_token(user, kind)
    return absolute_url(reverse("comments:unsubscribe", kwargs={"token": token}))
