import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from accounts.models import Suspension
from comments import moderation, services
from comments.models import CommentStatus, FlagOutcome, ModerationAction, ModerationActionKind
from tests.factories import make_moderator, make_staff, make_user, start_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(make_staff())
    return client


@pytest.fixture
def row():
    thread = start_thread()
    moderation.thread_lock(thread=thread, moderator=make_moderator(), reason="Heated.", locked=True)
    return ModerationAction.objects.get()


def _action(client, model: str, action: str, ids: list[int], **extra):
    url = reverse(f"admin:comments_{model}_changelist")
    return client.post(url, {"action": action, "_selected_action": ids, **extra}, follow=True)


# Actions ask for a reason -------------------------------------------------------------------


def test_an_admin_action_first_asks_for_the_reason(superuser_client):
    thread = start_thread()
    response = _action(superuser_client, "thread", "lock", [thread.pk])
    assertContains(response, 'name="reason"')
    assertContains(response, thread.title)
    thread.refresh_from_db()
    assert not thread.locked
    assert not ModerationAction.objects.exists()


def test_an_admin_action_with_a_blank_reason_asks_again(superuser_client):
    thread = start_thread()
    response = _action(superuser_client, "thread", "lock", [thread.pk], reason=" ", apply="1")
    assertContains(response, "Give a reason")
    thread.refresh_from_db()
    assert not thread.locked


def test_an_admin_action_with_a_reason_acts_and_logs(superuser_client):
    thread = start_thread()
    _action(superuser_client, "thread", "pin", [thread.pk], reason="Big news.", apply="1")
    thread.refresh_from_db()
    assert thread.pinned
    row = ModerationAction.objects.get()
    assert (row.action, row.thread, row.reason) == (ModerationActionKind.PIN, thread, "Big news.")


def test_admin_remove_logs_each_comment(superuser_client):
    comments = [start_thread().comments.get() for _ in range(2)]
    ids = [comment.pk for comment in comments]
    _action(superuser_client, "comment", "remove", ids, reason="Spam run.", apply="1")
    assert ModerationAction.objects.filter(action=ModerationActionKind.REMOVE).count() == 2


def test_admin_uphold_decides_once_per_comment(superuser_client):
    comment = start_thread().comments.get()
    flags = [
        services.flag_create(comment=comment, reporter=make_user(), reason="spam") for _ in range(2)
    ]
    ids = [flag.pk for flag in flags]
    _action(superuser_client, "flag", "remove_comment", ids, reason="Spam.", apply="1")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REMOVED
    assert set(comment.flags.values_list("outcome", flat=True)) == {FlagOutcome.UPHELD}
    assert ModerationAction.objects.filter(action=ModerationActionKind.UPHOLD).count() == 1


def test_admin_restore_skips_visible_comments(superuser_client):
    comment = start_thread().comments.get()
    response = _action(superuser_client, "comment", "restore", [comment.pk])
    assertContains(response, "nothing to do")


# The audit log is read-only -----------------------------------------------------------------


def test_superusers_see_the_audit_log_in_the_admin(superuser_client, row):
    response = superuser_client.get(reverse("admin:comments_moderationaction_changelist"))
    assertContains(response, "Heated.")


def test_staff_moderators_see_the_audit_log_in_the_admin(client, row):
    client.force_login(make_moderator(is_staff=True))
    response = client.get(reverse("admin:comments_moderationaction_changelist"))
    assertContains(response, "Heated.")


def test_nobody_adds_to_the_audit_log_in_the_admin(superuser_client):
    response = superuser_client.get(reverse("admin:comments_moderationaction_add"))
    assert response.status_code == 403


def test_nobody_changes_an_audit_row_in_the_admin(superuser_client, row):
    url = reverse("admin:comments_moderationaction_change", args=[row.pk])
    response = superuser_client.post(url, {"reason": "Rewritten", "action": "pin"})
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.reason == "Heated."
    assertContains(superuser_client.get(url), "Heated.")  # viewing is fine
    assert 'name="reason"' not in superuser_client.get(url).content.decode()


def test_nobody_deletes_an_audit_row_in_the_admin(superuser_client, row):
    url = reverse("admin:comments_moderationaction_delete", args=[row.pk])
    assert superuser_client.post(url, {"post": "yes"}).status_code == 403
    _action(superuser_client, "moderationaction", "delete_selected", [row.pk], post="yes")
    assert ModerationAction.objects.filter(pk=row.pk).exists()


# Suspensions are listed, not edited, in the admin -------------------------------------------


@pytest.fixture
def suspension():
    return moderation.member_suspend(
        member=make_user(username="troll"), moderator=make_staff(), reason="Trolling.", days=7
    )


def test_the_admin_lists_and_searches_suspensions(superuser_client, suspension):
    url = reverse("admin:accounts_suspension_changelist")
    assertContains(superuser_client.get(url, {"q": "troll"}), "Trolling.")


def test_suspensions_are_not_added_changed_or_deleted_in_the_admin(superuser_client, suspension):
    assert superuser_client.get(reverse("admin:accounts_suspension_add")).status_code == 403
    change = reverse("admin:accounts_suspension_change", args=[suspension.pk])
    assert superuser_client.post(change, {"reason": "Edited"}).status_code == 403
    delete = reverse("admin:accounts_suspension_delete", args=[suspension.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    assert Suspension.objects.get(pk=suspension.pk).reason == "Trolling."
