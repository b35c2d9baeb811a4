"""`make bench`: build the data set, serve it with gunicorn in production mode, load every page
with wrk, print the figures and the targets. Progress goes to stderr, the report to stdout.

BENCH_SECONDS (default 5) is how long each page is loaded at BENCH_CONNECTIONS (16), and
BENCH_CROWD_SECONDS (3) at BENCH_CROWD (64). gunicorn runs 2 sync workers, as issue 14
measured, unless GUNICORN_WORKERS or GUNICORN_WORKER_CLASS say otherwise.
"""

import os
import platform
import re
import secrets
import shutil
import signal
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

from tests.bench import load, report, server
from tests.bench.database import bench_database

SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
CROWD_SECONDS = int(os.environ.get("BENCH_CROWD_SECONDS", "3"))
CROWD = int(os.environ.get("BENCH_CROWD", "64"))
SLOW_MS = 1000
# Latency targets are judged with one connection per worker: at CONNECTIONS, a request's p99 is
# mostly its wait behind the others for one of 2 workers, which the requests/s figure tells.
ALONE = int(os.environ.get("GUNICORN_WORKERS", "2"))
HELLO_PATH = "/bench/hello/"
# A page's x hello: the median of PAIRS ratios of runs of hello-world and of the page in turn,
# PAIR_SECONDS each. A shared machine's load drifts within seconds (hello alone varied 2,100
# to 3,000 requests/s in one minute here), and runs close together drift together.
PAIRS = 5
PAIR_SECONDS = 1
# A page that takes longer than this to answer once (caches warm) is not loaded at all: 16 such
# requests queued behind 2 workers would keep the bench waiting minutes (and gunicorn kills a
# worker after 30 s).
ANSWER_LIMIT = 5


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def environment(tmp: Path, run: str) -> dict[str, str]:
    """Production mode (`make serve`'s variables) on the bench's settings, rate limits off."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_HTTPS": "false",
        "DJANGO_LOCAL_SERVE": "true",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ACCOUNT_RATE_LIMITS_ENABLED": "false",
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "CACHE_DIR": str(tmp / "cache"),
        "BENCH_RUN_PREFIX": f"bench-{run}",
        "GUNICORN_WORKERS": os.environ.get("GUNICORN_WORKERS", "2"),
        "GUNICORN_WORKER_CLASS": os.environ.get("GUNICORN_WORKER_CLASS", "sync"),
        # A worker restarting (Django set up again) inside a 5-second run would be measured as
        # the page's slowness: off unless set.
        "GUNICORN_MAX_REQUESTS": os.environ.get("GUNICORN_MAX_REQUESTS", "0"),
    }


def main() -> None:
    if problem := load.wrk_missing():
        sys.exit(problem)
    # Stopped from outside, it still stops gunicorn and removes what it made.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("make bench: stopped."))
    run = secrets.token_hex(4)
    with ExitStack() as stack:
        tmp = Path(tempfile.mkdtemp(prefix="fansite-bench-"))
        stack.callback(shutil.rmtree, tmp, ignore_errors=True)
        env = environment(tmp, run)
        env.update(stack.enter_context(bench_database(os.environ.get("DATABASE_URL", ""), tmp)))
        os.environ.update(env)
        import django

        django.setup()
        from tests.bench import dataset

        started = time.monotonic()
        say("Building the data set...")
        data = dataset.build()
        built = time.monotonic() - started
        from django.core.management import call_command
        from django.db import connections

        call_command("collectstatic", interactive=False, verbosity=0)
        connections.close_all()
        stack.callback(_forget_cache_keys, env["BENCH_RUN_PREFIX"])
        say(f"Built in {built:.0f} s. Serving with gunicorn...")
        log = tmp / "gunicorn.log"
        base = stack.enter_context(server.gunicorn(env, log))
        pages = measure(base, data, tmp)
        print_report(pages, env, built)
        if error := server.last_traceback(log):
            print("\nThe last error in gunicorn's log (the bench deletes the log when it ends):")
            print(error)


def measure(base: str, data, tmp: Path) -> list[report.Page]:
    """Each page at CONNECTIONS, posting last (it retires the cached pages), then each again at
    CROWD connections."""
    from django.conf import settings

    viewer = f"{settings.SESSION_COOKIE_NAME}={data.viewer_session}"
    from fansite.page_cache import retire_cached_pages

    plan = [(report.HELLO, "anonymous", HELLO_PATH, "")]
    plan += [(name, "anonymous", data.paths[name], "") for name in report.ANONYMOUS]
    plan += [
        (name, "signed in", path, viewer)
        for name, path in data.paths.items()
        if name.startswith(("thread", "5,000", "search"))
    ]
    pages = []
    for name, who, path, cookie in plan:
        url = base + path
        load.fetch(base + "/healthz")  # answered once the last run's queue has drained
        status, _, _ = load.fetch(url, cookie=cookie)  # makes what is made once (thumbnails)
        if status != 200:
            say(f"  {name}: {url} answered {status}, not 200")
        retire_cached_pages()  # so that the next answer is rendered, not the cached page's
        started = time.monotonic()
        rendered = load.query_count(url, cookie=cookie)
        took = time.monotonic() - started
        queries = (rendered, load.query_count(url, cookie=cookie))
        if took > ANSWER_LIMIT:
            note = f"not run: one answer took {took:.0f} s"
            say(f"  {name} ({path}): {note}")
            pages.append(report.Page(name, who, None, queries, note=note))
            continue
        say(f"  {name} ({path}, one answer in {took:.2f} s), {CONNECTIONS} connections")
        load.wrk(url, connections=CONNECTIONS, seconds=1, cookie=cookie)  # warm-up
        # The server still answers the warm-up's last requests after wrk has gone.
        load.fetch(base + "/healthz")
        result = load.wrk(url, connections=CONNECTIONS, seconds=SECONDS, cookie=cookie)
        x_hello = 1.0 if path == HELLO_PATH else _x_hello(base, url, cookie)
        say(
            f"    {result.rps:.0f} requests/s ({x_hello:.2f} x hello-world), "
            f"p99 {result.p99_ms:.0f} ms, {result.errors} errors"
        )
        page = report.Page(name, who, result, queries, x_hello=x_hello)
        if name.startswith("search"):
            page.alone = load.wrk(url, connections=ALONE, seconds=SECONDS, cookie=cookie)
        pages.append(page)
    poster = Poster(base, data, tmp)
    say(f"  {report.POSTING} ({data.posting_path}), {CONNECTIONS} connections for {SECONDS} s")
    posting = report.Page(
        report.POSTING, "signed in", poster.wrk(CONNECTIONS, SECONDS), poster.queries()
    )
    posting.alone = poster.wrk(ALONE, SECONDS)
    pages.append(posting)
    for page, (_, _, path, cookie) in zip(pages, plan, strict=False):
        if _too_slow(page):
            continue
        load.fetch(base + "/healthz")  # answered once the last run's queue has drained
        say(f"  {page.name}, {CROWD} connections for {CROWD_SECONDS} s")
        page.crowd = load.wrk(base + path, connections=CROWD, seconds=CROWD_SECONDS, cookie=cookie)
    if not _too_slow(pages[-1]):
        say(f"  {report.POSTING}, {CROWD} connections for {CROWD_SECONDS} s")
        pages[-1].crowd = poster.wrk(CROWD, CROWD_SECONDS)
    return pages


def _x_hello(base: str, url: str, cookie: str) -> float:
    """The page's requests/s over hello-world's: the median of PAIRS runs of each in turn."""
    ratios = []
    for _ in range(PAIRS):
        load.fetch(base + "/healthz")  # answered once the last run's queue has drained
        hello = load.wrk(base + HELLO_PATH, connections=CONNECTIONS, seconds=PAIR_SECONDS)
        load.fetch(base + "/healthz")
        page = load.wrk(url, connections=CONNECTIONS, seconds=PAIR_SECONDS, cookie=cookie)
        ratios.append(page.rps / hello.rps if hello.rps else 0.0)
    return statistics.median(ratios)


def _too_slow(page: report.Page) -> bool:
    """A page whose median answer at CONNECTIONS took over a second is not loaded at CROWD: its
    queue would keep the bench waiting minutes, and errors at CROWD are certain anyway."""
    return page.result is None or not page.result.requests or page.result.p50_ms > SLOW_MS


class Poster:
    """Comments posted (htmx, as the page's form sends them) in the followed thread, by each
    member in turn. The CSRF cookie and token come from the sign-in page, as a browser's may:
    the cookie is not tied to a session (CSRF_USE_SESSIONS is off), and that page, never cached,
    always sets it."""

    def __init__(self, base: str, data, tmp: Path):
        from django.conf import settings
        from django.urls import reverse

        self.base, self.url = base, base + data.posting_path
        self.viewer = f"{settings.SESSION_COOKIE_NAME}={data.viewer_session}"
        _, html, headers = load.fetch(base + reverse("account_login"))
        set_cookies = " ".join(headers.get_all("Set-Cookie") or [])
        cookie = re.search(rf"{settings.CSRF_COOKIE_NAME}=([^;]+)", set_cookies)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if cookie is None or token is None:
            raise SystemExit(
                f"The sign-in page gave no CSRF {'cookie' if cookie is None else 'token'} to "
                f"post with (Set-Cookie: {set_cookies or 'none'})."
            )
        self.csrf_cookie, self.token = f"{settings.CSRF_COOKIE_NAME}={cookie[1]}", token[1]
        self.sessions = tmp / "sessions.txt"
        self.sessions.write_text("\n".join(data.poster_sessions) + "\n")
        self.session_cookie = settings.SESSION_COOKIE_NAME

    def queries(self) -> tuple[int | None, int | None]:
        headers = {
            "X-CSRFToken": self.token,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        count = load.query_count(
            self.url,
            cookie=f"{self.viewer}; {self.csrf_cookie}",
            data=b"body=The+bench+counts+the+queries+of+this+comment.",
            headers=headers,
        )
        return count, count

    def wrk(self, connections: int, seconds: int) -> load.Result:
        post_args = (str(self.sessions), self.session_cookie, self.csrf_cookie, self.token)
        load.fetch(self.base + "/healthz")  # answered once the last run's queue has drained
        return load.wrk(self.url, connections=connections, seconds=seconds, post_args=post_args)


def print_report(pages: list[report.Page], env: dict[str, str], built: float) -> None:
    from django.conf import settings
    from django.db import connection

    database = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            db = f"PostgreSQL {cursor.fetchone()[0]} ({database['NAME']})"
    else:
        import sqlite3

        db = f"SQLite {sqlite3.sqlite_version} (a file in {Path(database['NAME']).parent})"
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    if env.get("REDIS_URL"):
        cache += f" at {env['REDIS_URL']}"
    print()
    print(f"make bench, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"Machine: {os.cpu_count()} CPUs, {_cpu_model()}, {platform.platform()}")
    print(f"Load average before the report: {', '.join(f'{n:.2f}' for n in os.getloadavg())}")
    print("  (other processes share these CPUs: compare ratios within one run, not runs)")
    print(f"Database: {db}; data set built in {built:.0f} s")
    print(f"Cache: {cache}; page cache {settings.PAGE_CACHE_SECONDS} s for anonymous pages")
    print(f"gunicorn: {server.worker_settings(env)} (gunicorn.conf.py), DEBUG off")
    tasks = settings.TASKS["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"Tasks: {tasks}; no task worker runs during the bench")
    print(
        f"wrk: 2 threads, {CONNECTIONS} connections for {SECONDS} s per page after 1 s of "
        f"warm-up; then {CROWD} connections for {CROWD_SECONDS} s; timeout {load.TIMEOUT}; "
        f"search and posting also at {ALONE} (one per worker) for {SECONDS} s; every request "
        f"says Accept-Encoding: {load.ACCEPT_ENCODING}, as browsers do"
    )
    print(
        f"x hello: the median of {PAIRS} ratios of the page's requests/s to hello-world's, each "
        f"of {PAIR_SECONDS} s runs of the two in turn; thread ratios compare pages' x hello"
    )
    print(
        "queries: SQL queries of the page rendered (page cache missed), then /of the next "
        "answer when it differs (cached); bytes: per response, headers included"
    )
    print()
    print("\n".join(report.table(pages, CROWD, ALONE)))
    print()
    print("Targets (issue 14):")
    print("\n".join(report.target_lines(report.targets(pages))))


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown CPU"
    match = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return match[1] if match else "unknown CPU"


def _forget_cache_keys(prefix: str) -> None:
    """This run's keys in a shared Redis (the file cache goes with the temporary directory)."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    for alias in caches:
        cache = caches[alias]
        if isinstance(cache, RedisCache):
            client = cache._cache.get_client(write=True)
            for key in client.scan_iter(f"{prefix}*"):
                client.delete(key)


if __name__ == "__main__":
    main()
