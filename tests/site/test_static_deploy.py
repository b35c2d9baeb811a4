"""Static files after collectstatic, as `make serve` and production serve them (issue 14):
hashed names are immutable for a year, and a deploy with new static files retires the pages
the file-based page cache kept, which name the old ones."""

import re
import shutil

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.functional import empty

pytestmark = pytest.mark.django_db

SITE_CSS = re.compile(rb"/static/css/site\.[0-9a-f]{12}\.css")


@pytest.fixture
def deployed(settings, tmp_path, page_cache):
    """Production's static storage and file-based page cache, in tmp_path."""
    source = tmp_path / "src"
    shutil.copytree(django_settings.BASE_DIR / "static", source)
    settings.DEBUG = False
    settings.STATICFILES_DIRS = [source]
    # The site's own files only (the admin's hundreds would take minutes to compress).
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "fansite.cache_backends.PlainFileBasedCache",
            "LOCATION": tmp_path / "pages",
        },
    }
    collectstatic()
    return source


def collectstatic() -> None:
    call_command("collectstatic", interactive=False, verbosity=0)


def restart() -> None:
    """What a new gunicorn worker does: read staticfiles.json anew."""
    staticfiles_storage._wrapped = empty


def test_hashed_static_files_are_immutable_for_a_year(client, deployed):
    response = client.get(staticfiles_storage.url("css/site.css"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=31536000, public, immutable"


def test_unhashed_static_names_are_kept_a_minute_only(client, deployed):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=60, public"


def test_pages_name_the_hashed_files(client, deployed):
    page = client.get(reverse("home")).content
    assert SITE_CSS.search(page)


def test_a_deploy_with_new_static_files_retires_cached_pages(client, deployed):
    old_page = client.get(reverse("home"))
    assert client.get(reverse("home"))["X-Page-Cache"] == "hit"
    with (deployed / "css" / "site.css").open("a") as css:
        css.write("\n.deployed { color: red; }\n")
    collectstatic()
    restart()
    new_page = client.get(reverse("home"))
    assert new_page["X-Page-Cache"] == "miss"
    old_css = SITE_CSS.search(old_page.content).group()
    new_css = SITE_CSS.search(new_page.content).group()
    assert new_css != old_css
    assert Client().get(new_css.decode()).status_code == 200  # a new worker serves it


def test_a_restart_without_new_static_files_keeps_cached_pages(client, deployed):
    client.get(reverse("home"))
    restart()
    assert client.get(reverse("home"))["X-Page-Cache"] == "hit"
