from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.images import SafeImageField


class User(AbstractUser):
    display_name = models.CharField(
        max_length=60,
        blank=True,
        help_text="The name shown beside your comments. Leave empty to show your username.",
    )
    avatar = SafeImageField(
        upload_to="avatars/%Y/%m/",
        blank=True,
        help_text="JPEG, PNG, WebP or AVIF, at most 10 MB. Shown square.",
    )
    bio = models.TextField(
        max_length=500, blank=True, help_text="A few words about yourself, at most 500 characters."
    )
    email_notifications = models.BooleanField(
        "email me about replies and mentions",
        default=True,
        help_text="Every such email has a link to turn this off.",
    )

    objects = UserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = "user"
        verbose_name_plural = "users"

    def __str__(self) -> str:
        return self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", kwargs={"username": self.username})

    @property
    def public_name(self) -> str:
        return self.display_name or self.username

    def active_suspension(self) -> "Suspension | None":
        """The suspension in force now, if any (the one ending last); cached on the user for
        the request, since every write checks it."""
        if not hasattr(self, "_active_suspension"):
            self._active_suspension = (
                self.suspensions.active()
                .order_by(models.F("ends_at").desc(nulls_first=True))
                .first()
                if self.pk
                else None
            )
        return self._active_suspension

    @property
    def is_suspended(self) -> bool:
        return self.active_suspension() is not None


def user_display(user) -> str:
    """How allauth names a user in its pages and emails."""
    return user.public_name


class SuspensionQuerySet(models.QuerySet):
    def active(self, at=None):
        """In force at `at` (now): begun, not yet over, not lifted. A suspension ends by itself
        when ends_at passes; nothing needs to run for that."""
        at = at or timezone.now()
        return self.filter(lifted_at__isnull=True, starts_at__lte=at).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=at)
        )


class Suspension(models.Model):
    """A member may read and sign in, but not write, until `ends_at` (never, when empty) or
    until a moderator lifts it. Made and lifted by comments.moderation, which logs the action."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspensions"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(help_text="Shown to the member.")
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty: until a moderator lifts it."
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lift_reason = models.TextField(blank=True)

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="suspension_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["user", "lifted_at"], name="suspension_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} suspended {self.period_label()}"

    def period_label(self) -> str:
        if self.ends_at is None:
            return "until further notice"
        return f"until {timezone.localtime(self.ends_at):%-d %B %Y, %H:%M}"
