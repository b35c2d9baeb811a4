"""Background work on the database task backend (django-tasks-db): off the request, retried with
backoff when the mail server fails, never sending an email twice, and run by a real worker."""

import os
import subprocess
import sys
from datetime import timedelta
from functools import partial
from pathlib import Path
from smtplib import SMTPServerDisconnected

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments import queue, services
from comments.models import Comment, Notification, NotificationKind, Subscription
from comments.tasks import send_notification_email
from tests.factories import PASSWORD, make_user, start_thread

pytestmark = pytest.mark.django_db

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_TASK = "comments.tasks.send_notification_email"


@pytest.fixture
def database_backend(settings):
    settings.TASKS = DATABASE_BACKEND


@pytest.fixture
def mail_server_down_for(monkeypatch):
    """A mailer that fails the first `failures` sends (an SMTP outage), then works."""

    def down_for(failures: int) -> list[int]:
        attempts = []
        send = EmailBackend.send_messages

        def flaky(self, messages):
            attempts.append(len(messages))
            if len(attempts) <= failures:
                raise SMTPServerDisconnected("Connection unexpectedly closed")
            return send(self, messages)

        monkeypatch.setattr(EmailBackend, "send_messages", flaky)
        return attempts

    return down_for


def _reply_notification() -> Notification:
    """A reply notification whose recipient wants its email (a verified address)."""
    thread = start_thread()
    root = thread.comments.get()
    reply = make_comment_reply(root)
    return Notification.objects.create(
        recipient=root.author, kind=NotificationKind.REPLY, comment=reply, actor=reply.author
    )


def make_comment_reply(root: Comment) -> Comment:
    return Comment.objects.create(
        thread=root.thread,
        author=make_user(),
        body="Replying",
        body_html="<p>Replying</p>",
        parent=root,
        root=root,
        depth=1,
    )


@pytest.fixture
def run_worker(monkeypatch):
    """Run every task that is due, in this process, as `manage.py db_worker --batch` does. Its
    closing of connections between tasks is left out: it would close the test's transaction."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    return partial(
        call_command, "db_worker", batch=True, reload=False, startup_delay=False, verbosity=0
    )


def test_retry_delay_doubles_from_a_minute_up_to_four_hours():
    assert [queue.retry_delay(attempt) for attempt in (1, 2, 3, 4)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(minutes=8),
    ]
    assert queue.retry_delay(9) == queue.retry_delay(30) == timedelta(hours=4)


def test_a_mail_server_failure_queues_the_email_again_after_the_backoff(
    database_backend, mail_server_down_for, mailoutbox
):
    mail_server_down_for(1)
    notification = _reply_notification()
    before = timezone.now()
    with pytest.raises(SMTPServerDisconnected):
        send_notification_email.call(notification.pk)
    after = timezone.now()
    assert mailoutbox == []
    notification.refresh_from_db()
    assert notification.emailed_at is None  # The claim is given back for the next attempt.
    retry = DBTaskResult.objects.get(task_path=EMAIL_TASK)
    assert retry.status == "READY"
    assert retry.args_kwargs == {"args": [notification.pk], "kwargs": {"attempt": 2}}
    delay = queue.retry_delay(1)
    assert before + delay <= retry.run_after <= after + delay


def test_the_email_of_a_failed_attempt_is_sent_once_when_the_server_is_back(
    database_backend, mail_server_down_for, mailoutbox, run_worker
):
    """A mailer that raises twice, then works: exactly one email, by the third attempt."""
    attempts = mail_server_down_for(2)
    notification = _reply_notification()
    send_notification_email.enqueue(notification.pk)
    for _ in range(3):
        run_worker()
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    assert len(attempts) == 3
    assert [message.to for message in mailoutbox] == [[notification.recipient.email]]
    results = DBTaskResult.objects.filter(task_path=EMAIL_TASK).order_by("enqueued_at")
    assert [(r.status, r.args_kwargs["kwargs"]) for r in results] == [
        ("FAILED", {}),
        ("FAILED", {"attempt": 2}),
        ("SUCCESSFUL", {"attempt": 3}),
    ]
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_the_last_attempt_gives_up_and_says_so(
    database_backend, mail_server_down_for, mailoutbox, caplog
):
    mail_server_down_for(1)
    notification = _reply_notification()
    with pytest.raises(SMTPServerDisconnected):
        send_notification_email.call(notification.pk, attempt=queue.ATTEMPTS_MAX)
    assert not DBTaskResult.objects.filter(task_path=EMAIL_TASK).exists()
    assert f"failed {queue.ATTEMPTS_MAX} times, given up" in caplog.text


def test_a_bug_while_sending_gives_the_claim_back_but_is_not_retried(database_backend, monkeypatch):
    def broken(self, messages):
        raise ValueError("not a mail server failure")

    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    notification = _reply_notification()
    with pytest.raises(ValueError):
        send_notification_email.call(notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert not DBTaskResult.objects.filter(task_path=EMAIL_TASK).exists()


def test_a_repeated_email_task_sends_once(mailoutbox):
    notification = _reply_notification()
    send_notification_email.call(notification.pk)
    send_notification_email.call(notification.pk)
    assert len(mailoutbox) == 1


def test_an_email_claimed_by_another_run_is_not_sent(mailoutbox):
    """Two runs of the same task at once: the one that loses the claim sends nothing."""
    notification = _reply_notification()
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    send_notification_email.call(notification.pk)
    assert mailoutbox == []


def _thread_followed_by(count: int):
    thread = start_thread()
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"follower{thread.pk}-{n}", email=f"f{thread.pk}-{n}@x.test")
        for n in range(count)
    )
    Subscription.objects.bulk_create(Subscription(thread=thread, user=user) for user in users)
    return thread


def _post_reply(client, thread) -> None:
    root = thread.comments.get()
    response = client.post(reverse("comments:reply", args=[root.pk]), {"body": "Seconded!"})
    assert response.status_code == 302


def test_a_comment_queues_one_task_and_notifies_nobody_in_the_request(
    database_backend, client, mailoutbox, django_capture_on_commit_callbacks, run_worker
):
    thread = _thread_followed_by(200)
    client.force_login(make_user())
    before = list(DBTaskResult.objects.values_list("pk", flat=True))  # Starting the thread's.
    with django_capture_on_commit_callbacks(execute=True):
        _post_reply(client, thread)
    reply = Comment.objects.get(body="Seconded!")
    assert not Notification.objects.filter(comment=reply).exists()
    assert mailoutbox == []
    queued = DBTaskResult.objects.exclude(pk__in=before).get()
    assert queued.task_path == "comments.tasks.notify_comment"
    assert queued.args_kwargs["args"] == [reply.pk]

    run_worker()
    told = Notification.objects.filter(comment=reply)
    assert told.count() == 200 + 1  # Every follower, and the author of the comment answered.
    assert told.get(kind=NotificationKind.REPLY).recipient == thread.starter
    # Followers get no email of a thread's comments by default; the one answered does.
    assert [message.to for message in mailoutbox] == [[thread.starter.email]]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_posting_costs_the_same_queries_whatever_the_followers(database_backend, client):
    """Guards the request against the fan-out: 200 followers cost what 1 costs."""
    counts = []
    for followers in (1, 200):
        thread = _thread_followed_by(followers)
        client.force_login(make_user())
        with CaptureQueriesContext(connection) as queries:
            _post_reply(client, thread)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_thread_started_tells_its_subjects_followers_from_the_worker(
    database_backend, run_worker
):
    from comments.following import follow_set
    from tests.factories import make_film

    film = make_film()
    fan = make_user()
    follow_set(user=fan, subject=film, following=True)
    thread = services.thread_start(author=make_user(), title="Sequel?", body="Yes!", film=film)
    assert not Notification.objects.filter(thread=thread).exists()
    run_worker()
    assert Notification.objects.get(thread=thread).recipient == fan


# A real worker process ------------------------------------------------------------------------


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="The worker runs in another process, which must see the test database: PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_email_of_a_reply_posted_through_the_site(
    database_backend, client, tmp_path
):
    thread = start_thread()
    replier = make_user()
    client.login(username=replier.username, password=PASSWORD)
    _post_reply(client, thread)  # Committed: the worker's connection sees it.
    assert not Notification.objects.exists()

    outbox = tmp_path / "mail"
    environment = os.environ | {
        "DATABASE_URL": _database_url(),
        "TASKS_BACKEND": "database",
        "EMAIL_FILE_PATH": str(outbox),
        "DJANGO_DEBUG": "true",
    }
    environment.pop("EMAIL_HOST", None)
    # --batch: the worker runs what is queued (the notifying task, then the email it queues)
    # and exits, so the test waits on the process, not on a clock.
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay"],
        cwd=Path(django_settings.BASE_DIR),
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=300,  # Only against a hang.
        check=False,
    )
    output = worker.stdout
    assert worker.returncode == 0, output.decode()
    sent = DBTaskResult.objects.filter(task_path=EMAIL_TASK, status="SUCCESSFUL")
    assert sent.exists(), output.decode()
    emails = [path.read_text() for path in outbox.iterdir()]
    assert len(emails) == 1
    assert f"To: {thread.starter.email}" in emails[0]
    assert "replied to you" in emails[0]
    notification = Notification.objects.get(kind=NotificationKind.REPLY)
    assert notification.emailed_at is not None
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
