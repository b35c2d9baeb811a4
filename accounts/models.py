from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse

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


def user_display(user) -> str:
    """How allauth names a user in its pages and emails."""
    return user.public_name
