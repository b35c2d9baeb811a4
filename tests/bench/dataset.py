"""The bench's data set, built with bulk inserts into the bench's own database (Django must be
set up on it): the demo content, 200 people, 50 more posts, members, threads of 10, 1,000 and
10,000 comments, one top-level comment with 5,000 replies, a thread with 200 followers to post
in, and comments enough for 100,000 in all, which search runs over.

Bulk inserts skip `save()` and the services, so what those would keep up is set here: rendered
body_html, the threads' comment_count and the top-level comments' reply_count. The search
indexes need nothing: SQLite's FTS5 triggers and PostgreSQL's GIN indexes follow inserts.
"""

import io
import random
from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.models import User
from comments.models import Comment, Subscription, Thread
from films.models import Character, Credit, Department, Film, Person
from news.models import Post, PostStatus

MEMBERS = 400  # enough that posting rotates through them without meeting the rate limit
FOLLOWERS = 200
PEOPLE = 200
POSTS = 50
THREAD_SIZES = (10, 1_000, 10_000)
REPLIES_UNDER_ONE = 5_000
ALL_COMMENTS = 100_000
BATCH = 5_000

# Words of the search comments: common ones in many comments, RARE_WORD in one in 1,000.
COMMON_WORDS = [
    *("reunion", "outfit", "scene", "friends", "prom", "glue", "business", "school", "tucson"),
    *("dance", "film", "sequel", "laugh", "cast", "dress", "party", "shoes", "car", "diner"),
    *("class", "friendship", "memory"),
]
RARE_WORD = "zanzibar"
SEARCHES = [RARE_WORD, "reunion outfit", "reunion outfit prom", "kudrow sorvino"]


@dataclass
class DataSet:
    """What the pages are measured on: the paths to load, and the members to load them as."""

    paths: dict[str, str] = field(default_factory=dict)
    viewer_session: str = ""
    poster_sessions: list[str] = field(default_factory=list)
    posting_path: str = ""  # where its comment form posts


def build() -> DataSet:
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", stdout=io.StringIO())
    rng = random.Random(14)
    members = _members()
    data = DataSet()
    data.paths.update(_film_pages())
    data.paths["news index"] = "/news/"
    data.paths["post"] = _posts()
    for size in THREAD_SIZES:
        thread = _thread(f"A thread of {size:,} comments", size, members)
        data.paths[f"thread, {size:,} comments"] = thread.get_absolute_url()
    data.paths["5,000 replies to one comment"] = _long_replies(members).get_absolute_url()
    followed = _thread(f"A thread {FOLLOWERS} members follow", 10, members)
    Subscription.objects.bulk_create(
        Subscription(thread=followed, user=member) for member in members[:FOLLOWERS]
    )
    data.posting_path = followed.get_comment_url()
    _search_comments(ALL_COMMENTS - Comment.objects.count(), members, rng)
    if connection.vendor == "postgresql":
        # Planner statistics, as autovacuum would gather them soon after a load this size.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    for query in SEARCHES:
        data.paths[f"search: {query}"] = "/search/?q=" + query.replace(" ", "+")
    data.viewer_session = session_for(members[0])
    data.poster_sessions = [session_for(member) for member in members]
    return data


def session_for(user: User) -> str:
    """A signed-in session, as a login would leave it; its key is the session cookie."""
    from django.conf import settings

    session = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _members() -> list[User]:
    """Verified members who are no longer new (a month old; their comments come later), so the
    new-member limits do not apply to them."""
    password = make_password("bench-password")
    joined = timezone.now() - timedelta(days=30)
    members = User.objects.bulk_create(
        User(
            username=f"bench{n}",
            email=f"bench{n}@example.com",
            password=password,
            date_joined=joined,
        )
        for n in range(MEMBERS)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=member, email=member.email, verified=True, primary=True)
        for member in members
    )
    return members


def _film_pages() -> dict[str, str]:
    """The demo's film, person and character with the most credits; the film gets 40 more cast
    credits from the 200 bench people, as a large cast would."""
    film = Film.objects.annotate(n=Count("credits")).order_by("-n", "pk").first()
    person = Person.objects.annotate(n=Count("credits")).order_by("-n", "pk").first()
    character = Character.objects.annotate(n=Count("credits")).order_by("-n", "pk").first()
    people = Person.objects.bulk_create(
        Person(name=f"Bench Person {n}", slug=f"bench-person-{n}", bio="An actor.")
        for n in range(PEOPLE)
    )
    characters = Character.objects.bulk_create(
        Character(name=f"Bench Character {n}", slug=f"bench-character-{n}") for n in range(40)
    )
    Credit.objects.bulk_create(
        Credit(
            film=film,
            person=people[n],
            character=characters[n],
            department=Department.CAST,
            billing=100 + n,
        )
        for n in range(40)
    )
    return {
        "home": "/",
        "film": film.get_absolute_url(),
        "cast": film.get_cast_url(),
        "person": person.get_absolute_url(),
        "character": character.get_absolute_url(),
    }


def _posts() -> str:
    """50 published posts (saved one by one: save renders their Markdown); the newest's path."""
    now = timezone.now()
    for n in range(POSTS):
        Post.objects.create(
            title=f"Bench news {n}",
            slug=f"bench-news-{n}",
            standfirst="Something happened on the set.",
            body="A paragraph of news.\n\nAnother paragraph, with **emphasis**.",
            status=PostStatus.PUBLISHED,
            published_at=now - timedelta(hours=n + 1),
        )
    return Post.objects.published().order_by("-published_at").first().get_absolute_url()


def _comment(thread: Thread, author: User, body: str, parent: Comment | None = None) -> Comment:
    return Comment(
        thread=thread,
        author=author,
        parent=parent,
        root=parent,
        depth=1 if parent else 0,
        body=body,
        body_html=f"<p>{body}</p>",
    )


def _thread(title: str, size: int, members: list[User]) -> Thread:
    """A thread of `size` comments: a fifth top-level, the rest replies spread over them."""
    thread = Thread.objects.create(title=title, starter=members[0])
    roots = Comment.objects.bulk_create(
        _comment(thread, members[n % len(members)], f"Top-level comment {n}.")
        for n in range(max(1, size // 5))
    )
    replies = [
        _comment(thread, members[n % len(members)], f"Reply {n}.", roots[n % len(roots)])
        for n in range(size - len(roots))
    ]
    Comment.objects.bulk_create(replies, batch_size=BATCH)
    _count(thread, roots, replies)
    return thread


def _long_replies(members: list[User]) -> Thread:
    """20 top-level comments, the first with REPLIES_UNDER_ONE replies."""
    thread = Thread.objects.create(title="One comment, 5,000 replies", starter=members[0])
    roots = Comment.objects.bulk_create(
        _comment(thread, members[n], f"Top-level comment {n}.") for n in range(20)
    )
    replies = [
        _comment(thread, members[n % len(members)], f"Reply {n}.", roots[0])
        for n in range(REPLIES_UNDER_ONE)
    ]
    Comment.objects.bulk_create(replies, batch_size=BATCH)
    _count(thread, roots, replies)
    return thread


def _count(thread: Thread, roots: list[Comment], replies: list[Comment]) -> None:
    """The counter columns the services would have kept."""
    per_root: dict[int, int] = {}
    for reply in replies:
        per_root[reply.root_id] = per_root.get(reply.root_id, 0) + 1
    by_count: dict[int, list[int]] = {}
    for root in roots:
        by_count.setdefault(per_root.get(root.pk, 0), []).append(root.pk)
    for count, pks in by_count.items():
        Comment.objects.filter(pk__in=pks).update(reply_count=count)
    last = replies[-1] if replies else roots[-1]
    Thread.objects.filter(pk=thread.pk).update(
        comment_count=len(roots) + len(replies), last_commenter=last.author
    )


def _search_comments(count: int, members: list[User], rng: random.Random) -> None:
    """`count` top-level comments of 12 words over threads of 100, for search."""
    threads = Thread.objects.bulk_create(
        Thread(
            title=" ".join(rng.sample(COMMON_WORDS, 4)).capitalize(),
            starter=members[n % len(members)],
            comment_count=100,
        )
        for n in range(max(1, count // 100))
    )
    for start in range(0, count, BATCH):
        rows = []
        for n in range(start, min(count, start + BATCH)):
            words = rng.choices(COMMON_WORDS, k=12)
            if n % 1000 == 0:
                words[5] = RARE_WORD
            body = " ".join(words).capitalize() + "."
            rows.append(_comment(threads[n % len(threads)], members[n % len(members)], body))
        Comment.objects.bulk_create(rows)
