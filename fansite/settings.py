"""Settings for fansite, read from the environment with safe development defaults.

Every variable is listed in README.md. With nothing set, the site runs in development mode on
SQLite and the local-memory cache.
"""

import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from fansite.env import (
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    s3_media_storage,
    sqlite_database,
)
from fansite.static_headers import add_static_headers

BASE_DIR = Path(__file__).resolve().parent.parent
TESTING = "pytest" in sys.modules

DEBUG = env_bool("DJANGO_DEBUG", default=True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "fansite.admin_site.FansiteAdminConfig",  # django.contrib.admin, news first for editors
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "sorl.thumbnail",
    "django_htmx",
    "reversion",
    "django_tasks_db",
    "fansite",
    "accounts",
    "films",
    "news",
    "comments",
]

MIDDLEWARE = [
    "fansite.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Anonymous pages answered before sessions, auth, CSRF, CSP and the view are reached, with
    # the headers and the compression they were stored with; what it stores is decided by
    # CacheHeadersMiddleware's Cache-Control (fansite/page_cache.py).
    "fansite.page_cache.AnonymousPageCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what every middleware below and the view produce; after WhiteNoise, which
    # serves static files precompressed itself.
    "fansite.middleware.CompressionMiddleware",
    # Cache-Control, Vary, ETag and 304s: inside compression (it hashes the plain body),
    # outside sessions, CSRF and messages (it sees every cookie they set).
    "fansite.http_cache.CacheHeadersMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After sign-in and messages, so the refusal is a page of the site; nothing before it reads
    # the body (CSRF reads it in process_view, after every middleware here has run).
    "fansite.middleware.RequestSizeLimitMiddleware",
    # Right after the size limit: no body it reads is larger than the limit allows.
    "fansite.middleware.UnstorableInputMiddleware",
]

ROOT_URLCONF = "fansite.urls"
WSGI_APPLICATION = "fansite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "fansite.context_processors.site",
            ],
            "builtins": ["fansite.templatetags.machine_dates"],
        },
    },
]

# Databases: PostgreSQL when DATABASE_URL is set, SQLite otherwise.
DATABASE_URL = env_str("DATABASE_URL")
DATABASES = {
    "default": database_from_url(DATABASE_URL)
    if DATABASE_URL
    else sqlite_database(Path(env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))))
}

# Caches: Redis when REDIS_URL is set (shared by every worker and host); local memory in
# development; files on this host in production without Redis. Two aliases, because what they
# hold may not be lost alike: `default` holds rate-limit counters (allauth's and ours), used
# MFA codes and cache versions, which must never be evicted; `pages` holds whole anonymous
# pages and pieces of members' pages (comment sections, unread counts), which may be
# (REDIS_PAGE_CACHE_URL: a Redis with maxmemory and allkeys-lru).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "fansite",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("REDIS_PAGE_CACHE_URL") or REDIS_URL,
            "KEY_PREFIX": "fansite-pages",
        },
    }
    # Sessions live in the database; the cache only saves a query, so an eviction loses none.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif DEBUG:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    }
else:
    # Without Redis, gunicorn's workers on this host still share one cache (cached pages, the
    # page version, rate limits): the file system. Several hosts need REDIS_URL.
    CACHE_DIR = Path(env_str("CACHE_DIR", str(BASE_DIR / ".cache")))
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_DIR,
        },
        # Without zlib (read on every hit), room for the site's pages in both encodings.
        "pages": {
            "BACKEND": "fansite.cache_backends.PlainFileBasedCache",
            "LOCATION": CACHE_DIR / "pages",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email-first accounts, verified by a code before anything can be posted.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_USER_DISPLAY = "accounts.models.user_display"
# Usernames that only look different from a member's (case, look-alike letters) are refused.
ACCOUNT_USERNAME_VALIDATORS = "accounts.names.username_validators"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Romy and Michele fans] "
ACCOUNT_RATE_LIMITS_ENABLED = env_bool("ACCOUNT_RATE_LIMITS_ENABLED", default=True)
if not ACCOUNT_RATE_LIMITS_ENABLED:
    ACCOUNT_RATE_LIMITS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]

# Email through Django 6.1's MAILERS: the console in development, SMTP in production.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Romy and Michele fans <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMTP_HOST = env_str("EMAIL_HOST")
if SMTP_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": SMTP_HOST,
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "timeout": 10,
            },
        }
    }
elif email_files := env_str("EMAIL_FILE_PATH"):  # One file per email, in that directory.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": email_files},
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Background work (emails, notifying followers) through Django's tasks API. "database": tasks
# are rows in the site's database, written in the same transaction as what queued them and run
# by `manage.py db_worker` (django-tasks-db); the default with DEBUG off. "immediate": run in the
# process that queues them (development, tests).
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate" if DEBUG or TESTING else "database")
if TASKS_BACKEND not in TASKS_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(TASKS_BACKENDS)}, not {TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[TASKS_BACKEND]}}

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploads on this host's disk, or on S3-compatible object storage that every host shares when
# MEDIA_S3_BUCKET is set (README, Media on object storage); thumbnails go where uploads go.
FILE_SYSTEM_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
MEDIA_STORAGE, MEDIA_ORIGIN = s3_media_storage() or (FILE_SYSTEM_STORAGE, None)
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        # The manifest storage needs collectstatic, so development and tests serve files as is.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads: an image may be 10 MB (checked on its size before Pillow opens it); the form fields
# around it 2 MB; a request body over both together is refused unread (413, by
# fansite.middleware.RequestSizeLimitMiddleware; the proxy's limit should match, see README).
IMAGE_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
REQUEST_MAX_BODY_BYTES = IMAGE_UPLOAD_MAX_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE
# Uploaded files larger than this go to a temporary file rather than memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Thumbnails: sorl-thumbnail keeps its key-value store in the cache-backed database table.
THUMBNAIL_FORMAT = "WEBP"
THUMBNAIL_QUALITY = 82
THUMBNAIL_PRESERVE_FORMAT = False
THUMBNAIL_DEBUG = False
# Never enlarge a small image, and never make one over 1,600 px a side, whatever a template
# asks for: the largest slot is the news article image (46rem, 1,472 px at 2x).
THUMBNAIL_UPSCALE = False
THUMBNAIL_BACKEND = "accounts.thumbnails.CappedThumbnailBackend"
THUMBNAIL_MAX_SIZE = 1600
# sorl's defaults, said here because several hosts depend on them: thumbnails are written to the
# uploads' storage, and their names and sizes kept in the database behind the cache, so a page
# asks the storage nothing about a thumbnail made before, on any host.
THUMBNAIL_STORAGE = "default"
THUMBNAIL_KVSTORE = "sorl.thumbnail.kvstores.cached_db_kvstore.KVStore"

# Whole pages cached for anonymous visitors; any write retires them (fansite/page_cache.py).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0 if DEBUG or TESTING else 300)
# What browsers and CDNs may keep of an anonymous page (fansite/http_cache.py): fresh this long,
# then served stale this much longer while a cache fetches it again.
HTTP_CACHE_MAX_AGE = env_int("HTTP_CACHE_MAX_AGE", 60)
HTTP_CACHE_STALE_WHILE_REVALIDATE = env_int("HTTP_CACHE_STALE_WHILE_REVALIDATE", 300)
# Hashed static files: one year, immutable (WhiteNoise's own default is ten years).
WHITENOISE_ADD_HEADERS_FUNCTION = add_static_headers

# Discussions.
COMMENTS_MAX_DEPTH = env_int("COMMENTS_MAX_DEPTH", 4)
COMMENTS_PER_PAGE = env_int("COMMENTS_PER_PAGE", 20)
# Replies shown under each top-level comment on the thread page (the first ones written); the
# rest load in pages of COMMENTS_REPLIES_PER_PAGE ("more replies"), so a page costs the same
# whether a comment has 3 replies or 5,000.
COMMENTS_REPLIES_SHOWN = env_int("COMMENTS_REPLIES_SHOWN", 10)
COMMENTS_REPLIES_PER_PAGE = env_int("COMMENTS_REPLIES_PER_PAGE", 50)
# Rendered comments (and top-level comments' trees) each worker keeps in memory, about 2-3 KB
# each (comments.fragments; 0 turns it off).
COMMENTS_ARTICLES_KEPT = env_int("COMMENTS_ARTICLES_KEPT", 5_000)
# Members' rendered comment sections each worker keeps in memory too, up to about 200 kB each
# (a page of 20 top-level comments with their first replies; comments.sections).
COMMENTS_SECTIONS_KEPT = env_int("COMMENTS_SECTIONS_KEPT", 100)
COMMENT_MAX_LENGTH = 10_000
# Trust and safety: a comment reported by this many members (not suspended, not new) is hidden
# pending review. Members are new while their account is younger than NEW_MEMBER_HOURS or they
# have fewer than NEW_MEMBER_MIN_COMMENTS visible comments; new members post at most
# NEW_MEMBER_POSTS_PER_HOUR comments, without links or images, naming at most
# NEW_MEMBER_MAX_MENTIONS people.
COMMENTS_AUTO_HIDE_REPORTS = env_int("COMMENTS_AUTO_HIDE_REPORTS", 3)
NEW_MEMBER_HOURS = env_int("NEW_MEMBER_HOURS", 24)
NEW_MEMBER_MIN_COMMENTS = env_int("NEW_MEMBER_MIN_COMMENTS", 3)
NEW_MEMBER_POSTS_PER_HOUR = env_int("NEW_MEMBER_POSTS_PER_HOUR", 3)
NEW_MEMBER_MAX_MENTIONS = env_int("NEW_MEMBER_MAX_MENTIONS", 2)

# Security headers, on in every mode; the HTTPS-only ones only when DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
# DJANGO_HTTPS=false only for trying production mode over plain http on your own machine.
HTTPS = not DEBUG and env_bool("DJANGO_HTTPS", default=True)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# `make serve` runs check --deploy before serving production settings over plain http on this
# machine, and sets DJANGO_LOCAL_SERVE so that exactly the checks plain http cannot pass are
# silenced; any other deploy warning stops it. (W005 and W021 apply only once HSTS is on;
# W010 and W011 are W012 for sites without the sessions app or middleware.) Without an
# EMAIL_HOST, emails are printed in its terminal, which check --deploy reports as mail.E001.
HTTPS_ONLY_CHECKS = ["security.W004", "security.W008", "security.W012", "security.W016"]
LOCAL_SERVE = env_bool("DJANGO_LOCAL_SERVE", default=False) and not DEBUG and not HTTPS
if LOCAL_SERVE:
    SILENCED_SYSTEM_CHECKS = [*HTTPS_ONLY_CHECKS, *([] if SMTP_HOST else ["mail.E001"])]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
}
