"""Who may do what in the discussions."""

from allauth.account.models import EmailAddress


def has_verified_email(user) -> bool:
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_comments_verified"):
        user._comments_verified = EmailAddress.objects.filter(user=user, verified=True).exists()
    return user._comments_verified


def can_post(user) -> bool:
    """Signed in, active, with a verified email address."""
    return user.is_authenticated and user.is_active and has_verified_email(user)


def can_moderate(user) -> bool:
    return user.is_authenticated and user.has_perm("comments.moderate_comment")


def can_change(user, comment) -> bool:
    """Only the author edits or deletes a comment, and only while it is visible."""
    return user.is_authenticated and comment.author_id == user.pk and comment.is_visible
