import os
from pathlib import Path

import pytest

from tests import factories
from tests.factories import make_staff, make_user

# The reference article stays outside the project (../shared/seed/FACTS.md: it is not copied in);
# CI has ../shared beside the clone, a clone alone skips the tests that read it.
SEED_ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "seed" / "sequel-article.txt"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads go to a fresh folder per test, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests make many users; a real password hasher would dominate their run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The local-memory caches outlive a test; rate limits and cached pages must not leak."""
    from django.core.cache import caches

    for alias in ("default", "pages"):
        caches[alias].clear()
    yield
    for alias in ("default", "pages"):
        caches[alias].clear()


@pytest.fixture
def page_cache(settings):
    """Anonymous whole-page caching on, as in production, from an empty cache."""
    from django.core.cache import caches

    settings.PAGE_CACHE_SECONDS = 300
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture
def user(db):
    return make_user()


@pytest.fixture
def staff_user(db):
    return make_staff()


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def seed_article(monkeypatch) -> dict:
    """The reference article (date, paragraphs, standfirst, body, image credit), read at run time.

    From $SEED_ARTICLE when set, else ../shared/seed/sequel-article.txt beside the clone; a test
    that asks for it is skipped, naming the path, when the file is not there.
    """
    path = Path(os.environ.get("SEED_ARTICLE") or SEED_ARTICLE)
    if not path.is_file():
        pytest.skip(f"seed article not found at {path} (set SEED_ARTICLE to read it elsewhere)")
    monkeypatch.setattr(factories, "SEED_ARTICLE", path)
    return factories.read_seed_article()
