"""Benchmarks: `make bench`. Prints numbers, asserts nothing.

Builds data sets in a throwaway test database (in-memory SQLite, or a `test_` copy of the
PostgreSQL database when DATABASE_URL is set), then renders the main pages in-process with
Django's test client. The machine is shared and noisy, so compare the ratios measured in one
run (a 2,000-comment thread against a 100-comment one whose first page shows as many
comments), not absolute times between runs.
"""

import os
import statistics
import time
from collections.abc import Callable
from urllib.parse import urlencode

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fansite.settings")
os.environ.setdefault("ACCOUNT_RATE_LIMITS_ENABLED", "false")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "25"))


def measure(client: Client, url: str) -> tuple[float, float, int]:
    """Median and 90th-percentile milliseconds over ROUNDS requests, and the query count."""
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Counted now: every request_started empties the connection's query log.
    query_count = len(queries)
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.9) - 1], query_count


def build_film(credits: int):
    from tests.factories import make_credit, make_film

    film = make_film()
    for billing in range(1, credits + 1):
        make_credit(film=film, billing=billing)
    return film


def build_thread(comments: int):
    """A thread with a fifth of its comments top-level and the rest replies under them."""
    from comments.models import Comment
    from tests.factories import make_thread, make_user

    thread = make_thread()
    authors = [make_user() for _ in range(20)]
    roots = Comment.objects.bulk_create(
        Comment(
            thread=thread, author=authors[i % 20], body=f"Root {i}", body_html=f"<p>Root {i}</p>"
        )
        for i in range(max(1, comments // 5))
    )
    replies = [
        Comment(
            thread=thread,
            author=authors[i % 20],
            parent=roots[i % len(roots)],
            root=roots[i % len(roots)],
            depth=1,
            body=f"Reply {i}",
            body_html=f"<p>Reply {i}</p>",
        )
        for i in range(comments - len(roots))
    ]
    Comment.objects.bulk_create(replies)
    type(thread).objects.filter(pk=thread.pk).update(comment_count=comments)
    return thread


def build_news(posts: int):
    from tests.factories import make_post

    return [make_post() for _ in range(posts)]


SEARCH_COMMENTS = int(os.environ.get("BENCH_SEARCH_COMMENTS", "100000"))
# Words of the search data set: common ones in many comments, a rare one in few.
COMMON_WORDS = [
    *("reunion", "outfit", "scene", "friends", "prom", "glue", "business", "school", "tucson"),
    *("dance", "film", "sequel", "laugh", "cast", "dress", "party", "shoes", "car", "diner"),
    *("class", "friendship", "memory"),
]
RARE_WORD = "zanzibar"


def build_search_data(comments: int) -> None:
    """`comments` comments of 12 words each (one in 1,000 has RARE_WORD) over comments / 100
    threads, in batches, as bulk inserts: the FTS5 triggers (SQLite) and GIN indexes
    (PostgreSQL) are kept up as they would be in use."""
    import random

    from accounts.models import User
    from comments.models import Comment, Thread

    rng = random.Random(10)
    authors = list(User.objects.order_by("pk")[:20])  # the members the other data sets made
    threads = Thread.objects.bulk_create(
        Thread(
            title=" ".join(rng.sample(COMMON_WORDS, 4)).capitalize(),
            starter=authors[i % len(authors)],
        )
        for i in range(max(1, comments // 100))
    )
    batch = 5000
    for start in range(0, comments, batch):
        rows = []
        for i in range(start, min(comments, start + batch)):
            words = rng.choices(COMMON_WORDS, k=12)
            if i % 1000 == 0:
                words[5] = RARE_WORD
            body = " ".join(words).capitalize() + "."
            rows.append(
                Comment(
                    thread=threads[i % len(threads)],
                    author=authors[i % len(authors)],
                    body=body,
                    body_html=f"<p>{body}</p>",
                )
            )
        Comment.objects.bulk_create(rows)
    if connection.vendor == "postgresql":
        # Planner statistics, as autovacuum would gather them soon after a load this size
        # (without them PostgreSQL expects one matching comment and joins as if so).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main() -> None:
    setup_test_environment()
    runner = DiscoverRunner(verbosity=0, interactive=False)
    databases = runner.setup_databases()
    try:
        from fansite.management.commands.seed_demo import Command as SeedDemo

        SeedDemo().handle()
        small_film, large_film = build_film(3), build_film(60)
        # Same shape (a fifth top-level, four replies each): the first page shows the same comments.
        small_thread, large_thread = build_thread(100), build_thread(2000)
        build_news(40)
        from tests.factories import make_user

        client, member = Client(), Client()
        member.force_login(make_user())
        pages: list[tuple[str, Client, Callable[[], str]]] = [
            ("home", client, lambda: reverse("home")),
            ("films index", client, lambda: reverse("films:index")),
            ("cast page, 3 credits", client, lambda: reverse("films:cast", args=[small_film.slug])),
            (
                "cast page, 60 credits",
                client,
                lambda: reverse("films:cast", args=[large_film.slug]),
            ),
            ("film page, 60 credits", client, lambda: large_film.get_absolute_url()),
            ("news index", client, lambda: reverse("news:index")),
            ("discussions index", client, lambda: reverse("comments:index")),
            ("thread, 100 comments", client, lambda: small_thread.get_absolute_url()),
            ("thread, 2,000 comments", client, lambda: large_thread.get_absolute_url()),
            ("thread, 100, signed in", member, lambda: small_thread.get_absolute_url()),
            ("thread, 2,000, signed in", member, lambda: large_thread.get_absolute_url()),
            ("search", client, lambda: reverse("search") + "?q=romy"),
        ]
        print(f"Database: {connection.vendor}; {ROUNDS} requests per page, in-process.\n")
        print(f"{'page':<26}{'median ms':>10}{'p90 ms':>10}{'queries':>9}")
        results = {}
        for name, visitor, url in pages:
            median, p90, queries = measure(visitor, url())
            results[name] = median
            print(f"{name:<26}{median:>10.1f}{p90:>10.1f}{queries:>9}")
        print("\nRatios: the thread pages show one page of comments however long the thread, so")
        print("near 1.0 is right; the cast page shows every credit, so its time grows with them.")
        for small, large in [
            ("cast page, 3 credits", "cast page, 60 credits"),
            ("thread, 100 comments", "thread, 2,000 comments"),
            ("thread, 100, signed in", "thread, 2,000, signed in"),
        ]:
            print(f"  {large} / {small}: {results[large] / results[small]:.2f}")

        started = time.perf_counter()
        build_search_data(SEARCH_COMMENTS)
        built = time.perf_counter() - started
        print(f"\nSearch over {SEARCH_COMMENTS:,} more comments (built in {built:.0f} s):")
        print(f"{'query':<26}{'median ms':>10}{'p90 ms':>10}{'queries':>9}")
        for query in [
            RARE_WORD,  # in one comment in 1,000
            "reunion outfit",  # each in about one comment in two: the worst case
            "kudrow sorvino",
            "Sorvio",  # a near-miss name, no full-text match
            "zzyzx",  # nothing at all: Did you mean
        ]:
            url = reverse("search") + "?" + urlencode({"q": query})
            median, p90, queries = measure(client, url)
            print(f"{query:<26}{median:>10.1f}{p90:>10.1f}{queries:>9}")
    finally:
        runner.teardown_databases(databases)


if __name__ == "__main__":
    main()
