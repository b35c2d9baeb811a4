"""HTML is gzipped for clients that accept it, BREACH-safe (a random-length gzip header on each
answer), with Vary: Accept-Encoding; streams and already-compressed content pass untouched; the
page cache keeps a gzipped and a plain copy of a page (it holds no secret a gzip header could leak).
`make serve` serves uploaded media itself, as the deployment's proxy does."""

import gzip
import importlib

import pytest
from django.contrib import admin
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.urls import clear_url_caches

from fansite.middleware import CompressionMiddleware
from tests.factories import make_film

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def _vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


def test_html_is_gzipped_for_a_client_that_accepts_it(client):
    make_film(title="Romy and Michele's High School Reunion")
    response = client.get("/films/", **GZIP)
    assert response["Content-Encoding"] == "gzip"
    assert "accept-encoding" in _vary(response)
    assert b"High School Reunion" in gzip.decompress(response.content)


def test_html_is_plain_without_accept_encoding_and_still_varies(client):
    response = client.get("/films/")
    assert not response.has_header("Content-Encoding")
    assert "accept-encoding" in _vary(response)
    assert b"<!DOCTYPE html>" in response.content


def test_gzip_header_carries_a_random_file_name_against_breach(client):
    """Heal the Breach: FNAME is set and its length varies from answer to answer."""
    lengths = set()
    for _ in range(12):
        body = client.get("/films/", **GZIP).content
        assert body[3] & gzip.FNAME
        lengths.add(body.index(b"\x00", 10) - 10)
    assert len(lengths) > 1


def test_cached_page_is_gzipped_for_gzip_clients_and_plain_for_others(client, page_cache):
    first = client.get("/films/", **GZIP)
    again = client.get("/films/", **GZIP)
    plain = client.get("/films/")
    assert first["Content-Encoding"] == again["Content-Encoding"] == "gzip"
    assert gzip.decompress(again.content) == plain.content
    assert "accept-encoding" in _vary(plain)


def _through_middleware(response):
    request = RequestFactory().get("/", **GZIP)
    return CompressionMiddleware(lambda request: response)(request)


def test_streaming_response_is_not_compressed():
    stream = StreamingHttpResponse(iter([b"a" * 1000, b"b" * 1000]), content_type="text/csv")
    assert not _through_middleware(stream).has_header("Content-Encoding")


def test_image_is_not_compressed_again():
    image = HttpResponse(b"\x89PNG" + b"\x00" * 2000, content_type="image/png")
    response = _through_middleware(image)
    assert not response.has_header("Content-Encoding")
    assert len(response.content) == 2004


@pytest.fixture
def local_serve_urls(settings, tmp_path):
    """The URLs as `make serve` builds them (DEBUG off, LOCAL_SERVE on), media in tmp_path."""
    import fansite.urls

    # Reloading runs the module again: keep what it changes elsewhere (the admin's sign-in).
    before, admin_login = list(fansite.urls.urlpatterns), admin.site.login
    settings.DEBUG = False
    settings.LOCAL_SERVE = True
    settings.MEDIA_ROOT = tmp_path
    importlib.reload(fansite.urls)
    clear_url_caches()
    yield tmp_path
    fansite.urls.urlpatterns[:] = before
    admin.site.login = admin_login
    clear_url_caches()


def test_make_serve_serves_uploaded_media(client, local_serve_urls):
    (local_serve_urls / "poster.png").write_bytes(b"\x89PNG" + b"\x00" * 300)
    response = client.get("/media/poster.png", **GZIP)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert not response.has_header("Content-Encoding")


def test_gzip_is_level_3_and_a_strong_etag_turns_weak():
    """Level 3: a fraction of level 6's CPU on a member's large thread page; the header's random
    name is all that differs from Python's gzip at that level."""
    body = b"<p>Romy and Michele dance at the reunion.</p>" * 2000
    response = HttpResponse(body, content_type="text/html")
    response["ETag"] = '"abc"'
    request = RequestFactory().get("/", **GZIP)
    answer = CompressionMiddleware(lambda request: response)(request)
    assert gzip.decompress(answer.content) == body
    name_length = answer.content[10:].index(b"\x00") + 1
    plain_level_3 = gzip.compress(body, compresslevel=3, mtime=0)
    assert len(answer.content) == len(plain_level_3) + name_length
    assert answer["ETag"] == 'W/"abc"'
    assert answer["Content-Length"] == str(len(answer.content))
