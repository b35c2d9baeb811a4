"""Creates an admin account for local development, once, and prints its credentials once.

Only with DEBUG on and SQLite: a production database never gets an account with a printed
password.
"""

import os
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

USERNAME = "admin"
EMAIL = "admin@example.com"


class Command(BaseCommand):
    help = "Create a local admin account on first run (DEBUG and SQLite only)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG or connection.vendor != "sqlite":
            raise CommandError(
                "create_local_admin only runs with DJANGO_DEBUG on and SQLite. "
                "In production use: python manage.py createsuperuser"
            )
        User = get_user_model()
        if User.objects.filter(username=USERNAME).exists():
            self.stdout.write(
                f"The local admin account '{USERNAME}' exists; its password was printed when it "
                "was created. Reset it with: "
                f".venv/bin/python manage.py changepassword {USERNAME}"
            )
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_superuser(
            username=USERNAME, email=EMAIL, password=password, display_name="Site editor"
        )
        # Sign-in is by email through allauth, which wants the address verified.
        EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
        rule = "=" * 64
        # `make run` passes the address it serves on.
        site = f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
        self.stdout.write(
            self.style.WARNING(
                f"\n{rule}\nA local admin account was created. This is shown only once.\n"
                f"  Sign in at {site}/admin/\n"
                f"  Email:    {EMAIL}\n  Password: {password}\n{rule}\n"
            )
        )
