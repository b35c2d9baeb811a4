"""Twenty members writing at once to the live server, on PostgreSQL: no write they were told
succeeded is lost, and every counter the site keeps equals a recount of the rows.

Each member is a thread with a browser of its own: a plain http.client with its own cookies
(the session of a member signed in with force_login, then the csrftoken the first page sets),
posting the thread page's forms as a browser without JavaScript would and following no
redirect, so the answer checked is the write's own. The work is bounded in count
(OPERATIONS_PER_MEMBER each, on three discussions and one news post whose thread the first
write makes); RUN_TIMEOUT only catches a hang. No timing is asserted.

A member's own requests run one after the other, so what a member last did to a comment or a
thread (liked it, reported it, followed it) is known exactly and checked against the rows.
"""

import http.client
import random
import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import resolve, reverse

from comments import ratelimit
from comments.models import (
    Comment,
    CommentStatus,
    Flag,
    FlagReason,
    Notification,
    NotificationKind,
    Reaction,
    Subscription,
    Thread,
)
from tests.factories import make_post, make_user, start_thread

ON_POSTGRESQL = django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.skipif(
        not ON_POSTGRESQL,
        reason=(
            "concurrency is tested on PostgreSQL only (set DATABASE_URL=postgres://...): SQLite "
            "serialises writers (one IMMEDIATE write transaction at a time), so concurrent "
            "clients there race nothing"
        ),
    ),
    pytest.mark.django_db(transaction=True),
]

MEMBERS = 20
OPERATIONS_PER_MEMBER = 15
THREADS = 3
REQUEST_TIMEOUT = 30  # seconds one answer may take before the client gives up
RUN_TIMEOUT = 180  # seconds for all the members together: a hang guard, not a measure

# What a member does, and how often, relatively.
OPERATIONS = {
    "comment": 3,
    "reply": 3,
    "like": 3,
    "unlike": 2,
    "report": 1,
    "follow": 1,
    "delete": 1,
    "read": 2,
    "read-notifications": 0.5,
}
WRITE_ANSWERS = {302, 429}  # done (a redirect, as a form post gets) or refused by a limit

COUNT_IN_HEADING = r'id="comments-heading-{}"[^>]*>\s*(\d+)\s*comment'
UNREAD_IN_BADGE = re.compile(r'class="header-notifications__count">\s*(\d+)\s*<')


@dataclass
class Answer:
    status: int
    location: str
    body: str


class Browser:
    """One visitor's browser: its own cookies, no redirect followed, every answer kept in
    `answers` as (method, view name, status)."""

    def __init__(self, base_url: str, cookies: dict[str, str] | None = None) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies = dict(cookies or {})
        self.answers: list[tuple[str, str, int]] = []

    def get(self, path: str) -> Answer:
        return self._send("GET", path)

    def post(self, path: str, form: dict[str, str]) -> Answer:
        form = form | {"csrfmiddlewaretoken": self.cookies["csrftoken"]}
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self._send("POST", path, urlencode(form), headers)

    def _send(self, method: str, path: str, body: str | None = None, headers=None) -> Answer:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection = http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value or morsel.value == '""':
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        view = resolve(urlsplit(path).path).view_name
        self.answers.append((method, view, response.status))
        return Answer(response.status, response.headers.get("Location", ""), text)


def _permalink_pk(location: str) -> int:
    """The comment a successful post redirects to (its permalink)."""
    match = resolve(urlsplit(location).path)
    assert match.view_name == "comments:permalink", f"unexpected redirect to {location}"
    return int(match.kwargs["pk"])


@dataclass
class Known:
    """A comment every member may answer, like or report."""

    pk: int
    author_id: int
    where: str  # "thread:<pk>" or "post:<pk>"
    root_pk: int


@dataclass
class Site:
    base_url: str
    threads: list[Thread]
    post: object
    comments: list[Known] = field(default_factory=list)
    # Comments their authors deleted: a reply, like or report racing the delete may be refused.
    deleted: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def places(self) -> list[str]:
        return [f"thread:{thread.pk}" for thread in self.threads] + [f"post:{self.post.pk}"]

    def remember(self, known: Known) -> None:
        with self.lock:
            self.comments.append(known)

    def forget(self, pk: int) -> None:
        with self.lock:
            self.deleted.add(pk)
            self.comments = [known for known in self.comments if known.pk != pk]

    def pick(self, rng: random.Random, *, not_by: int | None = None) -> Known | None:
        with self.lock:
            choices = [known for known in self.comments if known.author_id != not_by]
        return rng.choice(choices) if choices else None

    def page_url(self, where: str) -> str:
        kind, pk = where.split(":")
        if kind == "post":
            return self.post.get_absolute_url()
        return next(thread for thread in self.threads if thread.pk == int(pk)).get_absolute_url()


def _comment_url(where: str) -> str:
    kind, pk = where.split(":")
    name = "comments:post-comment" if kind == "post" else "comments:comment-create"
    return reverse(name, kwargs={"pk": int(pk)})


def _follow_url(where: str) -> str:
    kind, pk = where.split(":")
    name = "comments:post-follow" if kind == "post" else "comments:follow"
    return reverse(name, kwargs={"pk": int(pk)})


@dataclass
class Posted:
    pk: int
    where: str
    text: str
    parent: Known | None


class Member:
    """One member's session and what they were told they did."""

    def __init__(self, index: int, user, site: Site, session: str) -> None:
        self.user = user
        self.site = site
        self.rng = random.Random(index)
        self.browser = Browser(site.base_url, {django_settings.SESSION_COOKIE_NAME: session})
        self.posted: list[Posted] = []
        self.refused_texts: list[str] = []
        self.likes: dict[int, bool] = {}  # comment pk: liked after the member's last say
        self.reported: set[int] = set()
        self.deleted: set[int] = set()  # their own comments they deleted
        self.following: dict[str, bool] = {}
        self.done = Counter()  # (operation, status)
        self.unexpected: list[str] = []
        self._texts = 0

    def warm_up(self) -> None:
        """The first page, as a browser opens it: it sets the csrftoken cookie."""
        answer = self.browser.get(self.site.page_url(self.site.places()[0]))
        assert answer.status == 200, answer.status
        assert "csrftoken" in self.browser.cookies

    def run(self, start: threading.Barrier) -> "Member":
        start.wait(timeout=REQUEST_TIMEOUT)
        names, weights = zip(*OPERATIONS.items(), strict=True)
        for _ in range(OPERATIONS_PER_MEMBER):
            operation = self.rng.choices(names, weights)[0]
            getattr(self, operation.replace("-", "_"))()
        return self

    def _text(self) -> str:
        self._texts += 1
        return f"Member {self.user.pk} says their piece, number {self._texts}."

    def _write(
        self, operation: str, path: str, form: dict[str, str], *, about: int | None = None
    ) -> Answer:
        """POST a form; `about`, the comment it answers, likes or reports, which its author may
        have deleted meanwhile: then a refusal (400, 404) is expected too."""
        answer = self.browser.post(path, form)
        self.done[operation, answer.status] += 1
        refused_as_gone = about in self.site.deleted and answer.status in {400, 404}
        if answer.status not in WRITE_ANSWERS and not refused_as_gone:
            self.unexpected.append(f"{operation} POST {path} answered {answer.status}")
        return answer

    def comment(self) -> None:
        where = self.rng.choice(self.site.places())
        text = self._text()
        answer = self._write("comment", _comment_url(where), {"body": text, "sort": "oldest"})
        self._posted(answer, where=where, text=text, parent=None)

    def reply(self) -> None:
        parent = self.site.pick(self.rng)
        if parent is None:
            self.comment()
            return
        text = self._text()
        url = reverse("comments:reply", kwargs={"pk": parent.pk})
        answer = self._write("reply", url, {"body": text}, about=parent.pk)
        self._posted(answer, where=parent.where, text=text, parent=parent)

    def _posted(self, answer: Answer, *, where: str, text: str, parent: Known | None) -> None:
        if answer.status in {400, 404, 429}:
            self.refused_texts.append(text)
        if answer.status != 302:
            return
        pk = _permalink_pk(answer.location)
        self.posted.append(Posted(pk=pk, where=where, text=text, parent=parent))
        root_pk = parent.root_pk if parent else pk
        self.site.remember(Known(pk=pk, author_id=self.user.pk, where=where, root_pk=root_pk))
        self.following[where] = True  # Writing in a discussion follows it.

    def like(self, *, liked: bool = True) -> None:
        if liked:
            target = self.site.pick(self.rng)
            pk = target.pk if target else None
        else:
            mine = [pk for pk, now in self.likes.items() if now]
            pk = self.rng.choice(mine) if mine else None
            if pk is None and (target := self.site.pick(self.rng)):
                pk = target.pk  # Taking back a like never given: still a success, no row.
        if pk is None:
            return
        url = reverse("comments:like", kwargs={"pk": pk})
        form = {"like": "1" if liked else "0"}
        answer = self._write("like" if liked else "unlike", url, form, about=pk)
        if answer.status == 302:
            self.likes[pk] = liked

    def unlike(self) -> None:
        self.like(liked=False)

    def report(self) -> None:
        target = self.site.pick(self.rng, not_by=self.user.pk)
        if target is None:
            return
        url = reverse("comments:flag", kwargs={"pk": target.pk})
        reason = self.rng.choice([FlagReason.SPAM, FlagReason.OFF_TOPIC, FlagReason.OTHER])
        form = {"reason": reason, "note": self._text()}
        answer = self._write("report", url, form, about=target.pk)
        if answer.status == 302:
            self.reported.add(target.pk)

    def follow(self) -> None:
        where = self.rng.choice(self.site.places())
        answer = self._write("follow", _follow_url(where), {})
        if answer.status == 302:
            self.following[where] = not self.following.get(where, False)

    def delete(self) -> None:
        """Take back one of one's own comments, racing the others' replies, likes and reports
        to it (this once deadlocked on PostgreSQL: delete and reply locked rows in opposite
        orders)."""
        mine = [posted for posted in self.posted if posted.pk not in self.deleted]
        if not mine:
            self.comment()
            return
        posted = self.rng.choice(mine)
        self.site.forget(posted.pk)  # Before the request: others may race it from now on.
        answer = self._write("delete", reverse("comments:delete", kwargs={"pk": posted.pk}), {})
        if answer.status == 302:
            self.deleted.add(posted.pk)

    def read(self) -> None:
        where = self.rng.choice(self.site.places())
        for path in (self.site.page_url(where), reverse("comments:notification-badge")):
            answer = self.browser.get(path)
            self.done["read", answer.status] += 1
            if answer.status != 200:
                self.unexpected.append(f"read GET {path} answered {answer.status}")

    def read_notifications(self) -> None:
        self._write("read-notifications", reverse("comments:notifications-read"), {})


def _thread_of(where: str) -> Thread:
    kind, pk = where.split(":")
    return Thread.objects.get(post_id=pk) if kind == "post" else Thread.objects.get(pk=pk)


def site_deleted(members: list[Member]) -> set[int]:
    return members[0].site.deleted if members else set()


def _lost_writes(members: list[Member]) -> list[str]:
    """Every write that answered success, looked for in the rows; every refused one, not."""
    lost = []
    for member in members:
        uid = member.user.pk
        for posted in member.posted:
            comment = Comment.objects.filter(pk=posted.pk).first()
            if comment is None:
                lost.append(f"comment {posted.pk} by member {uid} answered 302 but is not stored")
                continue
            expected_root = posted.parent.root_pk if posted.parent else None
            deleted = posted.pk in member.deleted
            expected_status = CommentStatus.DELETED if deleted else CommentStatus.VISIBLE
            if (
                comment.author_id != uid
                or comment.thread_id != _thread_of(posted.where).pk
                or posted.text not in comment.body
                or comment.root_id != expected_root
                or comment.status != expected_status
            ):
                lost.append(f"comment {posted.pk} by member {uid} is not as posted: {comment!r}")
            answered = posted.parent
            # A comment deleted by its author a moment after a reply to it is no news to them:
            # the task telling them reads it when it runs and skips a comment no longer shown.
            gone = answered is not None and answered.pk in site_deleted(members)
            if answered and answered.author_id != uid and not gone:
                told = Notification.objects.filter(
                    recipient_id=answered.author_id, comment=comment, kind=NotificationKind.REPLY
                )
                if not told.exists():
                    lost.append(f"reply {posted.pk}: its parent's author has no notification")
        for text in member.refused_texts:
            if Comment.objects.filter(body__contains=text).exists():
                lost.append(f"refused comment by member {uid} was stored: {text!r}")
        likes = set(Reaction.objects.filter(user_id=uid).values_list("comment_id", flat=True))
        for pk, liked in member.likes.items():
            if pk in site_deleted(members):
                continue  # A like racing the delete may have been refused with a message.
            if liked != (pk in likes):
                lost.append(f"member {uid} last said liked={liked} for comment {pk}")
        reported = set(
            Flag.objects.filter(reporter_id=uid, resolved_at__isnull=True).values_list(
                "comment_id", flat=True
            )
        )
        if reported - site_deleted(members) != member.reported - site_deleted(members):
            lost.append(f"member {uid} reported {member.reported}, open reports {reported}")
        for where, following in member.following.items():
            follows = Subscription.objects.filter(thread=_thread_of(where), user_id=uid).exists()
            if follows != following:
                lost.append(f"member {uid} last said following={following} for {where}")
    return lost


def _counter_drift() -> list[str]:
    """Every counter column against a recount of its rows."""
    drift = []
    visible = Comment.objects.filter(status=CommentStatus.VISIBLE)
    for thread in Thread.objects.all():
        rows = visible.filter(thread=thread).count()
        if thread.comment_count != rows:
            drift.append(f"thread {thread.pk}: comment_count {thread.comment_count}, rows {rows}")
    for comment in Comment.objects.all():
        likes = Reaction.objects.filter(comment=comment).count()
        if comment.like_count != likes:
            drift.append(f"comment {comment.pk}: like_count {comment.like_count}, rows {likes}")
        if comment.root_id is None:
            replies = visible.filter(root=comment).count()
            if comment.reply_count != replies:
                drift.append(
                    f"comment {comment.pk}: reply_count {comment.reply_count}, rows {replies}"
                )
    return drift


def _counts_shown_differ(site: Site, members: list[Member]) -> list[str]:
    """What the pages show (the heading's comment count, to a member and to a visitor from the
    page cache; the header's unread count) against the rows."""
    differ = []
    visible = Comment.objects.filter(status=CommentStatus.VISIBLE)
    for where in site.places():
        thread = _thread_of(where)
        rows = visible.filter(thread=thread).count()
        pattern = re.compile(COUNT_IN_HEADING.format(thread.pk))
        for reader in (members[0].browser, Browser(site.base_url)):
            answer = reader.get(site.page_url(where))
            shown = pattern.search(answer.body)
            if answer.status != 200 or not shown or int(shown.group(1)) != rows:
                found = shown.group(1) if shown else "no count"
                differ.append(f"{where} page ({answer.status}) shows {found}, rows {rows}")
    for member in members:
        answer = member.browser.get(reverse("comments:notification-badge"))
        shown = UNREAD_IN_BADGE.search(answer.body)
        unread = int(shown.group(1)) if shown else 0
        rows = Notification.objects.filter(
            recipient=member.user, read_at__isnull=True, comment__status=CommentStatus.VISIBLE
        ).count()
        if answer.status != 200 or unread != rows:
            differ.append(f"member {member.user.pk} header shows {unread} unread, rows {rows}")
    return differ


@pytest.fixture
def trusting_site(settings, monkeypatch):
    """Members are trusted, reports hide nothing and rate limits stay out of the way (a 429
    would still be accepted, as refused)."""
    settings.NEW_MEMBER_HOURS = 0
    settings.NEW_MEMBER_MIN_COMMENTS = 0
    settings.NEW_MEMBER_POSTS_PER_HOUR = 10_000
    settings.COMMENTS_AUTO_HIDE_REPORTS = 1000
    for action, (_, window) in list(ratelimit.LIMITS.items()):
        monkeypatch.setitem(ratelimit.LIMITS, action, (10_000, window))


def test_concurrent_members_lose_no_write_and_every_counter_equals_its_rows(
    live_server, trusting_site
):
    threads = [start_thread(author=make_user()) for _ in range(THREADS)]
    site = Site(base_url=live_server.url, threads=threads, post=make_post())
    for thread in threads:
        first = thread.comments.get()
        where = f"thread:{thread.pk}"
        site.remember(Known(pk=first.pk, author_id=first.author_id, where=where, root_pk=first.pk))
    members = []
    for index in range(MEMBERS):
        user = make_user()
        signed_in = Client()
        signed_in.force_login(user)
        session = signed_in.cookies[django_settings.SESSION_COOKIE_NAME].value
        members.append(Member(index, user, site, session))
    for member in members:
        member.warm_up()

    start = threading.Barrier(MEMBERS)
    pool = ThreadPoolExecutor(max_workers=MEMBERS)
    futures = [pool.submit(member.run, start) for member in members]
    _, running = wait(futures, timeout=RUN_TIMEOUT)
    pool.shutdown(wait=not running, cancel_futures=True)
    assert not running, f"{len(running)} members still waiting for an answer: a hang"
    for future in futures:
        future.result()  # A client's own failure (a dropped connection) is raised here.

    answers = Counter()
    for member in members:
        answers.update(member.done)
    operations = MEMBERS * OPERATIONS_PER_MEMBER
    print(f"\n{operations} operations, {sum(answers.values())} requests: {sorted(answers.items())}")
    everything = [answer for member in members for answer in member.browser.answers]
    server_errors = [answer for answer in everything if answer[2] >= 500]
    assert not server_errors
    unexpected = [line for member in members for line in member.unexpected]
    assert not unexpected
    writes_done = sum(count for (_, status), count in answers.items() if status == 302)
    assert writes_done > operations // 2, "the members hardly wrote"
    lost = _lost_writes(members)
    assert not lost
    drift = _counter_drift()
    assert not drift
    shown_wrong = _counts_shown_differ(site, members)
    assert not shown_wrong
