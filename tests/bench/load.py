"""Load from a second process: wrk, with tests/bench/wrk.lua printing its figures; and single
requests (urllib) for the SQL query count the bench's middleware sends back."""

import re
import shutil
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.bench.middleware import HEADER

SCRIPT = Path(__file__).with_name("wrk.lua")
# A real browser waits longer than wrk's default 2 s; a request slower than this is an error.
TIMEOUT = "10s"
ACCEPT_ENCODING = "gzip"


@dataclass
class Result:
    requests: int
    seconds: float
    bytes: int
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def bytes_per_response(self) -> int:
        return self.bytes // self.requests if self.requests else 0


def wrk_missing() -> str | None:
    """Why wrk cannot run, or None."""
    if shutil.which("wrk"):
        return None
    return (
        "make bench loads the site with wrk, which is not installed. Install it with "
        "`sudo apt-get install wrk` (Debian, Ubuntu) or `brew install wrk` (macOS)."
    )


def parse(output: str) -> Result:
    """The line wrk.lua's done() prints."""
    match = re.search(r"^BENCH (.*)$", output, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"wrk printed no figures:\n{output}")
    figures = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", match[1])}
    errors = sum(figures[key] for key in ("connect", "read", "write", "status", "timeout"))
    return Result(
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        bytes=figures["bytes"],
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        errors=errors,
    )


def wrk(
    url: str, *, connections: int, seconds: int, cookie: str = "", post_args: tuple = ()
) -> Result:
    """`connections` connections over 2 wrk threads for `seconds`; post_args, if any, make the
    script post comments (see wrk.lua)."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", f"--timeout={TIMEOUT}"]
    # As every browser asks: the site answers compressed pages where the client accepts them.
    command += ["-H", f"Accept-Encoding: {ACCEPT_ENCODING}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command += ["-s", str(SCRIPT), url]
    if post_args:
        command += ["--", *post_args]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return parse(done.stdout)


def fetch(
    url: str,
    *,
    cookie: str = "",
    count_queries: bool = False,
    data: bytes | None = None,
    headers: dict | None = None,
) -> tuple[int, str, dict]:
    """One request (a POST of `data` if given): its status, body and headers, redirects not
    followed."""
    headers = dict(headers or {})
    if cookie:
        headers["Cookie"] = cookie
    if count_queries:
        headers[HEADER] = "1"
    request = urllib.request.Request(url, data=data, headers=headers)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=600) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), error.headers


def query_count(url: str, **request) -> int | None:
    """The SQL queries of one request; `request` as for fetch()."""
    _, _, headers = fetch(url, count_queries=True, **request)
    return queries_of(headers)


def queries_of(headers) -> int | None:
    value = headers.get(HEADER)
    return int(value) if value is not None else None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
