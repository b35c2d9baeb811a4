"""The notifications list: each entry opens with a POST (it marks it read), and its button reads
like the link it replaced."""

import pytest
from playwright.sync_api import expect

from comments import services
from tests.e2e.test_comments import sign_in
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)

INK = """() => {
  const probe = document.createElement("span");
  probe.style.color = "var(--ink)";
  document.body.append(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color;
}"""


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_notification_buttons_look_like_links_in_the_text_colour(page, live_server, screenshot):
    member = make_user(display_name="Michele")
    thread = services.thread_start(author=member, title="Best outfit?", body="The blue one.")
    services.comment_create(
        thread=thread,
        author=make_user(display_name="Romy"),
        body="The pink one, surely",
        parent=thread.comments.get(),
    )
    sign_in(page, live_server, member)
    page.goto(f"{live_server.url}/discussions/notifications/")
    button = page.locator(".notification .link-button").first
    expect(button).to_contain_text("replied to your comment")
    style = button.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).textAlign]")
    assert style == [page.evaluate(INK), "left"]
    screenshot("comments-notifications")
