from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from comments import moderation, services
from comments.models import ModerationAction, ModerationActionKind
from tests.factories import make_moderator, make_post, make_user, start_thread

pytestmark = pytest.mark.django_db
URL = reverse("comments:audit-log")


@pytest.fixture
def moderator():
    return make_moderator(username="mod_anna", display_name="Anna Moderator")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def _rows(response) -> list[ModerationAction]:
    return list(response.context["page_obj"].object_list)


def test_the_log_is_for_moderators_only(client):
    client.force_login(make_user())
    assert client.get(URL).status_code == 403


def test_the_log_lists_newest_first_with_who_what_and_why(moderator_client, moderator):
    thread = start_thread(title="Casting news")
    moderation.thread_lock(thread=thread, moderator=moderator, reason="Heated.", locked=True)
    moderation.thread_pin(thread=thread, moderator=moderator, reason="Important.", pinned=True)
    response = moderator_client.get(URL)
    assert [row.action for row in _rows(response)] == ["pin", "lock"]
    assertContains(response, "Anna Moderator")
    assertContains(response, "@mod_anna")
    assertContains(response, "Heated.")
    assertContains(response, "pinned a discussion")


def test_each_row_links_to_its_object(moderator_client, moderator):
    thread = start_thread()
    comment = thread.comments.get()
    troll = make_user()
    moderation.comment_remove(comment=comment, moderator=moderator, reason="Spam.")
    moderation.thread_lock(thread=thread, moderator=moderator, reason="Spam.", locked=True)
    moderation.member_suspend(member=troll, moderator=moderator, reason="Spam.", days=1)
    response = moderator_client.get(URL)
    assertContains(response, f'href="{comment.get_absolute_url()}"')
    assertContains(response, f'href="{thread.get_absolute_url()}"')
    assertContains(response, f'href="{troll.get_absolute_url()}"')


def test_an_automatic_hide_shows_as_automatic(moderator_client):
    comment = start_thread().comments.get()
    from comments import audit

    audit.record(action=ModerationActionKind.AUTO_HIDE, reason="Reported by 3", comment=comment)
    assertContains(moderator_client.get(URL), "Automatic")


def test_the_log_is_paginated_by_30(moderator_client, moderator):
    troll = make_user()
    for n in range(31):
        ModerationAction.objects.create(
            moderator=moderator, action="suspend", member=troll, target="x", reason=f"r{n}"
        )
    response = moderator_client.get(URL)
    assert len(_rows(response)) == 30
    assertContains(response, "page=2")
    assert len(_rows(moderator_client.get(URL, {"page": 2}))) == 1


def test_pages_keep_the_filters(moderator_client, moderator):
    troll = make_user()
    for n in range(31):
        ModerationAction.objects.create(
            moderator=moderator, action="suspend", member=troll, target="x", reason=f"r{n}"
        )
    response = moderator_client.get(URL, {"action": "suspend"})
    assertContains(response, "action=suspend&amp;page=2")


def test_filter_by_moderator(moderator_client, moderator):
    other = make_moderator(is_staff=True, username="mod_bob")
    thread = start_thread()
    moderation.thread_lock(thread=thread, moderator=moderator, reason="A", locked=True)
    moderation.thread_pin(thread=thread, moderator=other, reason="B", pinned=True)
    response = moderator_client.get(URL, {"moderator": "mod_bob"})
    assert [row.moderator for row in _rows(response)] == [other]
    assertContains(response, "@mod_bob")  # offered in the select


def test_filter_by_member_username(moderator_client, moderator):
    troll, other = make_user(username="troll"), make_user()
    moderation.member_suspend(member=troll, moderator=moderator, reason="A", days=1)
    moderation.member_suspend(member=other, moderator=moderator, reason="B", days=1)
    response = moderator_client.get(URL, {"member": "@Troll"})
    assert [row.member for row in _rows(response)] == [troll]


def test_filter_by_action(moderator_client, moderator):
    thread = start_thread()
    moderation.thread_lock(thread=thread, moderator=moderator, reason="A", locked=True)
    moderation.thread_pin(thread=thread, moderator=moderator, reason="B", pinned=True)
    response = moderator_client.get(URL, {"action": "lock"})
    assert [row.action for row in _rows(response)] == ["lock"]


def test_filter_by_date_range(moderator_client, moderator):
    troll = make_user()
    now = timezone.now()
    for days_ago in (10, 5, 1):
        ModerationAction.objects.create(
            moderator=moderator,
            action="suspend",
            member=troll,
            target="x",
            reason=f"{days_ago} days ago",
            created_at=now - timedelta(days=days_ago),
        )
    since = timezone.localdate() - timedelta(days=6)
    until = timezone.localdate() - timedelta(days=2)
    response = moderator_client.get(URL, {"since": since.isoformat(), "until": until.isoformat()})
    assert [row.reason for row in _rows(response)] == ["5 days ago"]


def test_a_reversed_date_range_is_an_error_not_a_500(moderator_client):
    response = moderator_client.get(URL, {"since": "2026-05-02", "until": "2026-05-01"})
    assertContains(response, "comes before the start date")


@pytest.mark.parametrize(
    "query", [{"since": "not a date"}, {"action": "nuke"}, {"moderator": "\x00"}, {"page": "x"}]
)
def test_bad_filters_never_answer_500(moderator_client, query):
    assert moderator_client.get(URL, query).status_code in (200, 400)


def test_the_filter_form_has_labels(moderator_client):
    response = moderator_client.get(URL)
    for field in ["moderator", "member", "action", "since", "until"]:
        assertContains(response, f'<label for="id_{field}"')


def test_log_query_count_does_not_grow_with_rows(
    moderator_client, moderator, django_assert_max_num_queries
):
    """Guards the log against an N+1 on each row's moderator, member, comment and thread (and a
    post's thread, whose link is the article's)."""
    for _ in range(4):
        thread = start_thread()
        moderation.comment_remove(comment=thread.comments.get(), moderator=moderator, reason="x")
        moderation.thread_lock(thread=thread, moderator=moderator, reason="x", locked=True)
        moderation.member_suspend(member=make_user(), moderator=moderator, reason="x", days=1)
    post_thread = services.thread_for_post(post=make_post())
    moderation.thread_pin(thread=post_thread, moderator=moderator, reason="x", pinned=True)
    with django_assert_max_num_queries(10):
        response = moderator_client.get(URL)
    assert len(_rows(response)) == 13
    assertNotContains(response, "Nothing on record")
