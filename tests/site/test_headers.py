"""Response headers: private pages are not stored, unused browser features are denied."""

import pytest
from django.test import Client
from django.urls import path, reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def broken_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", broken_view)]


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def test_signed_in_pages_are_private_and_not_stored(client):
    client.force_login(make_user())
    response = client.get(reverse("home"))
    assert {"private", "no-store"} <= cache_control(response)


def test_signed_in_error_pages_are_private_and_not_stored(client):
    client.force_login(make_user())
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert {"private", "no-store"} <= cache_control(response)


def test_anonymous_pages_are_not_marked_private(client):
    response = client.get(reverse("home"))
    assert not {"private", "no-store"} & cache_control(response)


def test_anonymous_pages_stay_in_the_page_cache(client, settings):
    from django.core.cache import caches

    settings.PAGE_CACHE_SECONDS = 300
    caches["pages"].clear()
    client.get(reverse("news:index"))
    response = client.get(reverse("news:index"))
    caches["pages"].clear()
    assert response["X-Page-Cache"] == "hit"
    assert "no-store" not in cache_control(response)


def test_a_view_that_sets_its_own_cache_control_keeps_it(client):
    client.force_login(make_user())
    response = client.get(reverse("healthz"))  # never_cache
    assert "no-cache" in cache_control(response)
    assert "max-age=0" in cache_control(response)


def test_permissions_policy_denies_features_the_site_never_uses(client):
    policy = client.get(reverse("home"))["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_permissions_policy_is_on_error_pages(client):
    assert "camera=()" in client.get("/no-such-page/")["Permissions-Policy"]


def test_permissions_policy_is_on_server_errors(settings):
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "camera=()" in response["Permissions-Policy"]


def test_permissions_policy_is_on_signed_in_pages(client):
    client.force_login(make_user())
    assert "camera=()" in client.get(reverse("home"))["Permissions-Policy"]
