"""The footer's theme switch: with a script it switches at once, and the choice holds on the next
page, rendered by the server (fansite.theme); without one the form posts and comes back."""

import pytest
from playwright.sync_api import expect

from fansite.theme import THEME_COOKIE

pytestmark = pytest.mark.django_db(transaction=True)


def page_background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def open_films(page, live_server, scheme: str):
    """The films page with the browser set to `scheme`: its background and the theme switch."""
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{live_server.url}/films/")
    return page_background(page), page.get_by_role("group", name="Theme")


def test_dark_switches_at_once_and_holds_on_the_next_page(page, live_server, csp_errors):
    light, switch = open_films(page, live_server, "light")

    switch.get_by_role("button", name="Dark").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(switch.get_by_role("button", name="Dark")).to_have_attribute("aria-pressed", "true")
    assert page_background(page) != light
    assert page.url == f"{live_server.url}/films/"  # no reload, no navigation

    page.goto(f"{live_server.url}/news/")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    assert page_background(page) != light
    assert csp_errors == []


def test_system_follows_the_browser_again(page, live_server):
    dark, switch = open_films(page, live_server, "dark")
    switch.get_by_role("button", name="Light").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    assert page_background(page) != dark

    switch.get_by_role("button", name="System").click()
    expect(page.locator("html")).not_to_have_attribute("data-theme", "light")
    page.reload()
    assert page.locator("html").get_attribute("data-theme") is None
    assert page_background(page) == dark


def test_the_switch_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, color_scheme="light")
    page = context.new_page()
    page.goto(f"{live_server.url}/films/")
    page.get_by_role("group", name="Theme").get_by_role("button", name="Dark").click()
    page.wait_for_url(f"{live_server.url}/films/")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    context.close()


@pytest.mark.parametrize(
    ("system", "choice", "expected"),
    [
        ("light", None, "light"),
        ("dark", None, "dark"),
        ("dark", "light", "light"),
        ("light", "dark", "dark"),
    ],
)
def test_the_choice_wins_over_the_system(browser, live_server, system, choice, expected):
    """The colours themselves, for each pair: plain custom properties (site.css), the same in a
    browser without light-dark()."""
    context = browser.new_context(color_scheme=system)
    if choice:
        context.add_cookies([{"name": THEME_COOKIE, "value": choice, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/films/")
    paper = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--paper')")
    context.close()
    assert paper.strip() == {"light": "#fffaf5", "dark": "#17111b"}[expected]
