"""Browser tests: Debian's chromium (or CHROMIUM_PATH) driven by pytest-playwright.

Without a browser they are skipped, loudly, with the way to get one.
"""

import os
from pathlib import Path

import pytest

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


def find_chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def playwright_has_own_browser() -> bool:
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            return Path(playwright.chromium.executable_path).exists()
    except Exception:
        return False


CHROMIUM = find_chromium()
NO_BROWSER_MESSAGE = (
    "\n" + "!" * 72 + "\n"
    "BROWSER TESTS SKIPPED: no chromium found.\n"
    "  Debian/Ubuntu: sudo apt-get install -y chromium   (then run make test again)\n"
    "  or set CHROMIUM_PATH=/path/to/chromium, or run: .venv/bin/playwright install chromium\n"
    + "!"
    * 72
)


def pytest_collection_modifyitems(config, items):
    if CHROMIUM or playwright_has_own_browser():
        return
    print(NO_BROWSER_MESSAGE)
    skip = pytest.mark.skip(reason="no chromium: apt-get install chromium or set CHROMIUM_PATH")
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(skip)


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
