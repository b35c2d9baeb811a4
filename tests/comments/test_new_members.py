"""Trust for new accounts: younger than NEW_MEMBER_HOURS or with fewer than
NEW_MEMBER_MIN_COMMENTS visible comments, a member posts at most NEW_MEMBER_POSTS_PER_HOUR
comments an hour, without links or images, naming at most NEW_MEMBER_MAX_MENTIONS people."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from comments import ratelimit
from comments.models import CommentStatus, Thread
from comments.permissions import is_new_member
from tests.factories import make_comment, make_moderator, make_staff, make_user, start_thread

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
LINKS = "cannot post links"


@pytest.fixture(autouse=True)
def _trust_rules(settings):
    """The rules as the site has them (tests/comments/conftest.py relaxes them elsewhere)."""
    settings.NEW_MEMBER_HOURS = 24
    settings.NEW_MEMBER_MIN_COMMENTS = 3
    settings.NEW_MEMBER_POSTS_PER_HOUR = 3
    settings.NEW_MEMBER_MAX_MENTIONS = 2


def _veteran(**overrides):
    """A member of a month with three visible comments."""
    user = make_user(date_joined=timezone.now() - timedelta(days=30), **overrides)
    for _ in range(3):
        make_comment(author=user)
    return user


@pytest.fixture
def thread(db):
    return start_thread(body="The very first comment", author=_veteran())


@pytest.fixture
def newcomer(client):
    user = make_user()
    client.force_login(user)
    return user


@pytest.fixture
def veteran(client):
    user = _veteran()
    client.force_login(user)
    return user


def _post(client, thread, body, **extra):
    return client.post(
        reverse("comments:comment-create", args=[thread.pk]), {"body": body}, **extra
    )


# Who is new -----------------------------------------------------------------------------------


def test_an_account_younger_than_the_setting_is_new():
    assert is_new_member(make_user())


def test_an_old_account_with_too_few_visible_comments_is_new():
    user = make_user(date_joined=timezone.now() - timedelta(days=30))
    make_comment(author=user)
    make_comment(author=user)
    make_comment(author=user, status=CommentStatus.REMOVED)
    assert is_new_member(user)


def test_an_old_account_with_enough_visible_comments_is_not_new():
    assert not is_new_member(_veteran())


def test_the_age_is_a_setting(settings):
    settings.NEW_MEMBER_HOURS = 1
    settings.NEW_MEMBER_MIN_COMMENTS = 0
    assert not is_new_member(make_user(date_joined=timezone.now() - timedelta(hours=2)))
    assert is_new_member(make_user(date_joined=timezone.now() - timedelta(minutes=30)))


@pytest.mark.parametrize("maker", [make_moderator, make_staff], ids=["moderator", "staff"])
def test_moderators_and_staff_are_never_new(maker):
    assert not is_new_member(maker())


def test_being_new_costs_one_count_at_most_and_is_kept_for_the_request(
    django_assert_num_queries,
):
    user = _veteran()
    with django_assert_num_queries(1):
        assert not is_new_member(user)
        assert not is_new_member(user)


# Links and images -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Great deals at [my shop](https://spam.example/deals)",
        "Great deals at https://spam.example/deals",
        "Great deals at <https://spam.example/deals>",
        "Great deals at www.spam.example",
        "Great deals at [my shop][1]\n\n[1]: https://spam.example/deals",
        "Write to <deals@spam.example>",
    ],
    ids=["markdown", "bare", "autolink", "www", "reference", "email"],
)
def test_a_new_member_cannot_post_links_and_keeps_the_text(client, thread, newcomer, body):
    response = _post(client, thread, body)
    assertContains(response, LINKS, status_code=400)
    assertContains(response, "Great deals" if "deals at" in body else "Write to", status_code=400)
    assert not thread.comments.filter(author=newcomer).exists()


@pytest.mark.parametrize(
    "body", ["Look: ![poster](https://spam.example/p.png)", "Look: ![poster][p]\n\n[p]: /p.png"]
)
def test_a_new_member_cannot_post_images(client, thread, newcomer, body):
    response = _post(client, thread, body)
    assertContains(response, "cannot post images", status_code=400)
    assert not thread.comments.filter(author=newcomer).exists()


def test_a_new_member_may_mention_someone(client, thread, newcomer):
    friend = make_user()
    response = _post(client, thread, f"Hello @{friend.username}, welcome")
    assert response.status_code == 302
    assert thread.comments.filter(author=newcomer).exists()


def test_a_trusted_member_posts_links_and_images(client, thread, veteran):
    body = "See [the trailer](https://example.com/trailer) and https://example.com ![x](/x.png)"
    assert _post(client, thread, body).status_code == 302
    assert thread.comments.filter(author=veteran).exists()


def test_htmx_link_refusal_puts_the_form_back_with_the_text(client, thread, newcomer):
    response = _post(client, thread, "Buy at https://spam.example", **HTMX)
    assertContains(response, LINKS)
    assertContains(response, "Buy at https://spam.example")
    assert response["HX-Retarget"] == f"#comment-form-{thread.pk}"


def test_a_new_member_cannot_add_a_link_by_editing(client, thread, newcomer):
    comment = make_comment(thread=thread, author=newcomer)
    url = reverse("comments:edit", args=[comment.pk])
    response = client.post(url, {"body": "Now with https://spam.example"})
    assertContains(response, LINKS, status_code=400)
    comment.refresh_from_db()
    assert "spam" not in comment.body


def test_a_new_member_cannot_start_a_discussion_with_a_link(client, newcomer):
    data = {"title": "Deals", "body": "https://spam.example"}
    response = client.post(reverse("comments:thread-new"), data)
    assertContains(response, LINKS, status_code=400)
    assert not Thread.objects.filter(title="Deals").exists()


def test_a_new_members_preview_says_why_a_link_will_not_do(client, newcomer):
    response = client.post(reverse("comments:preview"), {"body": "https://spam.example"}, **HTMX)
    assertContains(response, LINKS)


def test_the_form_tells_a_new_member_the_rules_before_they_write(client, thread, newcomer):
    assertContains(client.get(thread.get_absolute_url()), "While your account is new")


def test_the_form_spares_a_trusted_member_the_rules(client, thread, veteran):
    assert "While your account is new" not in client.get(thread.get_absolute_url()).content.decode()


# Mentions -------------------------------------------------------------------------------------


def test_a_new_member_cannot_mention_more_than_the_setting(client, thread, newcomer):
    names = " ".join(f"@{make_user().username}" for _ in range(3))
    response = _post(client, thread, f"Hey {names}")
    assertContains(response, "at most 2 people", status_code=400)
    assertContains(response, names, status_code=400)
    assert not thread.comments.filter(author=newcomer).exists()


def test_a_new_member_may_mention_as_many_as_the_setting(client, thread, newcomer):
    names = " ".join(f"@{make_user().username}" for _ in range(2))
    assert _post(client, thread, f"Hey {names}").status_code == 302


def test_names_that_are_nobody_are_not_counted_as_mentions(client, thread, newcomer):
    assert _post(client, thread, "Hey @nobody1 @nobody2 @nobody3").status_code == 302


def test_a_trusted_member_mentions_many(client, thread, veteran):
    names = " ".join(f"@{make_user().username}" for _ in range(5))
    assert _post(client, thread, f"Hey {names}").status_code == 302


# Posting per hour ----------------------------------------------------------------------------


def test_a_new_member_posts_at_most_the_hourly_number(client, thread, newcomer):
    for n in range(3):
        assert _post(client, thread, f"Comment {n}").status_code == 302
    response = _post(client, thread, "One too many")
    assertContains(
        response, "While your account is new you can post 3 comments an hour", status_code=429
    )
    assertContains(response, "try again in about", status_code=429)
    assertContains(response, "One too many", status_code=429)
    assert thread.comments.filter(author=newcomer).count() == 3


def test_replies_and_new_discussions_count_toward_the_hourly_number(client, thread, newcomer):
    root = thread.comments.get()
    client.post(reverse("comments:thread-new"), {"title": "Mine", "body": "First"})
    client.post(reverse("comments:reply", args=[root.pk]), {"body": "A reply"})
    _post(client, thread, "A comment")
    response = client.post(reverse("comments:reply", args=[root.pk]), {"body": "Another reply"})
    assert response.status_code == 429
    response = client.post(reverse("comments:thread-new"), {"title": "Again", "body": "Second"})
    assertContains(response, "an hour", status_code=429)
    assert not Thread.objects.filter(title="Again").exists()


def test_htmx_hourly_refusal_answers_429_with_the_form_and_text(client, thread, newcomer):
    for n in range(3):
        _post(client, thread, f"Comment {n}", **HTMX)
    response = _post(client, thread, "One too many", **HTMX)
    assertContains(response, "an hour", status_code=429)
    assertContains(response, "One too many", status_code=429)


def test_the_hourly_number_is_counted_in_the_shared_cache_by_the_hour(newcomer):
    assert ratelimit.limit_of("new_post") == (3, 3600)


def test_a_trusted_member_is_not_held_to_the_hourly_number(client, thread, veteran):
    for n in range(5):
        assert _post(client, thread, f"Comment {n}").status_code == 302


# When to try again ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "clock", "expected"),
    [
        ("post", 1_800_000_030.0, "in about 30 seconds"),
        ("post", 1_800_000_000.0, "in about a minute"),
        ("flag", 1_800_000_030.0, "in about 10 minutes"),
        ("flag", 1_800_000_420.0, "in about 3 minutes"),
        ("new_post", 1_800_000_000.0, "in about an hour"),
        ("new_post", 1_800_001_800.0, "in about 30 minutes"),
    ],
)
def test_a_rate_limit_message_says_when_to_try_again(monkeypatch, action, clock, expected):
    monkeypatch.setattr(ratelimit, "now", lambda: clock)
    assert expected in ratelimit.limit_message(action)


def test_the_limited_page_without_javascript_says_when_to_try_again(client, thread, monkeypatch):
    monkeypatch.setitem(ratelimit.LIMITS, "like", (1, 60))
    monkeypatch.setattr(ratelimit, "now", lambda: 1_800_000_045.0)
    client.force_login(_veteran())
    url = reverse("comments:like", args=[thread.comments.get().pk])
    client.post(url, {"like": "1"})
    assertContains(client.post(url, {"like": "0"}), "in about 15 seconds", status_code=429)
