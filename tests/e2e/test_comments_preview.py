"""The htmx preview under a comment form says why it shows nothing, in place, without a reload."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_comments import sequel_post, sign_in
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_preview_of_an_empty_comment_shows_the_message_in_place(
    page, live_server, screenshot, csp_errors
):
    post = sequel_post()
    sign_in(page, live_server, make_user())
    page.goto(live_server.url + post.get_absolute_url())
    loads = []
    page.on("load", lambda _: loads.append(page.url))
    form = page.locator("form.comment-form").first
    form.get_by_role("button", name="Preview").click()
    preview = form.locator(".comment-form__preview")
    expect(preview.get_by_role("alert")).to_contain_text("the comment is empty")
    expect(preview.locator(".comment__body")).to_have_count(0)
    screenshot("comments-preview-empty")
    assert loads == []
    assert csp_errors == []
