"""A member follows Alan Cumming on his page; an editor publishes a post about him in the admin;
the member sees the notification in the header and on the notifications page, and gets the
email with its per-kind unsubscribe link."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Follow
from news.models import Post
from tests.e2e.test_comments import sign_in
from tests.e2e.test_news_editor import choose
from tests.factories import make_character, make_person, make_staff, make_user

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Alan Cumming says yes to the sequel"
STANDFIRST = "Sandy Frink is coming back to the reunion."


def test_a_follower_hears_of_a_post_about_alan_cumming(
    page, browser, browser_context_args, live_server, mailoutbox, screenshot, csp_errors
):
    alan = make_person(name="Alan Cumming", bio="Played Sandy Frink.")
    make_character(name="Sandy Frink")
    member = make_user(display_name="Michele")
    editor = make_staff(email="editor@example.com", display_name="Editor Ann")

    # The member follows him on his page: the button swaps in place, the count goes up.
    page.goto(f"{live_server.url}{alan.get_absolute_url()}")
    expect(page.get_by_role("link", name="Sign in to follow Alan Cumming")).to_be_visible()
    sign_in(page, live_server, member)
    page.goto(f"{live_server.url}{alan.get_absolute_url()}")
    follow = page.locator(".follow-subject")
    expect(follow).to_contain_text("0 followers")
    follow.get_by_role("button", name="Follow Alan Cumming").click()
    expect(follow.get_by_role("button", name="Following · stop Alan Cumming")).to_be_visible()
    expect(follow).to_contain_text("1 follower")
    assert Follow.objects.of(alan).filter(user=member).exists()
    screenshot("following-person-page")

    # The editor publishes a post related to him, in the admin, in a browser of their own.
    editor_context = page.context.browser.new_context(**browser_context_args)
    admin = editor_context.new_page()
    sign_in(admin, live_server, editor)
    admin.goto(f"{live_server.url}/admin/news/post/add/")
    admin.get_by_label("Title:").fill(TITLE)
    admin.get_by_label("Slug:").fill("alan-cumming-says-yes")
    admin.get_by_label("Standfirst:").fill(STANDFIRST)
    admin.get_by_label("Body:").fill("He told us so himself.")
    admin.get_by_label("Status:").select_option(label="Published")
    published = timezone.localtime() - timedelta(minutes=2)
    admin.locator("#id_published_at_0").fill(published.strftime("%Y-%m-%d"))
    admin.locator("#id_published_at_1").fill(published.strftime("%H:%M:%S"))
    choose(admin, "people", "Alan Cumming")
    admin.locator("input[name=_save]").first.click()
    expect(admin.locator(".messagelist")).to_contain_text("was added successfully")
    editor_context.close()
    post = Post.objects.get()
    assert post.is_published()

    # The member sees it: the bell's count, then the notifications page, which opens the post.
    page.goto(f"{live_server.url}/")
    expect(page.locator(".header-notifications__count")).to_have_text("1")
    page.locator("#header-notifications").click()
    entry = page.locator(".notification").first
    expect(entry).to_contain_text(f"News about Alan Cumming: {TITLE}")
    screenshot("following-notifications")
    page.set_viewport_size({"width": 360, "height": 780})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("following-notifications-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    entry.get_by_role("button").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    # And the email, with the link that stops news emails only.
    (message,) = [m for m in mailoutbox if m.to == [member.email]]
    assert message.subject == f"[Romy and Michele fans] News about Alan Cumming: {TITLE}"
    assert STANDFIRST in message.body
    assert post.get_absolute_url() in message.body
    links = re.findall(r"https?://\S+/discussions/unsubscribe/\S+/", message.body)
    assert message.extra_headers["List-Unsubscribe"] == f"<{links[0]}>"

    # The Following page lists him, with the email choices.
    page.goto(f"{live_server.url}/discussions/following/")
    expect(page.locator(".following-list")).to_contain_text("Alan Cumming")
    expect(page.get_by_label("News about what you follow")).to_be_checked()
    screenshot("following-page")
    page.set_viewport_size({"width": 360, "height": 780})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("following-page-360")
    page.goto(f"{live_server.url}{alan.get_absolute_url()}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("following-person-page-360")
    assert csp_errors == []
