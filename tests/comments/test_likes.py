"""Likes stay exact however many times, and however fast, a member sends them."""

import threading
from contextlib import nullcontext

import pytest
from django.db import connection, connections
from django.urls import reverse
from pytest_django.asserts import assertContains

from comments import services
from comments.models import Comment, Reaction
from comments.ratelimit import LIMITS
from tests.factories import make_post, make_user, start_thread

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
THREADS = 8
ROUNDS = 25


def _root(thread) -> Comment:
    return thread.comments.order_by("pk").first()


def _counts(comment: Comment) -> tuple[int, int]:
    comment.refresh_from_db()
    return comment.like_count, Reaction.objects.filter(comment=comment).count()


def _waits_for_writers():
    """SQLite in a file (IMMEDIATE transactions, a busy timeout) makes each writer wait its
    turn; the tests' in-memory database (shared cache) answers "table is locked" instead. There
    the threads take turns as a file database would make them; PostgreSQL runs them at once."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return threading.Lock()
    return nullcontext()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", ["toggle", "set"])
def test_a_burst_of_likes_from_one_member_raises_nothing_and_keeps_the_count(how):
    """Several requests of one member on one comment at once, each with its own connection.
    On PostgreSQL without the lock on the comment's row, one request's new like collides with
    another's (IntegrityError on the one-like-per-member constraint: a 500) in every run."""
    comment, fan = _root(start_thread()), make_user()
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)
    one_write_at_a_time = _waits_for_writers()

    def member_clicking(n: int) -> None:
        try:
            start.wait()
            for round_ in range(ROUNDS):
                with one_write_at_a_time:
                    if how == "toggle":
                        services.reaction_toggle(comment=comment, user=fan)
                    else:
                        wanted = (n + round_) % 2 == 0
                        services.reaction_set(comment=comment, user=fan, liked=wanted)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=member_clicking, args=(n,)) for n in range(THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    like_count, reactions = _counts(comment)
    assert like_count == reactions
    assert reactions in (0, 1)


def test_setting_a_like_twice_leaves_one_like():
    comment, fan = _root(start_thread()), make_user()
    assert services.reaction_set(comment=comment, user=fan, liked=True) is True
    assert services.reaction_set(comment=comment, user=fan, liked=True) is True
    assert _counts(comment) == (1, 1)


def test_unsetting_a_like_twice_leaves_none():
    comment, fan = _root(start_thread()), make_user()
    services.reaction_set(comment=comment, user=fan, liked=True)
    assert services.reaction_set(comment=comment, user=fan, liked=False) is False
    assert services.reaction_set(comment=comment, user=fan, liked=False) is False
    assert _counts(comment) == (0, 0)


def test_setting_the_state_it_has_retires_no_cache(monkeypatch):
    comment, fan = _root(start_thread()), make_user()
    services.reaction_set(comment=comment, user=fan, liked=True)
    retired = []
    monkeypatch.setattr(services, "thread_changed", lambda *ids: retired.append(ids))
    services.reaction_set(comment=comment, user=fan, liked=True)
    assert retired == []


def test_the_service_locks_the_comment_row(monkeypatch):
    """On PostgreSQL, SELECT ... FOR UPDATE on the comment is what serialises the burst."""
    comment, fan = _root(start_thread()), make_user()
    locked = []
    select_for_update = Comment.objects.select_for_update
    monkeypatch.setattr(
        Comment.objects,
        "select_for_update",
        lambda *a, **kw: locked.append(True) or select_for_update(*a, **kw),
    )
    services.reaction_set(comment=comment, user=fan, liked=True)
    assert locked == [True]


# The view -------------------------------------------------------------------------------------


def test_posting_like_1_twice_leaves_one_like(client):
    comment = _root(start_thread())
    client.force_login(make_user())
    url = reverse("comments:like", args=[comment.pk])
    client.post(url, {"like": "1"})
    client.post(url, {"like": "1"}, **HTMX)
    assert _counts(comment) == (1, 1)


def test_posting_like_0_takes_the_like_back_once(client):
    comment, fan = _root(start_thread()), make_user()
    services.reaction_set(comment=comment, user=fan, liked=True)
    client.force_login(fan)
    url = reverse("comments:like", args=[comment.pk])
    client.post(url, {"like": "0"})
    client.post(url, {"like": "0"})
    assert _counts(comment) == (0, 0)


def test_like_button_asks_for_the_state_opposite_to_the_one_shown(client):
    comment, fan = _root(start_thread()), make_user()
    client.force_login(fan)
    url = reverse("comments:like", args=[comment.pk])
    assertContains(client.post(url, {"like": "1"}, **HTMX), 'name="like" value="0"')
    assertContains(client.post(url, {"like": "0"}, **HTMX), 'name="like" value="1"')


def test_thread_page_like_button_asks_to_like(client):
    thread = start_thread()
    client.force_login(make_user())
    assertContains(client.get(thread.get_absolute_url()), 'name="like" value="1"')


# Rate limits ---------------------------------------------------------------------------------


def test_liking_is_rate_limited(client):
    comment = _root(start_thread())
    client.force_login(make_user())
    url = reverse("comments:like", args=[comment.pk])
    allowed = LIMITS["like"][0]
    statuses = [client.post(url).status_code for _ in range(allowed + 1)]
    assert statuses == [302] * allowed + [429]
    assertContains(client.post(url), "Slow down", status_code=429)
    assert _counts(comment) == (0, 0)  # An even number of toggles went through.


def test_following_a_discussion_is_rate_limited(client):
    thread = start_thread()
    client.force_login(make_user())
    url = reverse("comments:follow", args=[thread.pk])
    allowed = LIMITS["follow"][0]
    statuses = [client.post(url).status_code for _ in range(allowed + 1)]
    assert statuses == [302] * allowed + [429]
    assertContains(client.post(url), "Slow down", status_code=429)


def test_following_a_posts_comments_is_rate_limited(client):
    post = make_post()
    client.force_login(make_user())
    url = reverse("comments:post-follow", args=[post.pk])
    allowed = LIMITS["follow"][0]
    statuses = [client.post(url).status_code for _ in range(allowed + 1)]
    assert statuses == [302] * allowed + [429]
