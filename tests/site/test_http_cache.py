"""Cache headers a CDN can use (issue 14): anonymous pages are public for a short while and
vary on Cookie, nothing one visitor holds alone is ever public, and pages and feeds answer
conditional GETs with 304 (fansite/http_cache.py)."""

import gzip

import pytest
from django.contrib import messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path, reverse
from django.utils.http import http_date, parse_http_date

from tests.factories import make_film, make_post, make_user

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def sets_a_cookie(request):
    response = HttpResponse("<p>" + "a cookie for you " * 40 + "</p>")
    response.set_cookie("flavour", "oatmeal")
    return response


def holds_a_csrf_token(request):
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


def adds_a_message(request):
    messages.info(request, "Saved.")
    return HttpResponse("<p>Done.</p>")


def plain_page(request):
    return HttpResponse("<p>" + "the same for everyone " * 40 + "</p>")


urlpatterns = [
    path("cookie/", sets_a_cookie),
    path("csrf/", holds_a_csrf_token),
    path("message/", adds_a_message),
    path("plain/", plain_page),
    path("admin/plain/", plain_page),
    path("accounts/plain/", plain_page),
]


def directives(response) -> dict[str, str | None]:
    parts = (part.strip() for part in response.get("Cache-Control", "").split(","))
    return {
        name.lower(): value
        for name, _, value in (part.partition("=") for part in parts if part)
        for value in [value or None]
    }


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part}


def is_public(response) -> bool:
    return "public" in directives(response)


@pytest.fixture
def test_views(settings):
    settings.ROOT_URLCONF = __name__


# Anonymous pages ------------------------------------------------------------------------------


def test_anonymous_page_is_public_for_a_minute_then_stale_while_revalidating(client):
    cc = directives(client.get(reverse("home")))
    assert "public" in cc
    assert cc["max-age"] == "60"
    assert cc["stale-while-revalidate"] == "300"
    assert not {"private", "no-store", "no-cache"} & cc.keys()


def test_public_lifetimes_come_from_settings(client, settings):
    settings.HTTP_CACHE_MAX_AGE = 15
    settings.HTTP_CACHE_STALE_WHILE_REVALIDATE = 45
    cc = directives(client.get(reverse("films:index")))
    assert (cc["max-age"], cc["stale-while-revalidate"]) == ("15", "45")


def test_public_page_varies_on_cookie_htmx_and_encoding(client):
    assert {"cookie", "hx-request", "accept-encoding"} <= vary(client.get(reverse("home")))


def test_every_main_page_is_public_for_anonymous(client):
    film = make_film()
    post = make_post()
    for url in (
        reverse("home"),
        film.get_absolute_url(),
        reverse("films:cast", args=[film.slug]),
        reverse("news:index"),
        post.get_absolute_url(),
        reverse("comments:index"),
    ):
        assert is_public(client.get(url)), url


# Never public ---------------------------------------------------------------------------------


def test_signed_in_pages_are_private_and_never_stored(client):
    client.force_login(make_user())
    cc = directives(client.get(reverse("home")))
    assert {"private", "no-store"} <= cc.keys()
    assert "public" not in cc


def test_an_anonymous_session_makes_the_page_private(client):
    client.cookies["sessionid"] = "an-anonymous-session"
    response = client.get(reverse("home"))
    assert {"private", "no-cache"} <= directives(response).keys()


def test_a_page_that_sets_a_cookie_is_private(client, test_views):
    response = client.get("/cookie/")
    assert response.cookies
    assert "private" in directives(response)
    assert not is_public(response)


def test_a_page_holding_a_csrf_token_is_private(client, test_views):
    assert not is_public(client.get("/csrf/"))


def test_a_page_holding_a_csrf_token_is_private_for_a_visitor_who_has_the_cookie(
    client, test_views
):
    """Masked anew, the token still gives this visitor's CSRF secret away to whoever reads it."""
    client.get("/csrf/")
    assert "csrftoken" in client.cookies
    assert not is_public(client.get("/csrf/"))


def test_a_page_carrying_a_message_is_private(client, test_views):
    response = client.get("/message/")
    assert not is_public(response)


def test_a_visitor_with_a_pending_message_gets_a_private_page(client, test_views):
    client.cookies["messages"] = "pending"
    assert not is_public(client.get("/plain/"))


def test_the_same_view_is_public_without_any_of_that(client, test_views):
    assert is_public(client.get("/plain/"))


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/"])
def test_account_pages_are_never_public(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert not is_public(response)


@pytest.mark.parametrize("url", ["/admin/plain/", "/accounts/plain/"])
def test_nothing_under_admin_or_accounts_is_public_even_a_plain_page(client, test_views, url):
    response = client.get(url)
    assert response.status_code == 200
    assert not is_public(response)


def test_htmx_partials_are_never_public(client):
    response = client.get(reverse("comments:index"), headers={"HX-Request": "true"})
    assert not is_public(response)


def test_post_answers_are_never_public(client):
    response = client.post(reverse("theme"), {"theme": "dark"})
    assert response.status_code == 302
    assert not is_public(response)


def test_not_found_is_revalidated_not_public(client):
    """A missing address may become a page at any moment (a scheduled post falls due), and a
    CDN would keep a copy of every address a scanner tries."""
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert {"private", "no-cache"} <= directives(response).keys()


def test_health_check_keeps_its_own_never_cache(client):
    cc = directives(client.get(reverse("healthz")))
    assert {"no-cache", "no-store", "private"} <= cc.keys()


# Feeds and sitemaps ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["news:feed", "news:atom", "sitemap"])
def test_feeds_and_sitemap_are_public_with_a_max_age(client, name):
    make_post()
    cc = directives(client.get(reverse(name)))
    assert "public" in cc
    assert int(cc["max-age"]) > 0


def test_feed_is_last_modified_when_its_newest_post_changed(client):
    posts = [make_post() for _ in range(3)]
    newest = max(post.modified_at for post in posts)
    response = client.get(reverse("news:feed"))
    assert parse_http_date(response["Last-Modified"]) == int(newest.timestamp())


def test_feed_answers_if_modified_since_with_304(client):
    make_post()
    last_modified = client.get(reverse("news:feed"))["Last-Modified"]
    response = client.get(reverse("news:feed"), headers={"If-Modified-Since": last_modified})
    assert response.status_code == 304
    assert response.content == b""


def test_feed_older_than_the_clients_copy_is_sent_again_after_a_new_post(client):
    post = make_post()
    stale = http_date(post.modified_at.timestamp() - 3600)
    response = client.get(reverse("news:feed"), headers={"If-Modified-Since": stale})
    assert response.status_code == 200


def test_feed_answers_if_none_match_with_304(client):
    make_post()
    etag = client.get(reverse("news:atom"))["ETag"]
    assert client.get(reverse("news:atom"), headers={"If-None-Match": etag}).status_code == 304


# ETags and 304 --------------------------------------------------------------------------------


def test_page_has_a_weak_etag(client):
    assert client.get(reverse("home"))["ETag"].startswith('W/"')


def test_page_answers_if_none_match_with_304_and_its_cache_headers(client):
    first = client.get(reverse("films:index"))
    again = client.get(reverse("films:index"), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert is_public(again)
    assert "cookie" in vary(again)


def test_a_changed_page_gets_a_new_etag_and_a_full_answer(client):
    first = client.get(reverse("films:index"))
    make_film(title="A new film on the list")
    again = client.get(reverse("films:index"), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_gzipped_and_plain_answers_share_the_etag_of_the_plain_body(client):
    """One weak tag for the page in both encodings (Vary: Accept-Encoding keeps caches from
    mixing them); hashed after compression, the random gzip header would change it every time."""
    plain = client.get(reverse("films:index"))
    zipped = client.get(reverse("films:index"), **GZIP)
    assert zipped["Content-Encoding"] == "gzip"
    assert zipped["ETag"] == plain["ETag"]
    assert client.get(reverse("films:index"), **GZIP)["ETag"] == zipped["ETag"]
    assert gzip.decompress(zipped.content) == plain.content
    again = client.get(reverse("films:index"), headers={"If-None-Match": plain["ETag"]}, **GZIP)
    assert again.status_code == 304


def test_signed_in_pages_carry_no_etag_as_nothing_stores_them(client):
    client.force_login(make_user())
    assert not client.get(reverse("home")).has_header("ETag")
