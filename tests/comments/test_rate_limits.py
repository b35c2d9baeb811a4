"""Over a rate limit, htmx requests get a 429 too (monitoring counts them), with the message in
the body; base.html's htmx-config has htmx swap a 429 in like a 2xx."""

import json
import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from comments import ratelimit
from tests.factories import make_post, make_user, start_thread

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def thread(db):
    return start_thread(body="The very first comment")


@pytest.fixture
def allow_one(monkeypatch):
    """Every action allows one request per window: the second is over the limit."""
    for action, (_, window) in list(ratelimit.LIMITS.items()):
        monkeypatch.setitem(ratelimit.LIMITS, action, (1, window))


def _signed_in(client, user=None):
    user = user or make_user()
    client.force_login(user)
    return user


def _second_answer(client, url: str, data: dict | None = None):
    client.post(url, data or {}, **HTMX)
    return client.post(url, data or {}, **HTMX)


def _root(thread):
    return thread.comments.order_by("pk").first()


@pytest.mark.usefixtures("allow_one")
def test_htmx_comment_over_the_limit_answers_429_with_the_form_and_message(client, thread):
    _signed_in(client)
    url = reverse("comments:comment-create", args=[thread.pk])
    response = _second_answer(client, url, {"body": "Once more"})
    assertContains(response, "Slow down", status_code=429)
    assertContains(response, "Once more", status_code=429)
    assert response["HX-Retarget"].startswith("#")


@pytest.mark.usefixtures("allow_one")
def test_htmx_reply_over_the_limit_answers_429_with_the_message(client, thread):
    _signed_in(client)
    url = reverse("comments:reply", args=[_root(thread).pk])
    assertContains(_second_answer(client, url, {"body": "Me too"}), "Slow down", status_code=429)


@pytest.mark.usefixtures("allow_one")
def test_htmx_edit_preview_over_the_limit_answers_429_with_the_message(client, thread):
    comment = _root(thread)
    _signed_in(client, comment.author)
    url = reverse("comments:edit", args=[comment.pk])
    response = _second_answer(client, url, {"body": "*better*", "preview": "1"})
    assertContains(response, "Slow down", status_code=429)


@pytest.mark.usefixtures("allow_one")
def test_htmx_preview_endpoint_over_the_limit_answers_429_with_the_message(client):
    _signed_in(client)
    response = _second_answer(client, reverse("comments:preview"), {"body": "*hi*"})
    assertContains(response, "Slow down", status_code=429)


def test_htmx_preview_of_an_invalid_body_still_answers_200_so_htmx_shows_it(client):
    _signed_in(client)
    response = client.post(reverse("comments:preview"), {"body": "   "}, **HTMX)
    assertContains(response, "the comment is empty")


@pytest.mark.usefixtures("allow_one")
def test_htmx_thread_start_over_the_limit_answers_429_with_the_message(client):
    _signed_in(client)
    data = {"title": "Shoes", "body": "Glass slippers"}
    response = _second_answer(client, reverse("comments:thread-new"), data)
    assertContains(response, "Slow down", status_code=429)


@pytest.mark.usefixtures("allow_one")
def test_htmx_flag_over_the_limit_answers_429_with_the_message(client, thread):
    _signed_in(client)
    url = reverse("comments:flag", args=[_root(thread).pk])
    assertContains(_second_answer(client, url, {"reason": "spam"}), "Slow down", status_code=429)


@pytest.mark.usefixtures("allow_one")
def test_htmx_like_over_the_limit_answers_429_with_the_button_and_message(client, thread):
    _signed_in(client)
    url = reverse("comments:like", args=[_root(thread).pk])
    response = _second_answer(client, url, {"like": "1"})
    assertContains(response, "Slow down", status_code=429)
    assertContains(response, 'aria-pressed="true"', status_code=429)  # The like stays.


@pytest.mark.usefixtures("allow_one")
def test_htmx_follow_over_the_limit_answers_429_with_the_button_and_message(client, thread):
    _signed_in(client)
    response = _second_answer(client, reverse("comments:follow", args=[thread.pk]))
    assertContains(response, "Slow down", status_code=429)
    assertContains(response, "follow-form", status_code=429)


@pytest.mark.usefixtures("allow_one")
def test_htmx_follow_of_a_post_over_the_limit_answers_429_with_the_message(client):
    _signed_in(client)
    response = _second_answer(client, reverse("comments:post-follow", args=[make_post().pk]))
    assertContains(response, "Slow down", status_code=429)


def test_htmx_config_swaps_429_and_413_answers_and_keeps_other_errors_out(client):
    """Over a rate limit, or a form too large to read: the message replaces the form's slot."""
    html = client.get(reverse("comments:index")).content.decode()
    raw = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html).group(1)
    handling = json.loads(raw)["responseHandling"]
    for status in ("429", "413"):
        first = next(rule for rule in handling if re.search(rule["code"], status))
        assert first["swap"] is True and not first.get("error")
    for status in ("400", "403", "500"):
        rule = next(rule for rule in handling if re.search(rule["code"], status))
        assert rule["swap"] is False and rule["error"] is True
    assert next(rule for rule in handling if re.search(rule["code"], "204"))["swap"] is False
