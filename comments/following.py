"""Following films, people and characters, and telling their followers what happens.

A member who follows a film, person or character (a Follow) hears, on the site and by email if
they want it (comments.emails), of:
- a news post related to it, once the post is published and due (`announce_post`; scheduled
  posts when they fall due: `announce_due_posts`, run every minute by the command of that name,
  and a deferred task where the task backend can run one later);
- a discussion started about it (`announce_thread`, queued by services.thread_start);
- a change of a credit's status on the who-is-returning tracker, for a person or character they
  follow (`announce_status_change`).

One notification per event per member, however many of its subjects they follow. Each fan-out
is a fixed number of queries whatever the number of followers, and the unique constraints on
Notification make running one twice harmless. Only posts that everyone may read are announced,
so nothing of a draft reaches a member who may not preview drafts.
"""

from datetime import timedelta
from functools import partial

from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Q
from django.tasks import default_task_backend
from django.utils import timezone

from comments import tasks
from comments.emails import email_later
from comments.models import (
    Follow,
    Notification,
    NotificationKind,
    PostAnnouncement,
    Thread,
)
from comments.queue import enqueue_on_commit
from comments.tasks import announce_post_when_due
from films.models import CreditStatusChange
from news.models import Post

SUBJECT_FIELDS = ("film", "person", "character")
# A post that came out longer ago than this is no news: re-saving an old post (or one published
# before following existed) tells nobody. Also how long the site may be down and still announce
# the scheduled posts that fell due meanwhile.
ANNOUNCE_WITHIN = timedelta(days=2)


def subject_field(subject: models.Model) -> str:
    """ "film", "person" or "character": the Follow (and Thread) field naming the subject."""
    field = subject._meta.model_name
    if field not in SUBJECT_FIELDS or subject._meta.app_label != "films":
        raise TypeError(f"Only a film, a person or a character can be followed, not {subject!r}.")
    return field


# Following ------------------------------------------------------------------------------------


@transaction.atomic
def follow_set(*, user, subject: models.Model, following: bool) -> bool:
    """Follow a film, person or character, or stop following it, whatever the state was:
    asking twice is the same as asking once. Returns whether the user now follows it."""
    field = subject_field(subject)
    if following:
        Follow.objects.get_or_create(user=user, **{field: subject})
    else:
        Follow.objects.of(subject).filter(user=user).delete()
    return following


@transaction.atomic
def follow_toggle(*, user, subject: models.Model) -> bool:
    """Follow the subject, or stop following it. Returns whether the user now follows it."""
    subject_field(subject)
    deleted, _ = Follow.objects.of(subject).filter(user=user).delete()
    if deleted:
        return False
    return follow_set(user=user, subject=subject, following=True)


def followers_count(subject: models.Model) -> int:
    return Follow.objects.of(subject).count()


def is_following(user, subject: models.Model) -> bool:
    return user.is_authenticated and Follow.objects.of(subject).filter(user=user).exists()


# Telling followers ----------------------------------------------------------------------------


def _in_words(names: list[str]) -> str:
    """ "Alan Cumming", "Alan Cumming and Lisa Kudrow", "Alan Cumming, Lisa Kudrow and 2 more"."""
    if len(names) <= 2:
        return " and ".join(names)
    return f"{names[0]}, {names[1]} and {len(names) - 2} more"


def _followers(follows: models.QuerySet, *, exclude: set) -> dict[int, str]:
    """Each active follower once (user id: what they follow, in words), from one query over
    the follows that concern an event. People come first, then characters, then films."""
    rows = (
        follows.filter(user__is_active=True)
        .exclude(user_id__in=[user_id for user_id in exclude if user_id])
        .values_list("user_id", "person__name", "character__name", "film__title")
        .order_by("user_id", "person__name", "character__name", "film__title")
    )
    names: dict[int, list[list[str]]] = {}
    for user_id, person, character, film in rows:
        kinds = names.setdefault(user_id, [[], [], []])
        for position, name in enumerate((person, character, film)):
            if name:
                kinds[position].append(name)
    return {user_id: _in_words(sum(kinds, [])) for user_id, kinds in names.items()}


def _fan_out(followers: dict[int, str], **event) -> int:
    """One notification per follower about the event (post=, thread= or status_change=, with
    kind=), and their emails after commit. A member already told of it is skipped by the unique
    constraints. Three queries and one per kind of email, however many followers."""
    if not followers:
        return 0
    now = timezone.now()
    about_field = Notification._meta.get_field("about").max_length
    Notification.objects.bulk_create(
        [
            Notification(recipient_id=user_id, about=about[:about_field], created_at=now, **event)
            for user_id, about in followers.items()
        ],
        ignore_conflicts=True,
    )
    # Inserted with ignore_conflicts, the rows come back without their ids: read those made
    # now (a row made earlier for the same member has another created_at).
    made = list(
        Notification.objects.filter(created_at=now, **event).only("pk", "recipient_id", "kind")
    )
    email_later(made)
    return len(made)


def _with_subjects() -> Q:
    return Q(films__isnull=False) | Q(people__isnull=False) | Q(characters__isnull=False)


def _news() -> models.QuerySet[Post]:
    """Posts to announce: published, due within ANNOUNCE_WITHIN, about a film, person or
    character (one not yet related is announced when it is, and saved)."""
    recent = Post.objects.published().filter(published_at__gte=timezone.now() - ANNOUNCE_WITHIN)
    return Post.objects.filter(pk__in=recent.filter(_with_subjects()).values("pk"))


@transaction.atomic
def announce_post(*, post: Post) -> int:
    """Tell the followers of a news post's films, people and characters that it is out, once
    it is published and due: each member once per post, however often it is announced (the
    notifications' unique constraint). Saving it again within ANNOUNCE_WITHIN tells only the
    followers not told yet: those of a person the editor related afterwards (the admin's
    suggested links). The PostAnnouncement row marks it announced for announce_due_posts.
    Drafts and posts not yet due tell nobody, and neither do posts out for longer than
    ANNOUNCE_WITHIN or with no film, person or character related. Returns how many members
    were told now."""
    if not _news().filter(pk=post.pk).exists():
        return 0
    PostAnnouncement.objects.get_or_create(post_id=post.pk)
    follows = Follow.objects.filter(
        Q(film__in=post.films.values("pk"))
        | Q(person__in=post.people.values("pk"))
        | Q(character__in=post.characters.values("pk"))
    )
    followers = _followers(follows, exclude={post.author_id})
    return _fan_out(followers, post=post, kind=NotificationKind.NEWS)


def announce_post_when_saved(*, post_id: int) -> None:
    """After a post is saved: queue its announcement if it is out, or, when it is scheduled
    and the task backend can run a task later, for its publication date (the
    announce_due_posts command covers the backends that cannot)."""
    post = Post.objects.filter(pk=post_id).first()
    if post is None:
        return
    if post.is_published():
        enqueue_on_commit(announce_post_when_due, post.pk)
    elif post.is_scheduled and default_task_backend.supports_defer:
        # Once per post and date, however often it is saved (the admin saves a post and then
        # its relations): the shared cache remembers what was queued.
        key = f"comments:announce-queued:{post.pk}:{post.published_at.isoformat()}"
        until_due = (post.published_at - timezone.now()).total_seconds()
        if cache.add(key, True, timeout=int(until_due) + 3600):
            task = announce_post_when_due.using(run_after=post.published_at)
            transaction.on_commit(partial(task.enqueue, post.pk))


def due_posts() -> models.QuerySet[Post]:
    """The posts to announce that were not yet: what announce_due_posts tells followers of."""
    return _news().filter(announcement__isnull=True)


def announce_due_posts() -> int:
    """Announce every post that has fallen due and was not announced yet (scheduled posts,
    and any whose announcement after saving did not happen). Returns how many members were
    told. Run every minute: `manage.py announce_due_posts --every 60`."""
    told = 0
    for post in due_posts().order_by("published_at", "pk"):
        told += announce_post(post=post)
    return told


@transaction.atomic
def announce_thread(*, thread: Thread) -> int:
    """Tell the followers of the thread's film, person or character that it was started (not
    the starter). A post's thread is its comments, not a discussion started: nobody is told.
    Returns how many members were told."""
    subject = thread.film or thread.person or thread.character
    if subject is None:
        return 0
    followers = _followers(Follow.objects.of(subject), exclude={thread.starter_id})
    return _fan_out(
        followers, thread=thread, kind=NotificationKind.NEW_THREAD, actor_id=thread.starter_id
    )


@transaction.atomic
def announce_status_change(*, change: CreditStatusChange) -> int:
    """Tell the followers of a credit's person and of its character that its status on the
    who-is-returning tracker changed: one notification per member. Returns how many."""
    credit = change.credit
    follows = Q(person_id=credit.person_id)
    if credit.character_id:
        follows |= Q(character_id=credit.character_id)
    followers = _followers(Follow.objects.filter(follows), exclude=set())
    return _fan_out(followers, status_change=change, kind=NotificationKind.TRACKER)


def announce_status_change_saved(*, change_id: int) -> None:
    enqueue_on_commit(tasks.announce_status_change, change_id)
