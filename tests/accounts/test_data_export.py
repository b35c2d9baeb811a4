"""A member takes their data: one JSON file with everything the site holds about them."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Suspension
from comments import services as comment_services
from comments.member_data import member_comments_data
from comments.models import FlagReason
from tests.factories import make_user, start_thread

pytestmark = pytest.mark.django_db

EXPORT = reverse("accounts:export")


def _export(client, user) -> dict:
    client.force_login(user)
    return json.loads(client.get(EXPORT).content)


def test_export_requires_sign_in(client):
    response = client.get(EXPORT)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_export_answers_get_only(client):
    client.force_login(make_user())
    assert client.post(EXPORT).status_code == 405


def test_export_is_a_download_named_for_the_member(client):
    user = make_user(username="romy")
    client.force_login(user)
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="fansite-romy.json"'


def test_export_is_never_cached(client):
    client.force_login(make_user())
    cache_control = client.get(EXPORT)["Cache-Control"]
    assert "private" in cache_control
    assert "no-store" in cache_control


def test_export_holds_the_profile_and_email_addresses(client):
    user = make_user(display_name="Michele", bio="Pasadena, 1997")
    data = _export(client, user)
    assert data["profile"]["username"] == user.username
    assert data["profile"]["display_name"] == "Michele"
    assert data["profile"]["bio"] == "Pasadena, 1997"
    assert data["email_addresses"] == [{"email": user.email, "verified": True, "primary": True}]


def test_export_holds_comments_with_thread_titles_and_absolute_links(client):
    user = make_user()
    thread = start_thread(author=user, title="The reunion", body="We invented Post-its")
    data = _export(client, user)
    [comment] = data["comments"]
    assert comment["body"] == "We invented Post-its"
    assert comment["thread"]["title"] == "The reunion"
    assert comment["thread"]["url"] == f"http://testserver{thread.get_absolute_url()}"
    assert comment["url"].startswith("http://testserver/")


def test_export_holds_likes_reports_and_follows(client):
    user = make_user()
    thread = start_thread(title="Sequel news")
    comment = thread.comments.get()
    comment_services.reaction_toggle(comment=comment, user=user)
    comment_services.flag_create(
        comment=comment, reporter=user, reason=FlagReason.SPAM, note="Looks like an ad"
    )
    comment_services.subscription_toggle(thread=thread, user=user)
    data = _export(client, user)
    comment_url = f"http://testserver{comment.get_absolute_url()}"
    assert [like["comment"] for like in data["likes"]] == [comment_url]
    assert [(r["comment"], r["note"]) for r in data["reports"]] == [
        (comment_url, "Looks like an ad")
    ]
    assert [f["thread"]["title"] for f in data["follows"]] == ["Sequel news"]


def test_export_holds_notifications(client):
    user = make_user()
    thread = start_thread(author=user)
    replier = make_user()
    comment_services.comment_create(
        thread=thread, author=replier, body="Agreed", parent=thread.comments.get()
    )
    data = _export(client, user)
    assert [(n["kind"], n["from"]) for n in data["notifications"]] == [("reply", replier.username)]


def test_export_holds_suspensions_concerning_the_member(client):
    user = make_user()
    Suspension.objects.create(
        user=user, reason="Spam links", ends_at=timezone.now() + timezone.timedelta(days=1)
    )
    data = _export(client, user)
    assert [s["reason"] for s in data["suspensions"]] == ["Spam links"]


def test_export_holds_nothing_of_other_members(client):
    other = make_user()
    start_thread(author=other, body="Not yours")
    data = _export(client, make_user())
    assert data["comments"] == []
    assert "Not yours" not in json.dumps(data)


def test_comments_data_queries_do_not_grow_with_rows(django_assert_max_num_queries):
    """Guards the export against an N+1 over comments, likes, reports, follows, notifications,
    followed subjects, seen films and email choices."""
    user = make_user()
    for _ in range(4):
        thread = start_thread(author=user)
        other = start_thread()
        comment_services.reaction_toggle(comment=other.comments.get(), user=user)
        comment_services.flag_create(
            comment=other.comments.get(), reporter=user, reason=FlagReason.SPAM
        )
        comment_services.comment_create(
            thread=thread, author=make_user(), body="Reply", parent=thread.comments.get()
        )
    with django_assert_max_num_queries(9):
        member_comments_data(user)


def test_the_profile_links_its_owner_to_the_export(client):
    user = make_user()
    client.force_login(user)
    assert EXPORT in client.get(user.get_absolute_url()).content.decode()


def test_the_profile_does_not_link_others_to_the_export(client):
    client.force_login(make_user())
    assert EXPORT not in client.get(make_user().get_absolute_url()).content.decode()
