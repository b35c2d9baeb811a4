"""Uploads and thumbnails on S3-compatible object storage, against moto's S3 server on loopback.

The storage is configured as production configures it: MEDIA_S3_* environment variables read by
fansite.env.s3_media_storage into STORAGES["default"]. Requests to the bucket are counted with a
botocore hook on the storage's own client.
"""

import io
import os
import re
import subprocess
import sys
import uuid
from urllib.parse import urlsplit

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from django.utils.functional import empty
from PIL import Image
from sorl.thumbnail import default as sorl_default
from sorl.thumbnail.images import get_or_create_storage

from fansite.env import s3_media_storage
from fansite.storage import CACHE_CONTROL, MediaStorage
from tests.factories import make_film, make_post, make_upload

pytestmark = pytest.mark.django_db

KEYS = {"MEDIA_S3_ACCESS_KEY_ID": "testing", "MEDIA_S3_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint):
    """A fresh bucket on the server, as a boto3 Bucket for looking at what the site stored."""
    resource = boto3.resource(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return resource.create_bucket(Bucket=f"media-{uuid.uuid4().hex[:12]}")


def use_s3(settings, monkeypatch, bucket, **environment) -> MediaStorage:
    """STORAGES["default"] from MEDIA_S3_* variables, as settings.py reads them."""
    environment = {
        "MEDIA_S3_BUCKET": bucket.name,
        "MEDIA_S3_ENDPOINT_URL": bucket.meta.client.meta.endpoint_url,
        "MEDIA_S3_REGION": "us-east-1",
        **KEYS,
        **environment,
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    storage, _origin = s3_media_storage()
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    forget_sorl_storage()
    return storages["default"]


def forget_sorl_storage() -> None:
    """sorl-thumbnail holds on to the storage twice: its lazy handle and the cache of storages
    it reads thumbnails back into (Django forgets only its own when STORAGES changes)."""
    sorl_default.storage._wrapped = empty
    get_or_create_storage.cache_clear()


@pytest.fixture
def s3(settings, monkeypatch, bucket):
    storage = use_s3(settings, monkeypatch, bucket, MEDIA_S3_LOCATION="media")
    yield storage
    forget_sorl_storage()


@pytest.fixture
def s3_requests(s3):
    """Every request the storage sends to the bucket, as (method, path)."""
    sent = []

    def record(request, **kwargs):
        sent.append((request.method, urlsplit(request.url).path))

    s3.connection.meta.client.meta.events.register("before-send", record)
    return sent


def thumbnail_urls(response) -> set[str]:
    return set(re.findall(r"https?://[^\s\"]+/cache/[^\s\"]+\.webp", response.content.decode()))


def keys(bucket) -> set[str]:
    return {item.key for item in bucket.objects.all()}


def thumbnail_keys(bucket) -> set[str]:
    return {key for key in keys(bucket) if key.startswith("media/cache/")}


def upload_avatar(client, name: str = "me.png", **image):
    response = client.post(
        reverse("accounts:profile-edit"),
        {"display_name": "Romy", "avatar": make_upload(name, size=(400, 400), **image)},
    )
    assert response.status_code == 302


def test_an_uploaded_avatar_is_stored_in_the_bucket(user_client, user, s3, bucket):
    upload_avatar(user_client)
    user.refresh_from_db()
    stored = bucket.Object(f"media/{user.avatar.name}")
    assert stored.content_type == "image/png"
    assert stored.cache_control == CACHE_CONTROL
    assert Image.open(io.BytesIO(stored.get()["Body"].read())).size == (400, 400)


def test_the_profile_page_shows_thumbnails_from_the_bucket(user_client, user, s3, bucket):
    upload_avatar(user_client)
    page = user_client.get(user.get_absolute_url()).content.decode()
    made = thumbnail_keys(bucket)
    assert len(made) == 2  # 160 and 320 px
    for key in made:
        assert f"{bucket.meta.client.meta.endpoint_url}/{bucket.name}/{key}" in page
        assert bucket.Object(key).content_type == "image/webp"


def test_a_thumbnail_is_made_once_and_then_costs_no_request_to_the_bucket(
    user_client, user, s3, bucket, s3_requests
):
    """The key-value store (cache, then database) answers for a thumbnail made before: no
    second drawing, not even a HEAD to ask whether it exists."""
    upload_avatar(user_client)
    s3_requests.clear()
    user_client.get(user.get_absolute_url())
    made = {key: bucket.Object(key).e_tag for key in thumbnail_keys(bucket)}
    methods = [method for method, _path in s3_requests]
    assert methods.count("PUT") == 2  # the 1x and 2x thumbnails
    assert methods.count("GET") == 1  # the upload, read once for both
    s3_requests.clear()

    user_client.get(user.get_absolute_url())
    assert s3_requests == []
    assert {key: bucket.Object(key).e_tag for key in thumbnail_keys(bucket)} == made


def test_another_host_with_an_empty_cache_reads_thumbnails_from_the_database(
    user_client, user, s3, bucket, s3_requests
):
    from django.core.cache import cache

    upload_avatar(user_client)
    first = thumbnail_urls(user_client.get(user.get_absolute_url()))
    s3_requests.clear()
    cache.clear()
    assert thumbnail_urls(user_client.get(user.get_absolute_url())) == first
    assert len(first) == 2
    assert s3_requests == []


def test_a_custom_domain_names_the_media_urls(settings, monkeypatch, bucket, user_client, user):
    use_s3(settings, monkeypatch, bucket, MEDIA_S3_CUSTOM_DOMAIN="media.fans.example")
    try:
        upload_avatar(user_client)
        user.refresh_from_db()
        page = user_client.get(user.get_absolute_url()).content.decode()
        data = user_client.get(reverse("accounts:export")).json()
    finally:
        forget_sorl_storage()
    for key in thumbnail_keys_at_root(bucket):
        assert f"https://media.fans.example/{key}" in page
    assert f"{bucket.meta.client.meta.endpoint_url}" not in page
    assert data["profile"]["avatar"] == f"https://media.fans.example/{user.avatar.name}"


def thumbnail_keys_at_root(bucket) -> set[str]:
    found = {key for key in keys(bucket) if key.startswith("cache/")}
    assert found
    return found


def test_a_replaced_avatar_leaves_the_bucket_with_its_thumbnails(
    user_client, user, s3, bucket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload_avatar(user_client, "first.png")
    user.refresh_from_db()
    first = f"media/{user.avatar.name}"
    user_client.get(user.get_absolute_url())
    first_thumbnails = thumbnail_keys(bucket)

    with django_capture_on_commit_callbacks(execute=True):
        upload_avatar(user_client, "second.png")
    user.refresh_from_db()
    assert first not in keys(bucket)
    assert f"media/{user.avatar.name}" in keys(bucket)
    assert not first_thumbnails & keys(bucket)


def test_a_deleted_row_takes_its_image_out_of_the_bucket(
    s3, bucket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        film = make_film(poster=make_upload("poster.png"))
    assert keys(bucket) == {f"media/{film.poster.name}"}
    with django_capture_on_commit_callbacks(execute=True):
        film.delete()
    assert keys(bucket) == set()


def test_an_upload_never_takes_an_address_used_before(s3):
    """Objects are cached for a year: a file deleted and uploaded again under the same name
    must get a new address, or caches would go on serving the old picture."""
    first = s3.save("posters/2026/poster.png", ContentFile(b"one"))
    s3.delete(first)
    second = s3.save("posters/2026/poster.png", ContentFile(b"two"))
    assert first != second
    assert first.startswith("posters/2026/poster_") and first.endswith(".png")


def test_a_thumbnail_keeps_the_name_sorl_gave_it(s3):
    assert s3.save("cache/ab/cd/abcd.webp", ContentFile(b"thumb")) == "cache/ab/cd/abcd.webp"


def test_a_film_poster_uploaded_in_the_admin_is_shown_from_the_bucket(admin_client, s3, bucket):
    film = make_film()
    response = admin_client.post(
        reverse("admin:films_film_change", args=[film.pk]),
        {**admin_form_data(admin_client, film), "poster": make_upload("p.png", size=(600, 900))},
    )
    assert response.status_code == 302, response.context["adminform"].errors
    film.refresh_from_db()
    assert f"media/{film.poster.name}" in keys(bucket)
    page = admin_client.get(film.get_absolute_url()).content.decode()
    assert f"/{bucket.name}/media/cache/" in page


def admin_form_data(client, film) -> dict:
    """The change form's fields as the page filled them, and its inlines with no rows."""
    response = client.get(reverse("admin:films_film_change", args=[film.pk]))
    data = {}
    for field in response.context["adminform"].form:
        if field.name != "poster" and field.value() is not None:
            data[field.html_name] = field.value()
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for field in management:
            data[field.html_name] = field.value()
        # No blank rows: the credits' empty extra forms are not part of this test.
        data[management["TOTAL_FORMS"].html_name] = management["INITIAL_FORMS"].value()
    return data


@pytest.mark.parametrize(
    "environment",
    [
        {"MEDIA_S3_CUSTOM_DOMAIN": "media.fans.example"},
        {
            "MEDIA_S3_ENDPOINT_URL": "https://abc123.r2.cloudflarestorage.com",
            "MEDIA_S3_REGION": "auto",
        },
        {
            "MEDIA_S3_ENDPOINT_URL": "https://fra1.digitaloceanspaces.com",
            "MEDIA_S3_ADDRESSING_STYLE": "virtual",
        },
        {"MEDIA_S3_REGION": "eu-west-1"},
        {"MEDIA_S3_BUCKET": "fans.media", "MEDIA_S3_REGION": "eu-west-1"},
    ],
)
def test_the_csp_origin_is_where_the_storage_points(monkeypatch, environment):
    monkeypatch.setenv("MEDIA_S3_BUCKET", "fans-media")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    config, origin = s3_media_storage()
    url = MediaStorage(**config["OPTIONS"]).url("posters/2026/p.png")
    assert url.startswith(f"{origin}/")


def test_settings_read_the_storage_and_csp_from_the_environment():
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.STORAGES['default']['BACKEND']); print(settings.SECURE_CSP['img-src'][-1])"
    )
    environment = {
        "DJANGO_SETTINGS_MODULE": "fansite.settings",
        "MEDIA_S3_BUCKET": "fans-media",
        "MEDIA_S3_CUSTOM_DOMAIN": "media.fans.example",
    }
    run = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.split() == ["fansite.storage.MediaStorage", "https://media.fans.example"]


def test_without_a_bucket_media_stay_on_the_file_system(monkeypatch, settings):
    monkeypatch.delenv("MEDIA_S3_BUCKET", raising=False)
    assert s3_media_storage() is None
    assert settings.STORAGES["default"]["BACKEND"] == (
        "django.core.files.storage.FileSystemStorage"
    )


def test_a_news_image_and_its_share_picture_come_from_the_bucket(client, s3, bucket):
    post = make_post(
        featured_image=make_upload("sequel.png", size=(800, 450)), image_alt="A sticky note"
    )
    page = client.get(post.get_absolute_url()).content.decode()
    made = thumbnail_keys(bucket)
    assert any(key.endswith(".jpg") for key in made)  # the 1200x630 JPEG for link previews
    for key in made:
        assert f"/{bucket.name}/{key}" in page


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MEDIA_S3_CUSTOM_DOMAIN", "https://media.fans.example"),
        ("MEDIA_S3_ADDRESSING_STYLE", "dns"),
    ],
)
def test_a_misread_storage_variable_stops_the_site(monkeypatch, name, value):
    monkeypatch.setenv("MEDIA_S3_BUCKET", "fans-media")
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        s3_media_storage()
