"""Deleting an account goes through accounts.services.account_delete: the comments stay, shown
as "deleted user", and the user's likes come off the counters."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import User
from comments import moderation
from comments import services as comment_services
from comments.member_data import member_comments_erase
from comments.models import Comment, CommentStatus
from tests.factories import PASSWORD, make_moderator, make_user, start_thread

pytestmark = pytest.mark.django_db


def test_account_delete_removes_the_user():
    user = make_user()
    services.account_delete(user=user)
    assert not User.objects.filter(pk=user.pk).exists()


def test_account_delete_keeps_the_users_comments_without_an_author():
    user = make_user()
    thread = start_thread(author=user, body="Still here")
    services.account_delete(user=user)
    comment = Comment.objects.get(thread=thread)
    assert comment.author is None
    assert comment.body == "Still here"


def test_account_delete_takes_the_users_likes_off_the_counters():
    user = make_user()
    thread = start_thread()
    comment = thread.comments.get()
    comment_services.reaction_toggle(comment=comment, user=user)
    services.account_delete(user=user)
    comment.refresh_from_db()
    assert comment.like_count == 0


def test_the_delete_view_deletes_through_the_service(client, monkeypatch):
    user = make_user()
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    deleted = []
    monkeypatch.setattr(services, "account_delete", lambda *, user: deleted.append(user.pk))
    client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert deleted == [user.pk]


def test_user_unsubscribe_switches_email_notifications_off():
    user = make_user(email_notifications=True)
    services.user_unsubscribe(user=user)
    user.refresh_from_db()
    assert user.email_notifications is False


def _reauthenticated(client, user):
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return client


def test_the_delete_page_offers_to_erase_comments_and_links_the_export(client):
    page = _reauthenticated(client, make_user()).get(reverse("accounts:delete")).content.decode()
    assert 'name="erase_comments"' in page
    assert reverse("accounts:export") in page


def test_deleting_without_erasing_keeps_the_comment_text(client):
    user = make_user()
    thread = start_thread(author=user, body="Keep my words")
    _reauthenticated(client, user).post(reverse("accounts:delete"), {"confirm": "on"})
    assert thread.comments.get().body == "Keep my words"


def test_deleting_with_erasing_leaves_placeholders(client):
    user = make_user()
    thread = start_thread(author=user, body="Erase my words")
    _reauthenticated(client, user).post(
        reverse("accounts:delete"), {"confirm": "on", "erase_comments": "on"}
    )
    comment = thread.comments.get()
    assert not User.objects.filter(pk=user.pk).exists()
    assert (comment.body, comment.body_html, comment.status) == ("", "", CommentStatus.DELETED)


def test_erased_comments_leave_replies_in_place_and_counters_exact():
    user = make_user()
    thread = start_thread()
    root = thread.comments.get()
    mine = comment_services.comment_create(thread=thread, author=user, body="Mine", parent=root)
    other = comment_services.comment_create(
        thread=thread, author=make_user(), body="Theirs", parent=mine
    )
    member_comments_erase(user=user)
    thread.refresh_from_db()
    root.refresh_from_db()
    other.refresh_from_db()
    assert thread.comment_count == 2
    assert root.reply_count == 1
    assert other.body == "Theirs"


def test_erasing_keeps_a_removed_comment_removed():
    user = make_user()
    thread = start_thread(author=user, body="Rude")
    comment = thread.comments.get()
    moderation.comment_remove(comment=comment, moderator=make_moderator(), reason="Rude")
    member_comments_erase(user=user)
    comment.refresh_from_db()
    assert (comment.body, comment.status) == ("", CommentStatus.REMOVED)


def test_erasing_leaves_other_members_comments_alone():
    start_thread(author=make_user(), body="Not mine")
    member_comments_erase(user=make_user())
    assert Comment.objects.get().body == "Not mine"


def test_the_thread_page_shows_an_erased_comment_as_deleted(client):
    user = make_user()
    thread = start_thread(author=make_user(), body="Opening")
    comment_services.comment_create(thread=thread, author=user, body="Secret words")
    member_comments_erase(user=user)
    services.account_delete(user=user)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Opening" in page
    assert "Secret words" not in page
