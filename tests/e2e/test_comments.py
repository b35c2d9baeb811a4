"""A fan signs in and joins the discussion under the sequel news post, with JavaScript (htmx
partials, no reloads) and without it (plain forms and redirects)."""

import re

import pytest
from playwright.sync_api import expect

from comments import services
from tests.e2e.conftest import SCREENSHOTS
from tests.factories import PASSWORD, make_post, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator(".account-menu summary")).to_be_visible()


def sequel_post():
    return make_post(
        title="A sequel is in development",
        slug="romy-and-michele-sequel-in-development",
        standfirst="Mira Sorvino and Lisa Kudrow are back.",
    )


def comment_item(page, text: str):
    return page.locator(".comment-item", has=page.locator(".comment__body", has_text=text)).last


def test_fan_comments_replies_likes_edits_deletes_and_reveals_a_spoiler(
    page, live_server, screenshot, csp_errors
):
    fan = make_user(username="romy", display_name="Romy")
    post = sequel_post()
    sign_in(page, live_server, fan)
    page.goto(live_server.url + post.get_absolute_url())
    loads = []
    page.on("load", lambda _: loads.append(page.url))

    # Comment, with a spoiler, previewed first.
    form = page.locator("form.comment-form").first
    form.get_by_label("Your comment").fill("So happy! ||Sandy is back in it?|| **Finally.**")
    form.get_by_role("button", name="Preview").click()
    expect(form.locator(".comment-preview strong")).to_have_text("Finally.")
    form.get_by_role("button", name="Post comment").click()
    mine = comment_item(page, "So happy!")
    expect(mine).to_be_visible()
    expect(form.get_by_label("Your comment")).to_have_value("")
    expect(page.locator(".comments h2")).to_have_text("1 comment")

    # The spoiler is hidden until clicked.
    spoiler = mine.locator(".spoiler")
    hidden_colour = spoiler.evaluate("el => getComputedStyle(el).color")
    spoiler.click()
    expect(spoiler).to_have_class(re.compile("spoiler--revealed"))
    page.locator("h1").click()  # focus elsewhere: it stays revealed
    expect(spoiler).not_to_have_css("color", hidden_colour)

    # Reply (quoting), then like the reply.
    mine.get_by_role("link", name="Reply").first.click()
    reply_form = mine.locator("form.comment-form--inline")
    reply_form.get_by_label("Your comment").fill("Replying to myself, as one does.")
    reply_form.get_by_role("button", name="Post reply").click()
    reply = comment_item(page, "Replying to myself")
    expect(reply).to_be_visible()
    expect(reply_form).to_have_count(0)
    expect(mine.locator(".comment-replies .comment-item")).to_have_count(1)

    like = reply.locator(".like-button").first
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(reply.locator(".like-button__count").first).to_have_text("1")

    # Edit the reply.
    reply.get_by_role("link", name="Edit").first.click()
    edit_form = page.locator("form[id^=edit-form-]")
    edit_form.get_by_label("Your comment").fill("Replying to myself, *edited*.")
    edit_form.get_by_role("button", name="Save").click()
    edited = comment_item(page, "edited.")
    expect(edited.locator(".comment__body em")).to_have_text("edited")
    expect(edited.locator(".comment__edited")).to_be_visible()
    screenshot("comments-post-thread-desktop")

    # Delete it: a placeholder keeps its place.
    page.once("dialog", lambda dialog: dialog.accept())
    edited.get_by_role("link", name="Delete").first.click()
    expect(page.get_by_text("This comment was deleted by its author.")).to_be_visible()

    assert loads == [], "htmx actions should not reload the page"
    page.reload()
    expect(page.get_by_text("This comment was deleted by its author.")).to_be_visible()
    expect(page.locator(".comments h2")).to_have_text("1 comment")

    page.set_viewport_size({"width": 360, "height": 800})
    page.locator("#comments").scroll_into_view_if_needed()
    screenshot("comments-post-thread-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert csp_errors == []


def test_follower_sees_a_notification_arrive(page, live_server, screenshot, csp_errors):
    fan = make_user(username="michele", display_name="Michele")
    post = sequel_post()
    thread = services.thread_for_post(post=post)
    sign_in(page, live_server, fan)
    page.goto(live_server.url + post.get_absolute_url())

    follow = page.locator(".follow-form button")
    follow.click()
    expect(follow).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".header-notifications__count")).to_have_count(0)

    services.comment_create(
        thread=thread, author=make_user(display_name="Heather"), body="Hello, followers!"
    )
    page.reload()
    expect(page.locator(".header-notifications__count")).to_have_text("1")
    page.locator(".header-notifications").click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    expect(page.locator(".notification--unread")).to_contain_text("Heather")
    screenshot("comments-notifications")
    page.locator(".notification button").first.click()
    expect(page.locator(".comment-item:target")).to_contain_text("Hello, followers!")
    expect(page.locator(".header-notifications__count")).to_have_count(0)
    assert csp_errors == []


def test_everything_works_without_javascript(browser, live_server):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    fan = make_user(username="nojs")
    post = sequel_post()
    sign_in(page, live_server, fan)
    page.goto(live_server.url + post.get_absolute_url())

    page.get_by_label("Your comment").fill("Posted the old-fashioned way.")
    page.get_by_role("button", name="Post comment").click()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    mine = comment_item(page, "old-fashioned")
    expect(mine).to_be_visible()

    mine.get_by_role("link", name="Reply").first.click()
    page.get_by_label("Your comment").fill("")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("the comment is empty")).to_be_visible()
    page.get_by_label("Your comment").fill("A reply without scripts.")
    page.get_by_role("button", name="Post reply").click()
    reply = comment_item(page, "without scripts")
    expect(reply).to_be_visible()

    reply.get_by_role("button", name=re.compile("like")).click()
    expect(comment_item(page, "without scripts").locator(".like-button__count")).to_have_text("1")

    comment_item(page, "without scripts").get_by_role("link", name="Delete").click()
    page.get_by_role("button", name="Delete it").click()
    expect(page.get_by_text("This comment was deleted by its author.")).to_be_visible()

    spoiler_thread = services.thread_start(
        author=fan, title="Spoilers inside", body="The end: ||they open a boutique||"
    )
    page.goto(live_server.url + spoiler_thread.get_absolute_url())
    spoiler = page.locator(".spoiler")
    hidden_colour = spoiler.evaluate("el => getComputedStyle(el).color")
    expect(spoiler).to_have_css("color", hidden_colour)
    spoiler.focus()  # a click or Tab focuses it: CSS alone reveals it
    expect(spoiler).not_to_have_css("color", hidden_colour)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "comments-thread-no-js.png"), full_page=True)
    context.close()


def test_discussions_index_at_phone_width(page, live_server, screenshot, csp_errors):
    for n in range(3):
        services.thread_start(
            author=make_user(), title=f"Favourite outfit number {n}", body="The blue one."
        )
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/discussions/")
    expect(page.locator(".thread-row")).to_have_count(3)
    screenshot("comments-index-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert csp_errors == []


def test_quote_reply_quotes_the_selected_words(page, live_server, csp_errors):
    fan = make_user(username="heather")
    thread = services.thread_start(
        author=make_user(username="sandy"), title="Quotes", body="Alpha beta gamma"
    )
    sign_in(page, live_server, fan)
    page.goto(live_server.url + thread.get_absolute_url())
    page.locator(".comment__body p").first.evaluate(
        """paragraph => {
            const text = paragraph.firstChild;
            const range = document.createRange();
            range.setStart(text, 6);
            range.setEnd(text, 10);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }"""
    )
    page.get_by_role("link", name="Quote").click()
    textarea = page.locator("form[id^=reply-form-] textarea")
    expect(textarea).to_have_value("> beta\n\n@sandy ")
    expect(textarea).to_be_focused()
    assert csp_errors == []
