"""Keyboard focus after htmx swaps: the control a member used, or its equivalent in the new
markup, keeps the focus; a posted reply takes it; Cancel gives it back to the link that opened
the form."""

import pytest
from playwright.sync_api import expect

from comments import services
from tests.e2e.test_comments import comment_item, sign_in
from tests.factories import make_film, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def thread_page(page, live_server):
    """A member on a thread with someone else's comment and one of their own."""
    member = make_user(username="romy", display_name="Romy")
    thread = services.thread_start(
        author=make_user(display_name="Heather"), title="Best outfit?", body="The blue one."
    )
    services.comment_create(thread=thread, author=member, body="The Post-it dress, surely.")
    sign_in(page, live_server, member)
    page.goto(live_server.url + thread.get_absolute_url())
    return page


def test_like_button_keeps_focus_after_its_swap(thread_page):
    like = comment_item(thread_page, "The blue one").locator(".like-button")
    like.focus()
    thread_page.keyboard.press("Enter")
    liked = comment_item(thread_page, "The blue one").locator(".like-button[aria-pressed=true]")
    expect(liked).to_be_focused()


def test_follow_button_keeps_focus_after_its_swap(thread_page):
    follow = thread_page.locator(".follow-form button").first
    pressed = follow.get_attribute("aria-pressed")
    follow.focus()
    thread_page.keyboard.press("Enter")
    toggled = thread_page.locator(".follow-form button").first
    expect(toggled).not_to_have_attribute("aria-pressed", pressed)
    expect(toggled).to_be_focused()


def test_reply_focuses_the_field_then_cancel_returns_to_reply_link(thread_page):
    reply_link = comment_item(thread_page, "The blue one").get_by_role("link", name="Reply")
    reply_link.click()
    field = comment_item(thread_page, "The blue one").locator("form textarea")
    expect(field).to_be_focused()
    comment_item(thread_page, "The blue one").get_by_role("button", name="Cancel").click()
    expect(field).to_have_count(0)
    expect(reply_link).to_be_focused()


def test_posted_reply_takes_the_focus(thread_page):
    comment_item(thread_page, "The blue one").get_by_role("link", name="Reply").click()
    field = comment_item(thread_page, "The blue one").locator("form textarea")
    field.fill("Agreed, and the hat.")
    comment_item(thread_page, "The blue one").locator(
        "form.comment-form button[type=submit]"
    ).first.click()
    new_comment = thread_page.locator(".comment", has_text="Agreed, and the hat.")
    expect(new_comment).to_be_focused()


def test_edit_cancel_returns_focus_to_edit_link(thread_page):
    own = comment_item(thread_page, "Post-it dress")
    own.get_by_role("link", name="Edit").click()
    expect(own.locator("form textarea")).to_be_focused()
    own.get_by_role("link", name="Cancel").focus()
    thread_page.keyboard.press("Enter")
    expect(
        comment_item(thread_page, "Post-it dress").get_by_role("link", name="Edit")
    ).to_be_focused()


def test_film_follow_button_keeps_focus_after_its_swap(page, live_server):
    film = make_film(title="Romy and Michele: In the Beginning")
    sign_in(page, live_server, make_user())
    page.goto(live_server.url + film.get_absolute_url())
    follow = page.locator(".follow-subject button")
    follow.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".follow-subject button[aria-pressed=true]")).to_be_focused()


def test_deleting_a_comment_puts_the_focus_on_its_placeholder(thread_page):
    own = comment_item(thread_page, "Post-it dress")
    comment_id = own.get_attribute("id")
    thread_page.once("dialog", lambda dialog: dialog.accept())  # "Delete your comment?"
    own.get_by_role("link", name="Delete").focus()
    thread_page.keyboard.press("Enter")
    placeholder = thread_page.locator(f"#{comment_id} .comment")
    expect(placeholder).to_contain_text("deleted by its author")
    expect(placeholder).to_be_focused()
    # Tab goes on from there, to the next thing on the page, not back to the top.
    thread_page.keyboard.press("Tab")
    assert thread_page.evaluate("document.activeElement !== document.body")
    assert thread_page.evaluate(
        f"document.getElementById('{comment_id}')"
        ".compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING"
    )


@pytest.mark.parametrize("form", ["main", "reply", "edit"])
def test_preview_keeps_the_focus_on_its_button_and_the_text_to_edit(thread_page, form):
    """The preview lands in a live region beside the form: the Preview button keeps the focus,
    and one Shift+Tab back is the text, still there to edit."""
    if form == "main":
        scope = thread_page.locator("form.comment-form").first
    else:
        # By its id: the edit form takes the place of the text the comment is found by.
        own = thread_page.locator(
            "#" + comment_item(thread_page, "Post-it dress").get_attribute("id")
        )
        own.get_by_role("link", name="Reply" if form == "reply" else "Edit").click()
        scope = own.locator("form.comment-form")
    field = scope.locator("textarea")
    field.fill("A *lovely* dress.")
    preview_button = scope.get_by_role("button", name="Preview")
    preview_button.focus()
    thread_page.keyboard.press("Enter")
    preview = scope.locator(".comment-form__preview")
    expect(preview.locator("em")).to_have_text("lovely")
    expect(preview).to_have_attribute("aria-live", "polite")
    expect(preview_button).to_be_focused()
    # Back to the text (past the submit button and the spoiler choice), changed, and previewed
    # again.
    for _ in range(3):
        thread_page.keyboard.press("Shift+Tab")
        if field.evaluate("field => field === document.activeElement"):
            break
    expect(field).to_be_focused()
    thread_page.keyboard.press("End")
    thread_page.keyboard.type(" And the hat.")
    preview_button.focus()
    thread_page.keyboard.press("Enter")
    expect(preview).to_contain_text("And the hat.")
    expect(preview_button).to_be_focused()
