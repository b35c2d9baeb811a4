"""The header in a browser: one row at 1280 px for every kind of signed-in member, compact and
without horizontal scrolling at 360 px, a tab order that follows what is seen, an account menu
that closes on Escape, one labelled search landmark, targets of at least 24 px."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from accounts.models import User
from tests.e2e.test_comments import sign_in
from tests.factories import make_staff, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _member() -> User:
    return make_user(username="michele", display_name="Michele Weinberger")


def _moderator() -> User:
    """Given the permission itself: a transactional test flushes the migrations' groups."""
    moderator = make_user(username="mod", display_name="Mod Squad")
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_comment"))
    return moderator


def _superuser() -> User:
    return make_staff(username="boss", display_name="Sandy Frink")


KINDS = {"member": _member, "moderator": _moderator, "superuser": _superuser}


def _header_parts(page) -> list[dict]:
    return page.eval_on_selector_all(
        ".site-header__inner > *",
        "parts => parts.map(part => { const box = part.getBoundingClientRect();"
        " return {name: part.className, top: box.top, bottom: box.bottom}; })",
    )


@pytest.mark.parametrize("kind", KINDS)
def test_signed_in_header_is_one_row_at_1280(page, live_server, screenshot, kind):
    sign_in(page, live_server, KINDS[kind]())
    page.goto(live_server.url + "/")
    parts = _header_parts(page)
    assert [part["name"] for part in parts] == [
        "site-logo",
        "site-nav",
        "site-search",
        "site-account",
    ]
    row_top = min(part["top"] for part in parts)
    row_bottom = max(part["bottom"] for part in parts)
    tallest = max(part["bottom"] - part["top"] for part in parts)
    # One row: every part shares the same band, as tall as the tallest part.
    assert row_bottom - row_top == pytest.approx(tallest, abs=1)
    expect(page.locator(".header-notifications")).to_be_visible()
    screenshot(f"header-{kind}-1280")


@pytest.mark.parametrize("kind", KINDS)
def test_signed_in_header_does_not_scroll_sideways_at_360(page, live_server, screenshot, kind):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server, KINDS[kind]())
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    header_height = page.locator(".site-header").bounding_box()["height"]
    assert header_height < 200, "the header takes at most three short rows"
    screenshot(f"header-{kind}-360")


def test_header_tab_order_at_360_is_logo_nav_search_account(page, live_server):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server, _moderator())
    page.goto(live_server.url + "/")
    page.locator(".skip-link").focus()
    seen = []
    for _ in range(9):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate(
                "(() => { const el = document.activeElement;"
                " return el.closest('.site-header__inner > *')?.className + ':'"
                " + (el.getAttribute('name') || el.textContent.trim().split(/\\s+/)[0]); })()"
            )
        )
    assert seen == [
        "site-logo:R&M",
        "site-nav:Films",
        "site-nav:News",
        "site-nav:Discussions",
        "site-search:q",
        "site-search:Search",
        "site-account:Moderation",
        "site-account:Notifications",
        "site-account:Mod",
    ]
    # Visual order follows: no part sits on a row above one that comes before it.
    parts = _header_parts(page)
    for before, after in zip(parts, parts[1:], strict=False):
        assert (after["top"] + after["bottom"]) / 2 >= before["top"], (before, after)


def test_account_menu_closes_on_escape_and_focus_returns(page, live_server):
    sign_in(page, live_server, _member())
    menu_button = page.locator(".account-menu summary")
    menu_button.click()
    expect(page.get_by_role("link", name="Your profile")).to_be_visible()
    page.get_by_role("link", name="Your profile").focus()
    page.keyboard.press("Escape")
    expect(page.get_by_role("link", name="Your profile")).to_be_hidden()
    expect(menu_button).to_be_focused()
    expect(page.locator(".account-menu")).not_to_have_attribute("open", "")


def test_logo_name_holds_its_visible_text_and_one_labelled_search(page, live_server):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="R&M Romy and Michele Fans", exact=True)).to_be_visible()
    expect(page.get_by_role("search")).to_have_count(1)
    expect(page.get_by_role("search", name="Site")).to_be_visible()
    page.goto(live_server.url + "/search/?q=romy")
    expect(page.get_by_role("search")).to_have_count(1)
    expect(page.get_by_role("search")).to_contain_text("Search films, people")
    expect(page.locator("#search-page-q")).to_be_visible()


@pytest.mark.parametrize("width", [1280, 360])
def test_header_targets_are_at_least_24_px(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, live_server, _superuser())
    page.goto(live_server.url + "/")
    small = page.eval_on_selector_all(
        ".site-header a, .site-header button, .site-header summary, .site-header input",
        "targets => targets.filter(t => t.offsetParent !== null).map(t => {"
        " const box = t.getBoundingClientRect();"
        " return {text: t.textContent.trim() || t.name, width: box.width, height: box.height}; })"
        ".filter(t => t.width < 24 || t.height < 24)",
    )
    assert small == []
