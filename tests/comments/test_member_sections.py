"""Members' kept comment sections (comments.sections): members who relate to a page's comments
alike share one rendered copy, and nothing a reader sees of their own relation to the thread,
its comments or the site is ever taken from another's."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments import services
from comments.fragments import CSRF_PLACEHOLDER, sections
from films.models import Film
from tests.factories import (
    make_comment,
    make_film,
    make_moderator,
    make_suspension,
    make_user,
    start_thread,
)

pytestmark = pytest.mark.django_db


def _page(client, thread) -> str:
    return client.get(thread.get_absolute_url()).content.decode()


def _comment_rows_read(client, thread) -> int:
    """How many queries of the page load comments: a kept section needs none."""
    with CaptureQueriesContext(connection) as queries:
        client.get(thread.get_absolute_url())
    loads = 'SELECT "comments_comment"."id"'
    return sum(query["sql"].startswith(loads) for query in queries.captured_queries)


def test_members_alike_share_one_rendered_section(client):
    thread = start_thread(body="Loved the dance")
    client.force_login(make_user())
    assert _comment_rows_read(client, thread) > 0  # The first member's visit renders it.
    client.force_login(make_user())
    assert _comment_rows_read(client, thread) == 0
    assert "Loved the dance" in _page(client, thread)


def test_a_kept_section_carries_each_requests_own_csrf_token():
    """The token a kept copy shows is this request's: a like posted with it is accepted."""
    thread = start_thread()
    comment = thread.comments.get()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(make_user())
    _page(first, thread)
    second.force_login(make_user())
    html = _page(second, thread)
    assert CSRF_PLACEHOLDER not in html
    token = re.search(r'"X-CSRFToken": "([^"]+)"', html)[1]
    response = second.post(
        reverse("comments:like", args=[comment.pk]), {"like": "1"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code in (200, 302)
    assert comment.reactions.count() == 1


def test_the_author_and_a_liker_get_their_own_copies(client):
    thread = start_thread(body="Mine")
    comment = thread.comments.get()
    fan, other = make_user(), make_user()
    services.reaction_toggle(comment=comment, user=fan)
    for reader in (other, fan, comment.author, other):
        client.force_login(reader)
        html = _page(client, thread)
        liked = 'class="like-button" aria-pressed="true"' in html
        assert liked == (reader == fan)
        assert (f"/comment/{comment.pk}/edit/" in html) == (reader == comment.author)


def test_following_shows_for_the_follower_only(client):
    thread = start_thread()
    starter = thread.starter  # Starting it followed it.
    client.force_login(make_user())
    assert "Following · stop" not in _page(client, thread)
    client.force_login(starter)
    assert "Following · stop" in _page(client, thread)


def test_a_suspended_member_sees_the_notice_not_the_form(client):
    thread = start_thread()
    member = make_user()
    client.force_login(member)
    assert 'class="comment-form form"' in _page(client, thread)
    make_suspension(user=member)
    html = _page(client, thread)
    assert 'class="comment-form form"' not in html
    assert "You can read the discussion, but not post" in html


def test_an_unverified_member_is_asked_to_verify(client):
    thread = start_thread()
    client.force_login(make_user())
    _page(client, thread)
    client.force_login(make_user(verified=False))
    assert "verify your email address" in _page(client, thread)


def test_a_moderator_gets_the_moderation_controls(client):
    thread = start_thread(body="Watch this")
    client.force_login(make_user())
    member_html = _page(client, thread)
    client.force_login(make_moderator())
    moderator_html = _page(client, thread)
    assert moderator_html != member_html
    assert "/moderate/" in moderator_html or "Remove" in moderator_html


def test_a_new_comment_shows_to_members_with_a_kept_copy(
    client, django_capture_on_commit_callbacks
):
    thread = start_thread(body="First")
    client.force_login(make_user())
    _page(client, thread)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(thread=thread, author=make_user(), body="A second opinion")
    assert "A second opinion" in _page(client, thread)


def test_a_film_added_is_offered_in_the_spoiler_select(client):
    thread = start_thread()
    client.force_login(make_user())
    _page(client, thread)
    film = make_film(title="A Film Added Since")
    assert Film.objects.filter(pk=film.pk).exists()
    assert "A Film Added Since" in _page(client, thread)


def test_a_flushed_cache_never_brings_back_a_workers_old_copy(client):
    """The versions start again from the clock when lost, so a worker's copy of a section
    (comments.fragments.sections) is never taken for a copy of the new version's."""
    thread = start_thread(body="First")
    client.force_login(make_user())
    _page(client, thread)
    this_workers_copies = dict(sections._items)
    cache.clear()  # Redis flushed: the thread's version is gone.
    # Stored behind the services' back: no version bumped.
    make_comment(thread=thread, body="Stored behind", body_html="<p>Stored behind</p>")
    sections.clear()
    assert "Stored behind" in _page(client, thread)  # Another worker renders the page...
    sections._items.update(this_workers_copies)
    assert "Stored behind" in _page(client, thread)  # ...and this one must not show its old one.
