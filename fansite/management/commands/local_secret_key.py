"""Prints the secret key `make serve` uses: random, made once, kept in an ignored local file.

The file (`.local/secret_key` by default, listed in .gitignore) is created with mode 0600 on the
first run and read on later ones, so sessions and signed links survive a restart while the key
is nothing anyone could guess (it used to be derived from the host name).
"""

import os
import secrets
import stat
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# Django's check --deploy wants at least 50 characters and 5 different ones (security.W009).
MIN_LENGTH = 50


def default_path() -> Path:
    return Path(settings.BASE_DIR) / ".local" / "secret_key"


def local_secret_key(path: Path) -> str:
    """The key stored at path, made there first (random, 67 characters, mode 0600) if absent."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        # O_EXCL: two `make serve` started at once cannot both write a key.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _stored_key(path)
    key = secrets.token_urlsafe(50)
    with os.fdopen(descriptor, "w") as file:
        file.write(key + "\n")
    return key


def _stored_key(path: Path) -> str:
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise CommandError(
            f"{path} can be read by other users: the key in it may have leaked. "
            "Delete the file and run again to make a new key."
        )
    key = path.read_text().strip()
    if len(key) < MIN_LENGTH or len(set(key)) < 5:
        raise CommandError(
            f"{path} does not hold a usable secret key (at least {MIN_LENGTH} characters). "
            "Delete the file and run again to make a new one."
        )
    return key


class Command(BaseCommand):
    help = "Print the local secret key for `make serve`, creating it on the first run."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--path", type=Path, default=None, help="Where the key is kept (.local/secret_key)."
        )

    def handle(self, *args, path: Path | None, **options) -> None:
        self.stdout.write(local_secret_key(path or default_path()))
