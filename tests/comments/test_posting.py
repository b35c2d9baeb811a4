"""Posting a comment as the thread page's form sends it (htmx): what the request costs, and that
what it does is all still done (counters, following, the queued fan-out, rate limits)."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments import ratelimit, services
from comments.models import Comment, Notification, Subscription, Thread
from films.models import Film
from tests.factories import make_comment, make_film, make_moderator, make_user, start_thread

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
# What posting a comment with htmx costs (a test's transaction makes the write's atomic block a
# savepoint, two statements, as a request's BEGIN and COMMIT are): the session, the user, the
# member's standing, the thread; the savepoint, the thread's count, the comment, the queued
# task, following, its release; the page the comment is on.
POSTING_QUERIES = 11


@pytest.fixture
def production_trust(settings):
    """The trust rules as deployed (tests/comments/conftest.py turns them off): a member who is
    no longer new is known only by counting their comments."""
    settings.NEW_MEMBER_HOURS = 24
    settings.NEW_MEMBER_MIN_COMMENTS = 3


@pytest.fixture
def database_tasks(settings):
    """Tasks queued as rows, as in production: nobody is told in the request."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _veteran():
    member = make_user(date_joined=timezone.now() - timedelta(days=30))
    for _ in range(3):
        make_comment(author=member)
    return member


def _thread_followed_by(count: int) -> Thread:
    thread = start_thread()
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"reader{thread.pk}-{n}", email=f"r{thread.pk}-{n}@x.test")
        for n in range(count)
    )
    Subscription.objects.bulk_create(Subscription(thread=thread, user=user) for user in users)
    return thread


def _post(client, thread: Thread, body: str = "Posted with htmx."):
    return client.post(reverse("comments:comment-create", args=[thread.pk]), {"body": body}, **HTMX)


@pytest.mark.parametrize("followers", [2, 200])
def test_posting_with_htmx_costs_the_same_few_queries_whatever_the_followers(
    client, production_trust, database_tasks, django_assert_max_num_queries, followers
):
    """Guards the posting request against the fan-out (one queued task, however many follow)
    and against a query per check (standing, suspension, permission, count)."""
    thread = _thread_followed_by(followers)
    client.force_login(_veteran())
    with django_assert_max_num_queries(POSTING_QUERIES):
        response = _post(client, thread)
    assert response.status_code == 200
    comment = Comment.objects.get(body="Posted with htmx.")
    assert not Notification.objects.filter(comment=comment).exists()
    queued = DBTaskResult.objects.filter(task_path="comments.tasks.notify_comment")
    assert [task.args_kwargs["args"] for task in queued].count([comment.pk]) == 1


def test_the_htmx_answer_shows_the_new_comment_with_the_new_count_and_following(client):
    thread = start_thread()
    member = make_user()
    client.force_login(member)
    response = _post(client, thread)
    comment = Comment.objects.get(author=member)
    html = response.content.decode()
    assert f'id="comment-{comment.pk}"' in html
    assert 'aria-pressed="false"' in html  # Not liked yet.
    assert 'data-hx-swap-oob="true">2 comments</h2>' in html
    assert "Following · stop" in html
    assert Subscription.objects.filter(thread=thread, user=member).exists()


def test_a_moderator_posting_with_htmx_gets_the_moderation_link(client):
    thread = start_thread()
    client.force_login(make_moderator())
    html = _post(client, thread).content.decode()
    assert "Remove</a>" in html


def test_a_member_still_new_is_held_to_the_new_members_rules(client, production_trust):
    thread = start_thread()
    client.force_login(make_user())
    response = _post(client, thread, "Great deals at https://spam.example/deals")
    assert "you cannot post links" in response.content.decode()
    assert not Comment.objects.filter(body__contains="spam.example").exists()


def test_a_member_no_longer_new_may_post_a_link(client, production_trust):
    thread = start_thread()
    client.force_login(_veteran())
    _post(client, thread, "Trailer at https://example.com/trailer")
    assert Comment.objects.filter(body__contains="example.com/trailer").exists()


def test_posting_counts_the_comment_and_notes_the_activity(client):
    thread = start_thread()
    member = make_user()
    client.force_login(member)
    _post(client, thread)
    comment = Comment.objects.get(author=member)
    thread.refresh_from_db()
    assert thread.comment_count == 2
    assert thread.last_activity_at == comment.created_at
    assert thread.last_commenter == member


def test_the_thread_given_has_its_new_count_after_posting():
    thread = start_thread()
    services.comment_create(thread=thread, author=make_user(), body="One more")
    assert thread.comment_count == 2


def test_a_thread_locked_after_it_was_loaded_takes_no_comment():
    """The lock is read under the thread's row lock, not from the copy the view loaded."""
    thread = start_thread()
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    with pytest.raises(ValidationError, match="locked"):
        services.comment_create(thread=thread, author=make_user(), body="Too late")
    assert thread.comments.count() == 1
    thread.refresh_from_db()
    assert thread.comment_count == 1


def test_a_thread_deleted_after_it_was_loaded_takes_no_comment():
    thread = start_thread()
    Thread.objects.filter(pk=thread.pk).delete()
    with pytest.raises(ValidationError, match="no longer there"):
        services.comment_create(thread=thread, author=make_user(), body="Too late")
    assert not Comment.objects.filter(body="Too late").exists()


def test_posting_again_keeps_one_subscription(client):
    thread = start_thread()
    member = make_user()
    client.force_login(member)
    _post(client, thread, "First")
    _post(client, thread, "Second")
    assert Subscription.objects.filter(thread=thread, user=member).count() == 1


def test_a_reply_still_counts_in_its_tree():
    thread = start_thread()
    root = thread.comments.get()
    services.comment_create(thread=thread, author=make_user(), body="Reply", parent=root)
    root.refresh_from_db()
    assert root.reply_count == 1


def test_an_empty_comment_is_still_refused():
    thread = start_thread()
    with pytest.raises(ValidationError, match="empty"):
        services.comment_create(thread=thread, author=make_user(), body="   ")


# Rate limits on Redis --------------------------------------------------------------------------


@pytest.fixture
def redis_cache(settings):
    """The default cache on the Redis of this machine (its DB 12, keys under a prefix of this
    test's own, removed after it); skipped where none answers."""
    redis = pytest.importorskip("redis")
    location = "redis://127.0.0.1:6379/12"
    try:
        redis.Redis.from_url(location, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex}"
    before = settings.CACHES
    settings.CACHES = {
        **before,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
        },
    }
    yield redis.Redis.from_url(location)
    client = redis.Redis.from_url(location)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    # Back before tests/conftest.py's _fresh_cache clears the cache, which on Redis would
    # empty the whole database, other users' keys too.
    settings.CACHES = before


def test_a_rate_limit_on_redis_counts_each_attempt_in_one_round_trip(redis_cache, monkeypatch):
    redis = pytest.importorskip("redis")
    monkeypatch.setitem(ratelimit.LIMITS, "post", (2, 60))
    commands, pipelines = [], []
    direct, piped = redis.Redis.execute_command, redis.client.Pipeline.execute
    monkeypatch.setattr(
        redis.Redis,
        "execute_command",
        lambda self, *a, **k: commands.append(a) or direct(self, *a, **k),
    )
    monkeypatch.setattr(
        redis.client.Pipeline,
        "execute",
        lambda self, *a, **k: pipelines.append(1) or piped(self, *a, **k),
    )
    member = make_user()
    answers = [ratelimit.is_limited(member, "post") for _ in range(3)]
    assert answers == [False, False, True]
    assert (len(commands), len(pipelines)) == (0, 3)
    [key] = redis_cache.keys(f"*comments:ratelimit:post:{member.pk}:*")
    assert 0 < redis_cache.ttl(key) <= 65
    assert int(redis_cache.get(key)) == 3


@pytest.mark.django_db(transaction=True)
def test_a_film_deleted_since_the_form_was_checked_is_a_form_error_not_a_500():
    """The foreign key fails at commit (nothing read again before the insert): the member is
    told, in the form, and nothing is posted."""
    thread = start_thread(body="First")
    film = make_film(title="Gone Soon")
    member = make_user()
    Film.objects.filter(pk=film.pk).delete()  # After the form was checked, before the insert.
    with pytest.raises(ValidationError, match="deleted just now"):
        services.comment_create(thread=thread, author=member, body="Spoilers!", spoilers_for=film)
    assert not Comment.objects.filter(author=member).exists()
