"""Reading configuration from environment variables, for settings.py."""

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def sqlite_database(path: Path) -> dict:
    # WAL and IMMEDIATE transactions stop "database is locked" under concurrent writes.
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


PREPARE_AFTER = 5  # psycopg's own default, which Django turns off


def database_from_url(url: str) -> dict:
    """A DATABASES entry for a postgres:// URL, using Django's psycopg 3 connection pool."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with postgres:// (got {parts.scheme!r}); "
            "leave it unset to use SQLite."
        )
    options = dict(parse_qsl(parts.query))
    pool_max = int(options.pop("pool_max_size", "8"))
    # Parameters bound by the server let psycopg prepare a statement a connection has run
    # PREPARE_AFTER times, and the pool keeps connections: PostgreSQL then plans each of a
    # page's queries once per connection, not on every request (1 to 3 ms of its CPU a page).
    # A pooler in transaction mode (PgBouncer) cannot keep prepared statements: say
    # ?server_side_binding=false in DATABASE_URL behind one.
    if options.pop("server_side_binding", "true").lower() != "false":
        options.update(server_side_binding=True, prepare_threshold=PREPARE_AFTER)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        # The pool keeps connections open; CONN_MAX_AGE must stay 0 with it.
        "CONN_MAX_AGE": 0,
        "OPTIONS": {**options, "pool": {"min_size": 1, "max_size": pool_max, "timeout": 10}},
    }


def s3_media_storage() -> tuple[dict, str] | None:
    """STORAGES["default"] for S3-compatible object storage, and the origin its URLs start with
    (for the CSP's img-src); None when MEDIA_S3_BUCKET is unset and media stay on the disk."""
    bucket = env_str("MEDIA_S3_BUCKET")
    if not bucket:
        return None
    style = env_str("MEDIA_S3_ADDRESSING_STYLE")
    if style not in {"", "auto", "path", "virtual"}:
        raise ImproperlyConfigured(
            f"MEDIA_S3_ADDRESSING_STYLE must be auto, path or virtual, not {style!r}."
        )
    domain = env_str("MEDIA_S3_CUSTOM_DOMAIN").strip("/")
    if "://" in domain:
        raise ImproperlyConfigured(
            f"MEDIA_S3_CUSTOM_DOMAIN is a host name such as media.example.com, not {domain!r}."
        )
    options = {
        "bucket_name": bucket,
        "endpoint_url": env_str("MEDIA_S3_ENDPOINT_URL") or None,
        "region_name": env_str("MEDIA_S3_REGION") or None,
        "location": env_str("MEDIA_S3_LOCATION").strip("/"),
        "custom_domain": domain or None,
        "addressing_style": style or None,
        # Public media at plain, stable URLs: no signatures that expire inside cached pages.
        "querystring_auth": False,
        "file_overwrite": False,
    }
    # Without keys here boto3 looks further: AWS_ACCESS_KEY_ID, ~/.aws, an instance role.
    for option, name in (
        ("access_key", "MEDIA_S3_ACCESS_KEY_ID"),
        ("secret_key", "MEDIA_S3_SECRET_ACCESS_KEY"),
    ):
        if env_str(name):
            options[option] = env_str(name)
    return {"BACKEND": "fansite.storage.MediaStorage", "OPTIONS": options}, s3_origin(options)


def s3_origin(options: dict) -> str:
    """The scheme and host of the storage's URLs, as django-storages will write them."""
    if options["custom_domain"]:
        return f"https://{options['custom_domain']}"
    # botocore alone knows whether a bucket goes into the host or the path (the addressing
    # style, the region, a bucket name with dots); writing an unsigned URL needs no network.
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    style = (
        {"addressing_style": options["addressing_style"]} if options["addressing_style"] else None
    )
    client = boto3.session.Session().client(
        "s3",
        region_name=options["region_name"],
        endpoint_url=options["endpoint_url"],
        config=Config(signature_version=UNSIGNED, s3=style),
    )
    url = client.generate_presigned_url(
        "get_object", Params={"Bucket": options["bucket_name"], "Key": "x"}
    )
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
