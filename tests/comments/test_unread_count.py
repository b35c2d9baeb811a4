"""The header's unread count, kept per member (comments.caching): it costs no query once
counted, and every way notifications are written shows in it at once."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments import services
from comments.models import Notification, NotificationKind
from tests.factories import make_comment, make_user, start_thread

pytestmark = pytest.mark.django_db


def _count(client) -> int:
    html = client.get(reverse("comments:index")).content.decode()
    found = re.search(r'header-notifications__count">(\d+)<', html)
    return int(found[1]) if found else 0


def _notify(recipient, **fields) -> Notification:
    return Notification.objects.create(
        recipient=recipient, kind=NotificationKind.REPLY, comment=make_comment(), **fields
    )


def test_a_counted_member_pays_no_query_for_the_count(client):
    member = make_user()
    _notify(member)
    client.force_login(member)
    assert _count(client) == 1
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("comments:index"))
    assert not any("comments_notification" in query["sql"] for query in queries.captured_queries)


def test_a_new_notification_shows_at_once(client):
    member = make_user()
    client.force_login(member)
    assert _count(client) == 0
    _notify(member)
    assert _count(client) == 1


def test_notifications_made_in_bulk_show_at_once(client):
    member = make_user()
    client.force_login(member)
    assert _count(client) == 0
    comments = [make_comment(), make_comment()]
    Notification.objects.bulk_create(
        Notification(recipient=member, kind=NotificationKind.REPLY, comment=comment)
        for comment in comments
    )
    assert _count(client) == 2


def test_a_reply_from_the_services_shows_in_the_authors_count(client):
    thread = start_thread(body="Who else loved the dance?")
    author = thread.starter
    client.force_login(author)
    assert _count(client) == 0
    services.comment_create(
        thread=thread, author=make_user(), body="Me!", parent=thread.comments.get()
    )
    assert _count(client) == 1


def test_marking_read_and_deleting_empty_the_count(client):
    member = make_user()
    first, second = _notify(member), _notify(member)
    client.force_login(member)
    assert _count(client) == 2
    services.notifications_mark_read(user=member, notification_ids=[first.pk])
    assert _count(client) == 1
    second.delete()
    assert _count(client) == 0


def test_each_member_has_their_own_count(client):
    reader, other = make_user(), make_user()
    _notify(reader)
    client.force_login(reader)
    assert _count(client) == 1
    client.force_login(other)
    assert _count(client) == 0
