"""An inline `||spoiler||` with JavaScript: a collapsed button whose text assistive technology
does not get until it is revealed."""

import pytest
from playwright.sync_api import expect

from comments import services
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "Sandy Frink buys the diner"


def test_inline_spoiler_is_a_collapsed_button_hidden_from_assistive_technology(page, live_server):
    thread = services.thread_start(
        author=make_user(), title="The ending", body=f"Guess what: ||{SECRET}||, honestly."
    )
    page.goto(live_server.url + thread.get_absolute_url())
    spoiler = page.get_by_role("button", name="Spoiler: reveal")
    expect(spoiler).to_have_attribute("aria-expanded", "false")
    assert SECRET not in page.locator("main").aria_snapshot()
    spoiler.focus()
    text_colour = "el => getComputedStyle(el.querySelector('.spoiler__text')).color"
    assert spoiler.evaluate(text_colour) == "rgba(0, 0, 0, 0)"
    page.keyboard.press("Enter")
    revealed = page.locator(".spoiler")
    expect(revealed).to_have_attribute("aria-expanded", "true")
    expect(revealed).to_have_accessible_name(SECRET)
    assert SECRET in page.locator("main").aria_snapshot()


def test_inline_spoiler_without_javascript_shows_on_focus(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    thread = services.thread_start(
        author=make_user(), title="The ending", body=f"Guess what: ||{SECRET}||, honestly."
    )
    page.goto(live_server.url + thread.get_absolute_url())
    spoiler = page.locator(".spoiler")
    hidden = spoiler.evaluate("el => getComputedStyle(el).color")
    spoiler.focus()
    expect(spoiler).not_to_have_css("color", hidden)
    context.close()
