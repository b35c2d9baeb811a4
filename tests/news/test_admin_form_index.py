"""The admin index and its sidebar list the news first for editors; others keep Django's
alphabetical order (fansite/admin_site.py)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import make_editor, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


def _app_labels(response) -> list[str]:
    return [app["app_label"] for app in response.context["app_list"]]


def test_news_comes_first_on_the_index_for_editors(editor_client):
    response = editor_client.get(reverse("admin:index"))

    assert _app_labels(response)[0] == "news"
    assert response.context["available_apps"][0]["app_label"] == "news"


def test_news_comes_first_in_the_sidebar_for_editors(editor_client):
    response = editor_client.get(reverse("admin:news_post_add"))

    assert response.context["available_apps"][0]["app_label"] == "news"


def test_news_comes_first_for_staff_given_news_permissions(client):
    writer = make_user(is_staff=True)
    writer.user_permissions.add(Permission.objects.get(codename="change_post"))
    client.force_login(writer)

    assert _app_labels(client.get(reverse("admin:index")))[0] == "news"


def test_superusers_outside_the_editors_keep_the_alphabetical_index(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:index"))

    names = [app["name"].lower() for app in response.context["app_list"]]
    assert names == sorted(names)
    assert _app_labels(response)[0] != "news"


def test_superusers_in_the_editors_group_get_news_first(client):
    client.force_login(make_editor(is_superuser=True))

    assert _app_labels(client.get(reverse("admin:index")))[0] == "news"
