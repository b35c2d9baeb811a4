import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from comments import moderation, services
from comments.caching import thread_version
from comments.models import Comment, CommentStatus, Flag, Thread
from comments.sitemaps import ThreadSitemap
from tests.factories import make_post, make_staff, make_user, start_thread

pytestmark = pytest.mark.django_db


def _action(client, model: str, action: str, ids: list[int]):
    """Run an admin action, giving the reason its intermediate page asks for."""
    url = reverse(f"admin:comments_{model}_changelist")
    data = {"action": action, "_selected_action": ids, "reason": "Tidying up.", "apply": "1"}
    return client.post(url, data, follow=True)


def test_admin_remove_and_restore_keep_the_count_exact(staff_client):
    thread = start_thread()
    comment = thread.comments.get()
    _action(staff_client, "comment", "remove", [comment.pk])
    comment.refresh_from_db()
    thread.refresh_from_db()
    assert (comment.status, thread.comment_count) == (CommentStatus.REMOVED, 0)
    _action(staff_client, "comment", "restore", [comment.pk])
    comment.refresh_from_db()
    thread.refresh_from_db()
    assert (comment.status, thread.comment_count) == (CommentStatus.VISIBLE, 1)


def test_admin_flag_queue_lists_open_reports_first_and_resolves_them(staff_client):
    thread = start_thread()
    comment = thread.comments.get()
    services.flag_create(comment=comment, reporter=make_user(), reason="spam")
    moderation.flags_dismiss(comment=comment, moderator=make_staff(), reason="Not spam")
    fresh = services.flag_create(comment=comment, reporter=make_user(), reason="abuse")
    page = staff_client.get(reverse("admin:comments_flag_changelist")).content.decode()
    rows = page[page.index("<tbody>") : page.index("</tbody>")]
    assert rows.index("Abusive or hateful") < rows.index("Spam or advertising")
    _action(staff_client, "flag", "remove_comment", [fresh.pk])
    fresh.refresh_from_db()
    comment.refresh_from_db()
    assert fresh.resolved_at is not None
    assert comment.status == CommentStatus.REMOVED


def test_admin_thread_lock_action(staff_client):
    thread = start_thread()
    _action(staff_client, "thread", "lock", [thread.pk])
    thread.refresh_from_db()
    assert thread.locked


@pytest.mark.parametrize("action", ["lock", "unlock", "pin", "unpin"])
def test_admin_thread_actions_retire_the_threads_cached_sections(
    staff_client, action, django_capture_on_commit_callbacks
):
    thread = start_thread()
    if action.startswith("un"):  # Something to undo: a no-op is refused, and retires nothing.
        Thread.objects.filter(pk=thread.pk).update(locked=True, pinned=True)
    before = thread_version(thread.pk)
    with django_capture_on_commit_callbacks(execute=True):
        _action(staff_client, "thread", action, [thread.pk])
    assert thread_version(thread.pk) > before


def test_admin_unpin_action_goes_through_the_service(staff_client, monkeypatch):
    thread = start_thread()
    calls = []
    monkeypatch.setattr(moderation, "thread_pin", lambda **kwargs: calls.append(kwargs))
    _action(staff_client, "thread", "unpin", [thread.pk])
    assert [(call["thread"], call["pinned"], call["reason"]) for call in calls] == [
        (thread, False, "Tidying up.")
    ]


def test_staff_without_the_moderation_permission_get_no_moderation_actions(client):
    editor = make_user(is_staff=True)
    editor.user_permissions.add(*Permission.objects.filter(codename__in=["view_comment"]))
    client.force_login(editor)
    thread = start_thread()
    comment = thread.comments.get()
    page = client.get(reverse("admin:comments_comment_changelist")).content.decode()
    assert "Remove the selected comments" not in page
    _action(client, "comment", "remove", [comment.pk])
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE
    assert not Flag.objects.exists()


def test_sitemap_lists_discussions_with_comments_but_not_post_threads():
    talked_about = start_thread()
    from comments.models import Thread

    Thread.objects.create(title="Nothing said yet")
    services.comment_create(
        thread=services.thread_for_post(post=make_post()), author=make_user(), body="x"
    )
    assert list(ThreadSitemap().items()) == [talked_about]
    assert ThreadSitemap().location(talked_about) == talked_about.get_absolute_url()


def test_admin_cannot_delete_a_comment(staff_client):
    thread = start_thread()
    comment = thread.comments.get()
    response = staff_client.post(
        reverse("admin:comments_comment_delete", args=[comment.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert thread.comments.filter(pk=comment.pk).exists()


def test_admin_comment_list_offers_no_bulk_delete(staff_client):
    start_thread()
    page = staff_client.get(reverse("admin:comments_comment_changelist")).content.decode()
    assert 'value="remove"' in page
    assert 'value="delete_selected"' not in page


def test_admin_can_delete_a_whole_thread_with_its_comments(staff_client):
    thread = start_thread()
    services.comment_create(
        thread=thread, author=make_user(), body="A reply", parent=thread.comments.get()
    )
    response = staff_client.post(
        reverse("admin:comments_thread_delete", args=[thread.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Comment.objects.filter(thread_id=thread.pk).exists()


def test_admin_bulk_deletes_threads_with_their_comments(staff_client):
    threads = [start_thread(), start_thread()]
    ids = [thread.pk for thread in threads]
    staff_client.post(
        reverse("admin:comments_thread_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert not Comment.objects.filter(thread_id__in=ids).exists()


def _change_form_data(thread, **changes) -> dict:
    data = {"title": thread.title, "starter": thread.starter_id or ""}
    data.update(changes)
    return data


def test_admin_change_form_retires_the_threads_cached_sections(
    staff_client, django_capture_on_commit_callbacks
):
    thread = start_thread(title="Old title")
    before = thread_version(thread.pk)
    url = reverse("admin:comments_thread_change", args=[thread.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, _change_form_data(thread, title="New title"))
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.title == "New title"
    assert thread_version(thread.pk) > before


def test_admin_change_form_keeps_a_comment_count_changed_meanwhile(staff_client, monkeypatch):
    """The form's thread was read before a comment arrived: saving it must not undo the count."""
    thread = start_thread()
    update = services.thread_update

    def comment_arrives_first(*, thread):
        services.comment_create(thread=thread, author=make_user(), body="Meanwhile")
        return update(thread=thread)

    monkeypatch.setattr(services, "thread_update", comment_arrives_first)
    url = reverse("admin:comments_thread_change", args=[thread.pk])
    staff_client.post(url, _change_form_data(thread, title="Renamed"))
    thread.refresh_from_db()
    assert (thread.title, thread.comment_count) == ("Renamed", 2)


def test_admin_change_form_cannot_lock_or_pin_without_a_reason_on_record(staff_client):
    """Locking and pinning are moderator actions (the list's, with a reason), not form fields."""
    thread = start_thread()
    url = reverse("admin:comments_thread_change", args=[thread.pk])
    staff_client.post(url, _change_form_data(thread, locked="on", pinned="on"))
    thread.refresh_from_db()
    assert (thread.locked, thread.pinned) == (False, False)


def test_admin_add_form_starts_an_empty_discussion(staff_client):
    response = staff_client.post(reverse("admin:comments_thread_add"), {"title": "Announcements"})
    assert response.status_code == 302
    assert Thread.objects.get(title="Announcements").comment_count == 0
