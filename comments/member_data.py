"""What the discussions hold about one member: exported when they take their data, erased when
they leave and ask for it (accounts cannot import comments, so the site-level views in fansite
call these)."""

from collections import Counter

from django.db import transaction
from django.db.models import F

from accounts.absolute_urls import absolute_url
from comments.caching import thread_changed
from comments.models import (
    Comment,
    CommentStatus,
    EmailChoice,
    Flag,
    Follow,
    Notification,
    Reaction,
    SeenFilm,
    Subscription,
    Thread,
)


def _time(value) -> str | None:
    return value.isoformat() if value else None


def member_comments_data(user, request=None) -> dict:
    """Everything of the member's in the discussions, as JSON-ready data, in nine queries
    (whatever the number of rows). Their follows, seen films and email choices go with the
    account when it is deleted (cascade)."""
    comments = Comment.objects.filter(author=user).select_related("thread").order_by("pk")
    reactions = Reaction.objects.filter(user=user).select_related("comment").order_by("pk")
    flags = Flag.objects.filter(reporter=user).order_by("pk")
    follows = Subscription.objects.filter(user=user).select_related("thread").order_by("pk")
    notifications = Notification.objects.filter(recipient=user).for_list().order_by("pk")
    subjects = Follow.objects.filter(user=user).for_list().order_by("pk")
    seen = SeenFilm.objects.filter(user=user).select_related("film").order_by("pk")
    email_choices = EmailChoice.objects.filter(user=user).order_by("kind")
    started = Thread.objects.filter(starter=user).order_by("pk")

    def link_to(path: str) -> str:
        return absolute_url(path, request)

    def link(obj) -> str:
        return link_to(obj.get_absolute_url())

    return {
        "comments": [
            {
                "id": comment.pk,
                "url": link(comment),
                "thread": {"title": comment.thread.title, "url": link(comment.thread)},
                "reply_to": comment.parent_id,
                "body": comment.body,
                "status": comment.status,
                "created_at": _time(comment.created_at),
                "edited_at": _time(comment.edited_at),
                "like_count": comment.like_count,
            }
            for comment in comments
        ],
        "threads_started": [
            {"title": thread.title, "url": link(thread), "created_at": _time(thread.created_at)}
            for thread in started
        ],
        "likes": [
            {"comment": link(reaction.comment), "created_at": _time(reaction.created_at)}
            for reaction in reactions
        ],
        "reports": [
            {
                "comment": absolute_url(Comment(pk=flag.comment_id).get_absolute_url(), request),
                "reason": flag.reason,
                "note": flag.note,
                "created_at": _time(flag.created_at),
                "resolved_at": _time(flag.resolved_at),
                "outcome": flag.outcome,
            }
            for flag in flags
        ],
        "follows": [
            {
                "thread": {"title": follow.thread.title, "url": link(follow.thread)},
                "created_at": _time(follow.created_at),
            }
            for follow in follows
        ],
        "following": [
            {
                "kind": follow.subject._meta.model_name,
                "name": str(follow.subject),
                "url": link(follow.subject),
                "created_at": _time(follow.created_at),
            }
            for follow in subjects
        ],
        "seen_films": [
            {
                "film": seen_film.film.title,
                "url": link(seen_film.film),
                "created_at": _time(seen_film.created_at),
            }
            for seen_film in seen
        ],
        "email_choices": {choice.kind: choice.wanted for choice in email_choices},
        "notifications": [
            {
                "kind": notification.kind,
                "comment": link(notification.comment) if notification.comment_id else None,
                "about": notification.about,
                "url": link_to(notification.get_target_url()),
                "thread": notification.comment.thread.title if notification.comment_id else None,
                "from": notification.actor.username if notification.actor else None,
                "created_at": _time(notification.created_at),
                "read_at": _time(notification.read_at),
            }
            for notification in notifications
        ],
    }


@transaction.atomic
def member_comments_erase(*, user) -> int:
    """Erase the text of every comment the member wrote. Each keeps its place as a deleted
    comment (an author's delete: counters lose the visible ones), so replies still read in
    context; removed comments stay removed. Returns how many comments were erased."""
    # Their threads' rows first, then the comments: the order every write takes
    # (services.lock_comment), so this never deadlocks with a reply being posted.
    thread_ids = set(Comment.objects.filter(author=user).values_list("thread_id", flat=True))
    list(Thread.objects.select_for_update().filter(pk__in=thread_ids).order_by("pk").values("pk"))
    mine = Comment.objects.select_for_update().filter(author=user)
    rows = list(mine.only("pk", "thread_id", "root_id", "status"))
    visible = [row for row in rows if row.status == CommentStatus.VISIBLE]
    for thread_id, count in Counter(row.thread_id for row in visible).items():
        Thread.objects.filter(pk=thread_id).update(comment_count=F("comment_count") - count)
    for root_id, count in Counter(row.root_id for row in visible if row.root_id).items():
        Comment.objects.filter(pk=root_id).update(reply_count=F("reply_count") - count)
    mine.exclude(status=CommentStatus.REMOVED).update(status=CommentStatus.DELETED)
    mine.update(body="", body_html="")
    thread_ids = sorted({row.thread_id for row in rows})
    if thread_ids:
        thread_changed(*thread_ids)
    return len(rows)
