"""Kept comment articles (comments.fragments): each reader sees their own relation to a
comment, a change shows at once, and no page carries the placeholder instead of a token."""

import pytest

from comments import services
from comments.fragments import CSRF_PLACEHOLDER
from tests.factories import make_user, start_thread

pytestmark = pytest.mark.django_db


def _page(client, thread) -> str:
    return client.get(thread.get_absolute_url()).content.decode()


def test_a_like_shows_only_for_the_member_who_likes(client):
    thread = start_thread(body="Loved it")
    comment = thread.comments.get()
    fan, other = make_user(), make_user()
    services.reaction_toggle(comment=comment, user=fan)
    client.force_login(other)
    assert 'aria-pressed="false"' in _page(client, thread)  # Kept for this reader.
    client.force_login(fan)
    assert 'aria-pressed="true"' in _page(client, thread)
    client.force_login(other)
    assert 'aria-pressed="false"' in _page(client, thread)


def test_like_forms_carry_the_requests_csrf_token(client):
    thread = start_thread(body="Loved it")
    client.force_login(make_user())
    _page(client, thread)
    html = _page(client, thread)
    assert CSRF_PLACEHOLDER not in html
    token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else None
    assert 'class="like-form"' in html
    assert 'name="csrfmiddlewaretoken" value="' in html
    assert token is None or token not in html  # Masked per request, as {% csrf_token %} does.


def test_an_edit_shows_at_once_on_a_kept_page(client, django_capture_on_commit_callbacks):
    thread = start_thread(body="First words")
    comment = thread.comments.get()
    client.force_login(make_user())
    assert "First words" in _page(client, thread)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_edit(comment=comment, body="Second words", spoilers_for=None)
    html = _page(client, thread)
    assert "Second words" in html
    assert "First words" not in html


def test_the_author_sees_edit_links_and_others_do_not(client):
    thread = start_thread(body="Mine")
    comment = thread.comments.get()
    client.force_login(make_user())
    assert f"/comment/{comment.pk}/edit/" not in _page(client, thread)
    client.force_login(comment.author)
    assert f"/comment/{comment.pk}/edit/" in _page(client, thread)
