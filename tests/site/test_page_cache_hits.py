"""The page cache's hit path (issue 14): answered before sessions, auth and the view, with
the headers of the answer it stored (security headers included), one copy per encoding, and
304 from the stored ETag."""

import gzip
from unittest import mock

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import path, reverse

from fansite.page_cache import VERSION_KEY, retire_cached_pages
from tests.factories import make_film

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
)
# A hit differs from the miss that stored it in these alone.
PER_ANSWER = {"date", "age", "x-page-cache"}

views_called = []


def counted_page(request):
    views_called.append(request.path)
    return HttpResponse("<p>" + "the same for everyone " * 40 + "</p>")


def form_page(request):
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


urlpatterns = [path("counted/", counted_page), path("form/", form_page)]


@pytest.fixture
def test_views(settings):
    settings.ROOT_URLCONF = __name__
    views_called.clear()


def headers(response) -> dict[str, str]:
    return {k.lower(): v for k, v in response.headers.items() if k.lower() not in PER_ANSWER}


def stored_count() -> int:
    """Pages stored, the version kept beside them not counted."""
    return sum(VERSION_KEY not in key for key in caches["pages"]._cache)


@pytest.mark.parametrize("encoding", [{}, GZIP], ids=["plain", "gzip"])
def test_a_hit_has_exactly_the_headers_of_the_miss_that_stored_it(
    client, page_cache, settings, encoding
):
    settings.SECURE_HSTS_SECONDS = 3600
    make_film()
    miss = client.get(reverse("films:index"), secure=True, **encoding)
    hit = client.get(reverse("films:index"), secure=True, **encoding)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    for header in SECURITY_HEADERS:
        assert miss.has_header(header), header
    assert headers(hit) == headers(miss)
    assert hit.content == miss.content


def test_a_hit_is_answered_before_sessions_auth_and_the_view(client, page_cache, test_views):
    client.get("/counted/")
    with mock.patch.object(SessionMiddleware, "process_request", side_effect=AssertionError):
        hit = client.get("/counted/")
    assert hit["X-Page-Cache"] == "hit"
    assert views_called == ["/counted/"]


def test_a_hit_runs_no_sql(client, page_cache, django_assert_num_queries):
    make_film()
    client.get(reverse("home"))
    with django_assert_num_queries(0):
        assert client.get(reverse("home"))["X-Page-Cache"] == "hit"


def test_a_hit_answers_if_none_match_with_304_from_the_stored_etag(client, page_cache, test_views):
    etag = client.get("/counted/")["ETag"]
    response = client.get("/counted/", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response["X-Page-Cache"] == "hit"
    assert response["ETag"] == etag
    assert "public" in response["Cache-Control"]
    assert views_called == ["/counted/"]


def test_a_hit_with_a_stale_etag_gets_the_page(client, page_cache, test_views):
    client.get("/counted/")
    response = client.get("/counted/", headers={"If-None-Match": 'W/"something-else"'})
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"


def test_the_gzipped_answer_is_stored_gzipped_beside_the_plain_one(client, page_cache):
    plain = client.get(reverse("films:index"))
    client.get(reverse("films:index"), **GZIP)
    zipped = client.get(reverse("films:index"), **GZIP)
    assert zipped["X-Page-Cache"] == "hit"
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert stored_count() == 2


def test_a_plain_client_never_gets_the_gzipped_copy(client, page_cache):
    client.get(reverse("films:index"), **GZIP)
    plain = client.get(reverse("films:index"))
    assert plain["X-Page-Cache"] == "miss"
    assert not plain.has_header("Content-Encoding")


def test_a_request_with_a_session_cookie_is_neither_served_nor_stored(client, page_cache):
    client.get(reverse("home"))
    client.cookies["sessionid"] = "an-anonymous-session"
    response = client.get(reverse("home"))
    assert "X-Page-Cache" not in response
    assert stored_count() == 1


def test_a_page_holding_a_csrf_token_is_never_stored(client, page_cache, test_views):
    for _ in range(2):
        assert client.get("/form/")["X-Page-Cache"] == "miss"
    assert stored_count() == 0


def test_a_request_with_a_messages_cookie_goes_the_long_way(client, page_cache, test_views):
    client.get("/counted/")
    client.cookies["messages"] = "pending"
    assert "X-Page-Cache" not in client.get("/counted/")
    assert views_called == ["/counted/", "/counted/"]


def test_an_htmx_request_is_never_served_the_cached_page(client, page_cache):
    client.get(reverse("comments:index"))
    response = client.get(reverse("comments:index"), headers={"HX-Request": "true"})
    assert "X-Page-Cache" not in response


def test_a_disallowed_host_is_refused_as_without_the_cache(page_cache, settings):
    client = Client(raise_request_exception=False)

    def refused():
        return client.get(reverse("home"), headers={"host": "evil.example.com"})

    with_cache = refused()
    settings.PAGE_CACHE_SECONDS = 0
    assert with_cache.status_code == refused().status_code >= 400
    assert with_cache.has_header("Permissions-Policy")
    assert stored_count() == 0


def test_a_hit_reads_the_cache_once(client, page_cache, test_views):
    """The version and the page in one read: one round trip to Redis."""
    client.get("/counted/")
    pages = caches["pages"]
    with (
        mock.patch.object(pages, "get_many", wraps=pages.get_many) as get_many,
        mock.patch.object(pages, "add", side_effect=AssertionError),
    ):
        assert client.get("/counted/")["X-Page-Cache"] == "hit"
    ((keys,), _) = get_many.call_args
    assert get_many.call_count == 1
    assert len(keys) == 2
    assert VERSION_KEY in keys


def test_a_gzipped_hit_is_neither_compressed_nor_hashed_again(client, page_cache, test_views):
    miss = client.get("/counted/", **GZIP)
    with (
        mock.patch("django.middleware.gzip.compress_string", side_effect=AssertionError),
        mock.patch("fansite.http_cache._weak_etag", side_effect=AssertionError),
    ):
        hit = client.get("/counted/", **GZIP)
    assert hit["X-Page-Cache"] == "hit"
    assert hit.content == miss.content
    assert hit["Content-Encoding"] == "gzip"
    assert hit["Content-Length"] == str(len(hit.content))
    assert "Accept-Encoding" in hit["Vary"]
    assert hit["ETag"] == miss["ETag"]


def test_pages_stored_before_a_write_are_not_served_when_the_version_is_lost(
    client, page_cache, test_views
):
    """An evicted version starts again above the old one, not at a number pages were stored
    under."""
    client.get("/counted/")
    retire_cached_pages()
    caches["pages"].delete(VERSION_KEY)
    assert client.get("/counted/")["X-Page-Cache"] == "miss"


def test_retiring_pages_without_a_version_retires_them(client, page_cache, test_views):
    client.get("/counted/")
    caches["pages"].delete(VERSION_KEY)
    retire_cached_pages()
    assert client.get("/counted/")["X-Page-Cache"] == "miss"
    assert client.get("/counted/")["X-Page-Cache"] == "hit"


def test_an_unreadable_version_file_is_replaced(client, page_cache, settings, tmp_path, test_views):
    """PlainFileBasedCache reads a broken entry as missing while add() sees the file: the
    version must still be started again, or every request would be a miss."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "fansite.cache_backends.PlainFileBasedCache", "LOCATION": tmp_path},
    }
    pages = caches["pages"]
    pages.set(VERSION_KEY, 1, timeout=None)
    (version_file,) = tmp_path.glob("*.djcache")
    version_file.write_bytes(version_file.read_bytes()[:-3])  # truncated: unpickling fails
    assert client.get("/counted/")["X-Page-Cache"] == "miss"
    assert client.get("/counted/")["X-Page-Cache"] == "hit"
