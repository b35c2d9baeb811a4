"""A visitor signs up, verifies their email with the emailed code, signs out and in again."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "michele@example.com"
PASSWORD = "Tucson-reunion-1997!"


def latest_code(mailoutbox) -> str:
    assert mailoutbox, "no email was sent"
    match = re.search(
        r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4}|[A-Z0-9]{6})\s*$", mailoutbox[-1].body, re.MULTILINE
    )
    assert match, mailoutbox[-1].body
    return match.group(1)


def test_visitor_signs_up_verifies_signs_out_and_in(
    page, live_server, mailoutbox, screenshot, csp_errors
):
    page.goto(live_server.url)
    page.get_by_role("link", name="Join").click()
    expect(page.get_by_role("heading", name="Sign Up")).to_be_visible()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Username").fill("michele")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    screenshot("accounts-signup")
    page.get_by_role("button", name="Sign Up").click()

    expect(page.get_by_label("Code")).to_be_visible()
    assert mailoutbox[-1].to == [EMAIL]
    page.get_by_label("Code").fill(latest_code(mailoutbox))
    screenshot("accounts-verify")
    page.get_by_role("button", name="Confirm").click()

    expect(page.locator(".account-menu summary")).to_have_text("michele")
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    screenshot("accounts-signin")
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator(".account-menu summary")).to_have_text("michele")
    screenshot("accounts-home-signed-in")
    assert csp_errors == []


def test_profile_edit_page_at_phone_width(page, live_server, screenshot, client, csp_errors):
    from tests.factories import make_user

    fan = make_user(display_name="Romy", bio="Post-it pioneer.")
    client.force_login(fan)
    session_cookie = client.cookies["sessionid"]
    page.context.add_cookies(
        [{"name": "sessionid", "value": session_cookie.value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{live_server.url}/accounts/profile/")
    expect(page.get_by_label("Display name")).to_have_value("Romy")
    screenshot("accounts-profile-edit-360")
    page.goto(f"{live_server.url}{fan.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Romy")).to_be_visible()
    screenshot("accounts-profile-360")
    assert csp_errors == []
