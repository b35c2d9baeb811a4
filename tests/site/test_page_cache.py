import secrets

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.urls import reverse

from fansite.page_cache import VERSION_KEY, AnonymousPageCacheMiddleware
from tests.factories import make_film, make_user

pytestmark = pytest.mark.django_db


def cached_page_count() -> int:
    """Pages stored, the version kept beside them not counted."""
    return sum(VERSION_KEY not in key for key in caches["pages"]._cache)


def test_anonymous_page_is_served_from_the_cache_the_second_time(client, page_cache):
    assert client.get(reverse("home"))["X-Page-Cache"] == "miss"
    assert client.get(reverse("home"))["X-Page-Cache"] == "hit"


def test_a_write_retires_cached_pages_once_committed(
    client, page_cache, django_capture_on_commit_callbacks
):
    client.get(reverse("home"))
    with django_capture_on_commit_callbacks(execute=True):
        make_film(title="A brand new film")
        assert client.get(reverse("home"))["X-Page-Cache"] == "hit"  # not committed yet
    assert client.get(reverse("home"))["X-Page-Cache"] == "miss"


def test_signed_in_users_never_get_cached_pages(client, page_cache):
    client.get(reverse("home"))
    client.force_login(make_user())
    response = client.get(reverse("home"))
    assert "X-Page-Cache" not in response


def test_search_queries_are_cached_separately(client, page_cache):
    client.get(reverse("search"), {"q": "a"})
    assert client.get(reverse("search"), {"q": "b"})["X-Page-Cache"] == "miss"


def test_search_queries_differing_only_in_spaces_share_a_page(client, page_cache):
    client.get(reverse("search"), {"q": "romy michele"})
    response = client.get(reverse("search"), {"q": "  romy   michele "})
    assert response["X-Page-Cache"] == "hit"


def test_a_blank_search_query_shares_the_page_without_one(client, page_cache):
    client.get(reverse("search"))
    for q in ("", "   "):
        assert client.get(reverse("search"), {"q": q})["X-Page-Cache"] == "hit"
    assert cached_page_count() == 1


def test_random_unread_parameters_add_no_cache_entries(client, page_cache):
    """A cache-buster must not store a copy of the page per value (issue 13)."""
    url = reverse("news:index")
    responses = [client.get(url, {"utm": secrets.token_hex(8)}) for _ in range(50)]
    assert cached_page_count() == 1
    assert [r["X-Page-Cache"] for r in responses[1:]] == ["hit"] * 49


def test_unread_parameters_are_served_the_page_without_them(client, page_cache):
    client.get(reverse("news:index"))
    response = client.get(reverse("news:index"), {"utm_source": "mail", "fbclid": "x"})
    assert response["X-Page-Cache"] == "hit"


def test_page_numbers_are_keyed_as_the_number_they_parse_to(client, page_cache):
    client.get(reverse("news:index"), {"page": "2"})
    assert client.get(reverse("news:index"), {"page": "02"})["X-Page-Cache"] == "hit"


def test_page_numbers_differ(client, page_cache):
    client.get(reverse("news:index"), {"page": "2"})
    assert client.get(reverse("news:index"), {"page": "3"})["X-Page-Cache"] == "miss"


def test_first_page_and_an_invalid_page_share_the_page_without_one(client, page_cache):
    client.get(reverse("news:index"))
    for page in ("1", "01", "abc", ""):
        assert client.get(reverse("news:index"), {"page": page})["X-Page-Cache"] == "hit"


def test_page_numbers_the_cache_cannot_resolve_are_served_uncached(client, page_cache):
    """Below 1 the paginator shows the last page; far past the end every number is a copy."""
    for page in ("0", "-3", "101", "99999"):
        assert "X-Page-Cache" not in client.get(reverse("news:index"), {"page": page})
    assert cached_page_count() == 0


def test_unknown_sorts_share_the_page_without_a_sort(client, page_cache):
    client.get(reverse("comments:index"))
    for sort in ("", "bogus", secrets.token_hex(4)):
        assert client.get(reverse("comments:index"), {"sort": sort})["X-Page-Cache"] == "hit"


def test_known_sorts_are_cached_separately(client, page_cache):
    client.get(reverse("comments:index"), {"sort": "newest"})
    assert client.get(reverse("comments:index"), {"sort": "liked"})["X-Page-Cache"] == "miss"


def test_q_outside_the_search_page_is_ignored(client, page_cache):
    client.get(reverse("news:index"))
    assert client.get(reverse("news:index"), {"q": secrets.token_hex(4)})["X-Page-Cache"] == "hit"


def test_hosts_are_cached_separately(client, page_cache, settings):
    settings.ALLOWED_HOSTS = ["a.example.com", "b.example.com"]
    client.get(reverse("news:index"), headers={"host": "a.example.com"})
    response = client.get(reverse("news:index"), headers={"host": "b.example.com"})
    assert response["X-Page-Cache"] == "miss"


def test_cached_pages_live_in_the_pages_cache_not_the_default_one(client, page_cache):
    """The default cache holds rate limits that must not be evicted; pages may be."""
    from django.core.cache import cache

    client.get(reverse("news:index"))
    assert cached_page_count() == 1
    assert all(not key.startswith(":1:page:") for key in cache._cache)


def test_not_found_pages_are_not_cached(client, page_cache):
    client.get("/no-such-page/")
    assert client.get("/no-such-page/").get("X-Page-Cache") in (None, "miss")


def test_page_cache_is_off_by_default_in_development(client):
    assert "X-Page-Cache" not in client.get(reverse("home"))


def test_pages_with_a_csrf_token_are_not_cached(page_cache):
    def view_with_form(request):
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    middleware = AnonymousPageCacheMiddleware(view_with_form)
    for _ in range(2):
        request = RequestFactory().get("/films/")
        request.user = AnonymousUser()
        request.session = {}
        assert middleware(request)["X-Page-Cache"] == "miss"


def test_unpublishing_a_post_retires_its_cached_page(
    client, page_cache, django_capture_on_commit_callbacks
):
    from news.models import Post
    from news.services import post_unpublish
    from tests.factories import make_post

    post = make_post()
    assert client.get(post.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        post_unpublish(posts=Post.objects.filter(pk=post.pk))
    assert client.get(post.get_absolute_url()).status_code == 404


def test_pinning_a_thread_in_the_admin_retires_cached_pages(
    client, page_cache, django_capture_on_commit_callbacks
):
    from django.test import Client

    from tests.factories import make_staff, make_thread

    thread = make_thread(title="Pin me", comment_count=1)
    moderator = Client()
    moderator.force_login(make_staff())  # signing in saves the user: do it before caching
    client.get(reverse("comments:index"))
    assert client.get(reverse("comments:index"))["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        moderator.post(
            reverse("admin:comments_thread_changelist"),
            {"action": "pin", "_selected_action": [thread.pk], "reason": "News.", "apply": "1"},
        )
    thread.refresh_from_db()
    assert thread.pinned
    assert client.get(reverse("comments:index"))["X-Page-Cache"] == "miss"
