"""Over a rate limit, the htmx answer is a 429 and the member still reads why, in place."""

import pytest
from playwright.sync_api import expect

from comments import ratelimit, services
from tests.e2e.test_comments import comment_item, sign_in
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _one_of_each_per_window(monkeypatch):
    """One comment and one like per window, and a window that does not end during the test."""
    monkeypatch.setitem(ratelimit.LIMITS, "post", (1, 60))
    monkeypatch.setitem(ratelimit.LIMITS, "like", (1, 60))
    monkeypatch.setattr(ratelimit, "now", lambda: 1_800_000_000.0)


def _thread():
    return services.thread_start(
        author=make_user(display_name="Heather"), title="Best outfit?", body="The blue one."
    )


def test_a_second_comment_over_the_limit_shows_the_message_and_keeps_the_text(
    page, live_server, screenshot, csp_errors
):
    thread = _thread()
    sign_in(page, live_server, make_user())
    page.goto(live_server.url + thread.get_absolute_url())
    form = page.locator("form.comment-form").first
    form.get_by_label("Your comment").fill("First!")
    form.get_by_role("button", name="Post comment").click()
    expect(comment_item(page, "First!")).to_be_visible()
    form = page.locator("form.comment-form").first
    form.get_by_label("Your comment").fill("Second, too fast")
    # The answer to this very POST, not whichever response the page saw last.
    posted = thread.get_comment_url()
    with page.expect_response(lambda r: r.request.method == "POST" and posted in r.url) as answer:
        form.get_by_role("button", name="Post comment").click()
    form = page.locator("form.comment-form").first
    expect(form).to_contain_text("Slow down a little")
    expect(form.get_by_label("Your comment")).to_have_value("Second, too fast")
    screenshot("comments-rate-limited-comment")
    assert answer.value.status == 429
    assert csp_errors == []


def test_a_like_over_the_limit_shows_the_message_beside_the_button(
    page, live_server, screenshot, csp_errors
):
    thread = _thread()
    sign_in(page, live_server, make_user())
    page.goto(live_server.url + thread.get_absolute_url())
    like = page.locator(".like-form").first
    like.locator(".like-button").click()
    expect(like.locator(".like-button")).to_have_attribute("aria-pressed", "true")
    with page.expect_response(lambda r: "/like/" in r.url) as answer:
        page.locator(".like-form .like-button").first.click()
    assert answer.value.status == 429
    expect(page.locator(".like-form").first.get_by_role("alert")).to_contain_text(
        "Slow down a little"
    )
    expect(page.locator(".like-form .like-button").first).to_have_attribute("aria-pressed", "true")
    screenshot("comments-rate-limited-like")
    assert csp_errors == []
