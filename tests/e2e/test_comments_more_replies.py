"""A comment with many replies: "more replies" loads the next page in place, each reply under
its parent, with JavaScript; without it the link opens a page of its own."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Comment, Thread
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _busy_thread() -> tuple[Thread, Comment, list[Comment]]:
    """A root with 14 replies: replies 4 and 9 answer the reply before them, the last one shown
    and the last one of the first later page; the rest answer the root."""
    author = make_user(display_name="Michele")
    thread = Thread.objects.create(title="Busy", comment_count=15)
    start = timezone.now() - timedelta(days=1)
    root = Comment.objects.create(
        thread=thread, author=author, body="Root", body_html="<p>Root</p>", created_at=start
    )
    replies: list[Comment] = []
    for n in range(14):
        parent = replies[-1] if n % 5 == 4 else root
        replies.append(
            Comment.objects.create(
                thread=thread,
                author=author,
                body=f"Reply {n}",
                body_html=f"<p>Reply {n}</p>",
                parent=parent,
                root=root,
                depth=parent.depth + 1,
                created_at=start + timedelta(seconds=n + 1),
            )
        )
    Comment.objects.filter(pk=root.pk).update(reply_count=14)
    return thread, root, replies


def test_more_replies_load_in_place_under_their_parents(page, live_server, settings, csp_errors):
    settings.COMMENTS_REPLIES_SHOWN = 4
    settings.COMMENTS_REPLIES_PER_PAGE = 5
    thread, root, replies = _busy_thread()
    page.goto(live_server.url + thread.get_absolute_url())
    items = page.locator(".comment-item")
    expect(items).to_have_count(5)
    more = page.get_by_role("link", name="10 more replies")
    more.click()
    expect(items).to_have_count(10)
    # Reply 4 went under reply 3, which the thread page showed.
    expect(page.locator(f"#replies-{replies[3].pk} > #comment-{replies[4].pk}")).to_have_count(1)
    page.get_by_role("link", name="5 more replies").click()
    expect(items).to_have_count(15)
    # Reply 9 went under reply 8, which the first "more" brought.
    expect(page.locator(f"#replies-{replies[8].pk} > #comment-{replies[9].pk}")).to_have_count(1)
    expect(page.get_by_text("All replies shown.")).to_be_visible()
    assert csp_errors == []


def test_more_replies_without_javascript_opens_a_page_of_them(browser, live_server, settings):
    settings.COMMENTS_REPLIES_SHOWN = 4
    settings.COMMENTS_REPLIES_PER_PAGE = 5
    thread, root, replies = _busy_thread()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + thread.get_absolute_url())
    page.get_by_role("link", name="10 more replies").click()
    expect(page.locator("h1")).to_have_text("Replies 5–9 of 14")
    expect(page.locator(f"#comment-{replies[4].pk}")).to_be_visible()
    page.get_by_role("link", name="Next →").click()
    expect(page.locator(f"#comment-{replies[13].pk}")).to_be_visible()
    context.close()
