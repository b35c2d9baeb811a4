"""Browser tests: Debian's chromium (or CHROMIUM_PATH) driven by pytest-playwright.

Without a browser they are skipped, loudly, with the way to get one.
"""

import os
import threading
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread

from tests.e2e import validators

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

# Playwright's sync API runs an event loop in the test thread; Django's database setup would
# otherwise refuse to run there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


CHROMIUM_CANDIDATE = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, answering one request at a time on SQLite. There the test database is
    in memory, shared by the request threads' connections (Django's shared-cache test database,
    or a connection handed over to the server thread), and two requests at once, a page and its
    favicon, fail with "bad parameter or other API misuse": the session read fails and the
    browser is signed out. Connections are still accepted in threads (an idle one the browser
    opened ahead blocks nothing); only the application, with its response, runs under the lock.
    On PostgreSQL requests run side by side (tests/site/test_concurrency.py needs that)."""

    lock = threading.Lock()

    def set_app(self, application) -> None:
        def one_at_a_time(environ, start_response):
            if connections["default"].vendor != "sqlite":
                return application(environ, start_response)
            with self.lock:
                response = application(environ, start_response)
                try:
                    return [b"".join(response)]
                finally:
                    if hasattr(response, "close"):
                        response.close()  # request_finished, under the lock too

        super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATimeServer


def find_chromium() -> str | None:
    """CHROMIUM_PATH when set (a wrong path is reported, not silently replaced), else Debian's."""
    return CHROMIUM_CANDIDATE if Path(CHROMIUM_CANDIDATE).exists() else None


def playwright_has_own_browser() -> bool:
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            return Path(playwright.chromium.executable_path).exists()
    except Exception:
        return False


CHROMIUM = find_chromium()
NO_BROWSER_MESSAGE = [
    "!" * 72,
    f"BROWSER TESTS SKIPPED: no chromium at {CHROMIUM_CANDIDATE}, none of Playwright's own.",
    "  Debian/Ubuntu: sudo apt-get install -y chromium   (then run make test again)",
    "  or set CHROMIUM_PATH=/path/to/chromium, or run: .venv/bin/playwright install chromium",
    "!" * 72,
]
_browser_missing = False


_validators_missing = False


def _skip_validators_when_not_installed(items) -> None:
    """The Nu checker needs Java and the npm packages (npm ci): skipped loudly without them."""
    global _validators_missing
    checks = [item for item in items if item.fspath.basename == "test_validators.py"]
    if not checks or not validators.MISSING:
        return
    if os.environ.get("CI"):
        message = "\n".join(validators.NOT_INSTALLED_MESSAGE)
        raise pytest.UsageError(message.replace("SKIPPED", "CANNOT RUN"))
    _validators_missing = True
    skip = pytest.mark.skip(reason="validators not installed: " + "; ".join(validators.MISSING))
    for item in checks:
        item.add_marker(skip)


def pytest_collection_modifyitems(config, items):
    global _browser_missing
    _skip_validators_when_not_installed(items)
    browser_tests = [item for item in items if "tests/e2e/" in str(item.fspath)]
    if not browser_tests or CHROMIUM or playwright_has_own_browser():
        return
    if os.environ.get("CI"):
        # CI installs Debian's chromium: browser tests that cannot run there are a failure.
        raise pytest.UsageError("\n".join(NO_BROWSER_MESSAGE).replace("SKIPPED", "CANNOT RUN"))
    _browser_missing = True
    skip = pytest.mark.skip(reason="no chromium: apt-get install chromium or set CHROMIUM_PATH")
    for item in browser_tests:
        item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    """Said at the end of the run, where nobody can miss it."""
    if _browser_missing:
        for line in NO_BROWSER_MESSAGE:
            terminalreporter.write_line(line, red=True, bold=True)
    if _validators_missing:
        for line in validators.NOT_INSTALLED_MESSAGE:
            terminalreporter.write_line(line, red=True, bold=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    args = {**browser_type_launch_args, "args": CHROMIUM_FLAGS}
    if CHROMIUM:
        args["executable_path"] = CHROMIUM
    return args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def screenshot(page):
    """Save a full-page PNG under screenshots/ to look at what the test saw."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def csp_errors(page):
    """Console messages reporting a Content-Security-Policy violation; tests expect none."""
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return errors
