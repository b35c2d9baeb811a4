"""Characters the database cannot store (NUL above all: PostgreSQL refuses it in text) answer
400 with a page of the site, wherever they come: path, query string or form field. Run these on
PostgreSQL too (DATABASE_URL), where a NUL that reached a query would be a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.factories import make_user, start_thread

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=%00abc",
        "/search/?q=abc%00",
        "/search/?%00=abc",
        "/users/%00/",
        "/users/fan%00one/",
        "/discussions/?page=%00",
        "/%00",
        "/news/%00/",
        "/films/%00/",
    ],
)
def test_a_nul_in_the_address_answers_400_with_a_page(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "cannot store" in response.content.decode()
    assert "<html" in response.content.decode()


def test_a_nul_in_a_form_field_answers_400_and_saves_nothing(client):
    thread = start_thread()
    client.force_login(make_user())
    response = client.post(
        reverse("comments:comment-create", kwargs={"pk": thread.pk}), {"body": "Hi\x00there"}
    )
    assert response.status_code == 400
    assert Comment.objects.filter(body__startswith="Hi").count() == 0


def test_a_nul_in_a_multipart_field_answers_400(client):
    user = make_user()
    client.force_login(user)
    response = client.post(reverse("accounts:profile-edit"), {"display_name": "Ro\x00my"})
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.display_name == ""


def test_a_nul_in_a_sign_in_field_answers_400(client):
    response = client.post(
        reverse("account_login"), {"login": "a\x00@example.com", "password": "x"}
    )
    assert response.status_code == 400


def test_an_htmx_request_with_a_nul_gets_the_message_alone(client):
    thread = start_thread()
    client.force_login(make_user())
    response = client.post(
        reverse("comments:comment-create", kwargs={"pk": thread.pk}),
        {"body": "Hi\x00there"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "cannot store" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_ordinary_input_passes(client):
    assert client.get("/search/?q=Romy%20and%20Michele").status_code == 200


def test_a_form_body_over_the_parse_limit_answers_413_with_a_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    thread = start_thread()
    client.force_login(make_user())
    response = client.post(
        reverse("comments:comment-create", kwargs={"pk": thread.pk}), {"body": "x" * 5000}
    )
    assert response.status_code == 413
    assert "more text than a form takes" in response.content.decode()


def test_an_oversized_htmx_preview_answers_413_with_a_message(settings):
    """The 3 MB preview that got a dropped connection: over DATA_UPLOAD_MAX_MEMORY_SIZE, under
    the request size limit. The answer is the message fragment, with the body read to its end."""
    client = Client()
    client.force_login(make_user())
    body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1_000_000)
    response = client.post(
        reverse("comments:preview"), {"body": body}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 413
    assert "more text than a form takes" in response.content.decode()
    assert "<html" not in response.content.decode()
