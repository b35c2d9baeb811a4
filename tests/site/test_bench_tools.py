"""The bench's own pieces (tests/bench): its URLconf and hello-world view, the query count
header, wrk's figures read back, the bench database's name and the report. No test runs wrk."""

import pytest

from tests.bench.database import bench_url
from tests.bench.load import Result, parse
from tests.bench.middleware import HEADER
from tests.bench.report import (
    ANONYMOUS,
    HELLO,
    LARGE_THREAD,
    LONG_REPLIES,
    POSTING,
    SMALL_THREAD,
    Page,
    table,
    target_lines,
    targets,
)
from tests.bench.server import last_traceback

pytestmark = pytest.mark.django_db

BENCH_MIDDLEWARE = "tests.bench.middleware.QueryCountMiddleware"


def result(rps: float = 1000, p99_ms: float = 20, errors: int = 0) -> Result:
    return Result(
        requests=int(rps * 5),
        seconds=5,
        bytes=int(rps * 5) * 900,
        p50_ms=5,
        p99_ms=p99_ms,
        errors=errors,
    )


def test_hello_view_is_served_by_the_bench_urlconf_with_the_site_urls(client, settings):
    settings.ROOT_URLCONF = "tests.bench.urls"
    response = client.get("/bench/hello/")
    assert response.status_code == 200
    assert response.content == b"Hello, world!"
    assert client.get("/healthz").status_code == 200


def test_site_urlconf_has_no_hello_view(client):
    assert client.get("/bench/hello/").status_code == 404


def test_query_count_header_answers_only_when_asked(client, settings):
    settings.MIDDLEWARE = [BENCH_MIDDLEWARE, *settings.MIDDLEWARE]
    asked = client.get("/news/", headers={HEADER: "1"})
    assert int(asked[HEADER]) > 0
    assert HEADER not in client.get("/news/")


def test_bench_database_is_named_after_the_main_one():
    url = "postgres://postgres@127.0.0.1:5432/fansite?pool_max_size=4"
    assert bench_url(url) == "postgres://postgres@127.0.0.1:5432/fansite_bench?pool_max_size=4"


def test_wrk_figures_are_read_back_with_every_kind_of_error():
    output = (
        "Running 5s test @ http://127.0.0.1:1/\n"
        "BENCH requests=5000 duration_us=5000000 bytes=4500000 p50_us=4200 p99_us=21500 "
        "connect=1 read=2 write=0 status=3 timeout=4\n"
    )
    figures = parse(output)
    assert figures.rps == 1000
    assert figures.p99_ms == 21.5
    assert figures.bytes_per_response == 900
    assert figures.errors == 10


def pages(**overrides: Page) -> list[Page]:
    """Every page the targets judge, each meeting its target unless overridden."""
    all_pages = {
        HELLO: Page(HELLO, "anonymous", result(1000), (0, 0)),
        **{name: Page(name, "anonymous", result(900), (8, 1)) for name in ANONYMOUS},
        SMALL_THREAD: Page(SMALL_THREAD, "signed in", result(200), (10, 10)),
        "thread, 1,000 comments": Page(
            "thread, 1,000 comments", "signed in", result(200), (10, 10)
        ),
        LARGE_THREAD: Page(LARGE_THREAD, "signed in", result(190), (10, 10)),
        LONG_REPLIES: Page(LONG_REPLIES, "signed in", result(180), (10, 10)),
        "search: glue": Page(
            "search: glue",
            "signed in",
            result(100, p99_ms=600),
            (6, 6),
            alone=result(100, p99_ms=60),
        ),
        POSTING: Page(
            POSTING, "signed in", result(50, p99_ms=900), (11, 11), alone=result(50, p99_ms=100)
        ),
    } | overrides
    for page in all_pages.values():
        page.crowd = result(900)
    return list(all_pages.values())


def test_report_passes_every_target_that_holds():
    lines = target_lines(targets(pages()))
    assert not [line for line in lines if line.startswith("FAIL")]
    assert lines[-1] == f"{len(lines) - 1} of {len(lines) - 1} targets met, 0 not."


def test_report_fails_each_target_missed_with_its_figures():
    slow_home = Page("home", "anonymous", result(500), (8, 1))
    big_thread = Page(LARGE_THREAD, "signed in", result(90), (25, 25))
    # Latency is judged with one connection per worker (alone), not under the queue of 16.
    slow_search = Page(
        "search: glue", "signed in", result(100), (6, 6), alone=result(90, p99_ms=250)
    )
    failed = [
        line
        for line in target_lines(
            targets(
                pages(
                    home=slow_home,
                    **{
                        LARGE_THREAD: big_thread,
                        "search: glue": slow_search,
                    },
                )
            )
        )
        if line.startswith("FAIL")
    ]
    assert any("anonymous home page: 0.50" in line for line in failed)
    assert any("10,000 comments: 0.45" in line for line in failed)
    assert any("10,000 comments: 90 requests/s" in line for line in failed)
    assert any("p99 250 ms" in line for line in failed)
    assert any(f"over: {LARGE_THREAD} (25)" in line for line in failed)
    assert any("same queries for small and large" in line for line in failed)
    assert len(failed) == 6


def test_report_table_shows_each_page_with_its_ratio_to_hello_world():
    lines = table(pages(), crowd=64)
    home = next(line for line in lines if line.startswith("home "))
    assert "0.90" in home  # 900 requests/s against hello-world's 1,000
    assert "8/1" in home  # queries: a cache miss, then a hit
    search = next(line for line in lines if line.startswith("search: glue"))
    assert search.endswith("|     5.0    60.0")  # p50 and p99 with one connection per worker
    assert len(lines) == 3 + len(pages())


def test_report_fails_the_targets_of_a_page_too_slow_to_load():
    note = "not run: one answer took 31 s"
    stuck = Page(LONG_REPLIES, "signed in", None, (10, None), note=note)
    lines = table(pages(**{LONG_REPLIES: stuck}), crowd=64)
    assert any(line.startswith(LONG_REPLIES) and note in line for line in lines)
    failed = [
        line
        for line in target_lines(targets(pages(**{LONG_REPLIES: stuck})))
        if line.startswith("FAIL")
    ]
    assert any("5,000-reply comment's page: not measured" in line for line in failed)


def test_last_traceback_of_the_server_log_ends_with_its_error(tmp_path):
    log = tmp_path / "gunicorn.log"
    log.write_text(
        "Traceback (most recent call last)\n  File old\nKeyError: old\n"
        '127.0.0.1 "GET / HTTP/1.1" 200\n'
        "Traceback (most recent call last)\n  File views.py\n    query()\n"
        "ProgrammingError: subquery in FROM must have an alias\nLINE 1: ...\n"
        + '127.0.0.1 "GET /discussions/ HTTP/1.1" 500\n'
        * 50
    )
    error = last_traceback(log)
    assert error.startswith("Traceback (most recent call last)\n  File views.py")
    assert "subquery in FROM must have an alias" in error
    assert "KeyError: old" not in error
    assert error.count("HTTP/1.1") <= 3
