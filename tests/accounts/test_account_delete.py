"""Deleting an account goes through accounts.services.account_delete: the comments stay, shown
as "deleted user", and the user's likes come off the counters."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import User
from comments import services as comment_services
from comments.models import Comment
from tests.factories import PASSWORD, make_user, start_thread

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
