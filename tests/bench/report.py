"""The bench's printout: a table of the pages, then each target of issue 14 with PASS or FAIL and
the figures it was judged on."""

from dataclasses import dataclass

from tests.bench.load import Result

HELLO = "hello world"
ANONYMOUS = ["home", "film", "cast", "person", "character", "news index", "post"]
SMALL_THREAD = "thread, 10 comments"
LARGE_THREAD = "thread, 10,000 comments"
LONG_REPLIES = "5,000 replies to one comment"
POSTING = "post a comment"
MAX_QUERIES = 12


@dataclass
class Page:
    name: str
    who: str  # "anonymous" or "signed in"
    result: Result | None  # None: not loaded (note says why)
    # SQL queries of the first request (a miss of every cache) and of the next one.
    queries: tuple[int | None, int | None] = (None, None)
    crowd: Result | None = None  # the same page at the larger number of connections
    # Latency targets: the same page with one connection per worker, so that p99 is the time a
    # request takes, not the time it waited behind 15 others for one of 2 workers.
    alone: Result | None = None
    note: str = ""
    # requests/s over hello-world's, measured in turns next to each other (__main__._x_hello):
    # on a shared machine the load drifts, and a ratio of neighbouring measurements less.
    x_hello: float | None = None

    @property
    def rps(self) -> float:
        return self.result.rps if self.result else 0.0

    @property
    def p99_ms(self) -> float:
        return self.result.p99_ms if self.result else float("inf")

    @property
    def alone_p99_ms(self) -> float:
        return self.alone.p99_ms if self.alone else float("inf")


def ratio(page: Page | None, to: Page | None) -> float | None:
    """page's requests/s over to's: their x hello divided when both have one, else their
    requests/s."""
    if page is None or page.result is None or to is None or not to.rps:
        return None
    if page.x_hello and to.x_hello:
        return page.x_hello / to.x_hello
    return page.rps / to.rps


def hello_ratio(page: Page, hello: Page | None) -> float | None:
    """page's x hello, measured next to hello-world (else over the one hello-world run)."""
    if page.result is None:
        return None
    if page.x_hello is not None:
        return page.x_hello
    return page.rps / hello.rps if hello and hello.rps else None


def _queries(page: Page) -> str:
    first, then = page.queries
    if first is None:
        return "-"
    return str(first) if then in (first, None) else f"{first}/{then}"


def table(pages: list[Page], crowd: int, alone: int = 2) -> list[str]:
    hello = next((page for page in pages if page.name == HELLO), None)
    head = (
        f"{'page':<30}{'who':<11}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'errors':>7}"
        f"{'queries':>9}{'bytes':>8}{'x hello':>8}  |{'req/s':>8}{'p99 ms':>8}{'errors':>7}"
        f"  |{'p50 ms':>8}{'p99 ms':>8}"
    )
    over = f"{'at ' + str(crowd) + ' connections':<26}at {alone} (one per worker)"
    lines = [f"{'':<97}{over}", head, "-" * len(head)]
    for page in pages:
        result, share = page.result, hello_ratio(page, hello)
        line = f"{page.name:<30}{page.who:<11}"
        if result is None:
            lines.append(f"{line}{page.note:<44}{_queries(page):>9}")
            continue
        line += (
            f"{result.rps:>8.0f}{result.p50_ms:>8.1f}{result.p99_ms:>8.1f}{result.errors:>7}"
            f"{_queries(page):>9}{result.bytes_per_response:>8}"
            f"{'' if share is None else f'{share:.2f}':>8}  |"
        )
        if page.crowd:
            line += f"{page.crowd.rps:>8.0f}{page.crowd.p99_ms:>8.1f}{page.crowd.errors:>7}"
        else:
            line += f"{'  not run: too slow':<23}"
        if page.alone:
            line += f"  |{page.alone.p50_ms:>8.1f}{page.alone.p99_ms:>8.1f}"
        lines.append(line)
    return lines


def targets(pages: list[Page]) -> list[tuple[bool, str]]:
    """Each target with whether it holds and its figures; a page not measured fails its target."""
    by_name = {page.name: page for page in pages}
    hello, small = by_name.get(HELLO), by_name.get(SMALL_THREAD)
    checks = []
    for name in ANONYMOUS:
        share = hello_ratio(by_name[name], hello) if name in by_name else None
        checks.append(
            (
                share is not None and share >= 0.8,
                f"anonymous {name} page: {_share(share)} of hello-world's requests/s (>= 0.80)",
            )
        )
    large = by_name.get(LARGE_THREAD)
    share = ratio(large, small)
    checks.append(
        (
            share is not None and share >= 0.9,
            f"signed-in thread of 10,000 comments: {_share(share)} of the 10-comment thread's "
            "requests/s (>= 0.90)",
        )
    )
    rps = large.rps if large else 0
    checks.append(
        (rps >= 100, f"signed-in thread of 10,000 comments: {rps:.0f} requests/s (>= 100)")
    )
    replies = by_name.get(LONG_REPLIES)
    share = ratio(replies, small)
    checks.append(
        (
            share is not None and share >= 0.8,
            f"the 5,000-reply comment's page: {_share(share)} of the 10-comment thread's "
            "requests/s (>= 0.80)",
        )
    )
    for page in pages:
        if page.name.startswith("search"):
            checks.append(
                (
                    page.alone_p99_ms < 100,
                    f"{page.name} (over 100,000 comments): p99 {page.alone_p99_ms:.0f} ms "
                    "with a connection per worker (< 100)",
                )
            )
    posting = by_name.get(POSTING)
    p99 = posting.alone_p99_ms if posting else float("inf")
    checks.append(
        (
            p99 < 150,
            f"posting a comment in a thread with 200 followers: p99 {p99:.0f} ms with a "
            "connection per worker (< 150)",
        )
    )
    checks.append(_query_target(pages))
    checks.append(_thread_queries_target(by_name))
    checks.append(_crowd_target(pages))
    return checks


def _share(share: float | None) -> str:
    return "not measured" if share is None else f"{share:.2f}"


def _query_target(pages: list[Page]) -> tuple[bool, str]:
    counted = [page for page in pages if page.queries[0] is not None and page.name != HELLO]
    over = [f"{page.name} ({page.queries[0]})" for page in counted if page.queries[0] > MAX_QUERIES]
    most = max((page.queries[0] for page in counted), default=None)
    text = f"every page at most {MAX_QUERIES} SQL queries: at most {most}"
    return bool(counted) and not over, text + (f"; over: {', '.join(over)}" if over else "")


def _thread_queries_target(by_name: dict[str, Page]) -> tuple[bool, str]:
    names = [SMALL_THREAD, "thread, 1,000 comments", LARGE_THREAD, LONG_REPLIES]
    counts = [by_name[name].queries[0] if name in by_name else None for name in names]
    figures = ", ".join(f"{name}: {count}" for name, count in zip(names, counts, strict=True))
    same = None not in counts and len(set(counts)) == 1
    return same, f"the same queries for small and large threads: {figures}"


def _crowd_target(pages: list[Page]) -> tuple[bool, str]:
    """A page too slow to load at the larger number of connections fails this target."""
    failing = [
        f"{page.name} ({'not run: too slow' if page.crowd is None else page.crowd.errors})"
        for page in pages
        if page.crowd is None or page.crowd.errors
    ]
    text = f"0 errors at the larger number of connections, {len(pages)} pages"
    return bool(pages) and not failing, text + (
        f": errors on {', '.join(failing)}" if failing else ": none"
    )


def target_lines(checks: list[tuple[bool, str]]) -> list[str]:
    """PASS or FAIL before each; the failures stand out, and a count ends the list."""
    lines = [f"PASS  {text}" if ok else f"FAIL  {text}   <<< FAIL" for ok, text in checks]
    failed = sum(not ok for ok, _ in checks)
    lines.append(f"{len(checks) - failed} of {len(checks)} targets met, {failed} not.")
    return lines
