import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.urls import reverse

from fansite.page_cache import AnonymousPageCacheMiddleware
from tests.factories import make_film, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300


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


def test_query_strings_are_cached_separately(client, page_cache):
    client.get(reverse("search"), {"q": "romy"})
    assert client.get(reverse("search"), {"q": "michele"})["X-Page-Cache"] == "miss"


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
            {"action": "pin", "_selected_action": [thread.pk]},
        )
    thread.refresh_from_db()
    assert thread.pinned
    assert client.get(reverse("comments:index"))["X-Page-Cache"] == "miss"
