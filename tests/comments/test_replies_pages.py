"""A top-level comment with many replies: the thread page shows its first ones and a "more
replies" link (htmx in place, or a page of its own), and a link to any reply lands on a page
that shows it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from comments.models import Comment, Notification, NotificationKind, Thread
from tests.factories import make_user

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _small_pages(settings):
    settings.COMMENTS_REPLIES_SHOWN = 3
    settings.COMMENTS_REPLIES_PER_PAGE = 4


def _tree(replies: int, *, chain_every: int = 0, thread=None) -> Comment:
    """A top-level comment with `replies` replies written one second apart: replies to the root,
    and with `chain_every`, every so many a reply to the reply before it."""
    author = make_user()
    thread = thread or Thread.objects.create(title="Busy", comment_count=replies + 1)
    start = timezone.now() - timedelta(days=1)
    root = Comment.objects.create(
        thread=thread, author=author, body="Root", body_html="<p>Root</p>", created_at=start
    )
    made: list[Comment] = []
    batch: list[Comment] = []
    for n in range(replies):
        parent = root
        if chain_every and n % chain_every and made:
            parent = made[-1]
        reply = Comment(
            thread=thread,
            author=author,
            body=f"Reply {n}",
            body_html=f"<p>Reply {n}</p>",
            parent=parent,
            root=root,
            depth=parent.depth + 1,
            created_at=start + timedelta(seconds=n + 1),
        )
        if parent is root:
            batch.append(reply)
        else:  # Its parent must be saved first.
            Comment.objects.bulk_create(batch)
            batch = []
            reply.save()
        made.append(reply)
    Comment.objects.bulk_create(batch)
    Comment.objects.filter(pk=root.pk).update(reply_count=replies)
    root.refresh_from_db()
    return root


def _shown_ids(html: str) -> list[int]:
    return [
        int(pk) for pk in re.findall(r'<li class="comment-item[^"]*"\s+id="comment-(\d+)"', html)
    ]


def test_thread_page_shows_the_first_replies_with_a_link_to_more(client):
    root = _tree(10)
    html = client.get(root.thread.get_absolute_url()).content.decode()
    first = list(Comment.objects.replies_of(root).values_list("pk", flat=True)[:3])
    assert _shown_ids(html) == [root.pk, *first]
    url = reverse("comments:replies", args=[root.pk])
    assert f'href="{url}?page=1"' in html
    assert f'data-hx-get="{url}?page=1"' in html
    assert "7 more replies" in html


def test_comment_with_few_replies_has_no_more_link(client):
    root = _tree(3)
    html = client.get(root.thread.get_absolute_url()).content.decode()
    assert len(_shown_ids(html)) == 4
    assert "more-replies-" not in html


def test_a_shown_reply_always_has_its_parent_shown(client):
    root = _tree(12, chain_every=3)
    html = client.get(root.thread.get_absolute_url()).content.decode()
    shown = set(_shown_ids(html))
    for reply in Comment.objects.filter(pk__in=shown, root=root):
        assert reply.parent_id in shown


def test_htmx_more_puts_each_reply_under_its_parent_and_links_the_next_page(client):
    root = _tree(12, chain_every=2)
    url = reverse("comments:replies", args=[root.pk])
    response = client.get(url, {"page": 1}, **HTMX)
    html = response.content.decode()
    page = list(Comment.objects.replies_of(root)[3:7])
    assert _shown_ids(html) == [reply.pk for reply in page]
    outside = {reply.parent_id for reply in page} - {reply.pk for reply in page}
    for parent_id in outside:
        assert f'data-hx-swap-oob="beforeend:#replies-{parent_id}"' in html
    assert "<html" not in html
    assert f'data-hx-get="{url}?page=2"' in html


def test_htmx_last_page_says_all_replies_are_shown(client):
    root = _tree(5)
    response = client.get(reverse("comments:replies", args=[root.pk]), {"page": 1}, **HTMX)
    assertContains(response, "All replies shown.")
    assertNotContains(response, "data-hx-get=")


def test_plain_replies_page_shows_a_page_of_later_replies(client):
    root = _tree(12, chain_every=2)
    response = client.get(reverse("comments:replies", args=[root.pk]), {"page": 2})
    html = response.content.decode()
    assert response.status_code == 200
    page = list(Comment.objects.replies_of(root)[7:11])
    assert set(_shown_ids(html)) == {root.pk} | {reply.pk for reply in page}
    assert "In reply to an earlier reply" in html
    assert "Replies 8–11 of 12" in html
    assert 'rel="prev" href="?page=1"' in html


def test_replies_page_is_404_for_a_reply(client):
    root = _tree(4)
    reply = Comment.objects.replies_of(root).first()
    assert client.get(reverse("comments:replies", args=[reply.pk])).status_code == 404


def test_link_to_a_reply_far_down_lands_on_the_page_that_shows_it(client):
    root = _tree(30)
    reply = Comment.objects.replies_of(root)[20]  # 21st: (21 - 3 shown) on page 5 of 4 each.
    response = client.get(reply.get_absolute_url())
    expected = reverse("comments:replies", args=[root.pk]) + f"?page=5#comment-{reply.pk}"
    assert response.url == expected
    page = client.get(response.url.split("#")[0])
    assert reply.pk in _shown_ids(page.content.decode())


def test_link_to_one_of_the_first_replies_lands_on_the_thread_page(client):
    root = _tree(30)
    reply = Comment.objects.replies_of(root)[2]
    response = client.get(reply.get_absolute_url())
    assert response.url == f"{root.thread.get_absolute_url()}#comment-{reply.pk}"


def test_notification_of_a_reply_far_down_opens_its_page(client):
    root = _tree(30)
    reply = Comment.objects.replies_of(root).last()
    reader = make_user()
    notification = Notification.objects.create(
        recipient=reader, kind=NotificationKind.REPLY, comment=reply
    )
    client.force_login(reader)
    response = client.get(notification.get_target_url(), follow=True)
    assert reply.pk in _shown_ids(response.content.decode())


# The ceiling for every page, signed in or not, small data or large.
MAX_QUERIES = 12


@pytest.mark.parametrize("signed_in", [False, True])
def test_thread_page_queries_do_not_grow_with_one_comments_replies(
    client, settings, signed_in, django_assert_max_num_queries
):
    """Guards the first replies of each root against an N+1 and against loading every reply:
    a comment with 5,000 replies costs the queries one with 10 does, at most 12."""
    settings.COMMENTS_REPLIES_SHOWN = 10
    if signed_in:
        client.force_login(make_user())
    small, big = _tree(10), _tree(5000)
    for root in (small, big):  # What the thread's version keeps (its count, its first comment).
        client.get(root.thread.get_absolute_url() + "?sort=newest")
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(small.thread.get_absolute_url())
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(big.thread.get_absolute_url())
    assert len(_shown_ids(response.content.decode())) == 11


@pytest.mark.parametrize("htmx", [False, True])
def test_replies_page_queries_do_not_grow_with_the_replies(
    client, settings, htmx, django_assert_max_num_queries
):
    """Guards a page of replies against loading the whole tree or a query per reply."""
    settings.COMMENTS_REPLIES_PER_PAGE = 50
    client.force_login(make_user())
    extra = HTMX if htmx else {}
    small, big = _tree(20, chain_every=3), _tree(5000, chain_every=3)
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(reverse("comments:replies", args=[small.pk]), **extra)
    url = reverse("comments:replies", args=[big.pk])
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url, {"page": 60}, **extra)
    assert len(_shown_ids(response.content.decode())) == 50 + (0 if htmx else 1)  # The root.


# Where a new top-level comment posted with htmx goes --------------------------------------------


def _post(client, thread, **fields):
    url = reverse("comments:comment-create", args=[thread.pk])
    return client.post(url, {"body": "New one", **fields}, **HTMX)


def _thread_with_roots(count: int) -> Thread:
    thread = Thread.objects.create(title="Roots", comment_count=count)
    author = make_user()
    start = timezone.now() - timedelta(days=1)
    Comment.objects.bulk_create(
        Comment(thread=thread, author=author, body="r", body_html="<p>r</p>",
                created_at=start + timedelta(seconds=n))
        for n in range(count)
    )  # fmt: skip
    return thread


def test_new_comment_newest_first_goes_to_the_top_of_page_one(client, settings):
    settings.COMMENTS_PER_PAGE = 5
    thread = _thread_with_roots(12)
    client.force_login(make_user())
    response = _post(client, thread, sort="newest", page="1")
    assert response["HX-Retarget"] == f"#comments-{thread.pk}"
    assert response["HX-Reswap"] == "afterbegin"
    assert 'class="comment-item comment-item--new"' in response.content.decode()


def test_new_comment_oldest_first_goes_to_the_end_of_the_last_page(client, settings):
    settings.COMMENTS_PER_PAGE = 5
    thread = _thread_with_roots(12)
    client.force_login(make_user())
    response = _post(client, thread, sort="oldest", page="3")
    assert response["HX-Reswap"] == "beforeend"
    assert 'class="comment-item comment-item--new"' in response.content.decode()


def test_new_comment_on_another_page_says_where_it_is(client, settings):
    settings.COMMENTS_PER_PAGE = 5
    thread = _thread_with_roots(12)
    client.force_login(make_user())
    response = _post(client, thread, sort="oldest", page="1")
    comment = Comment.objects.get(body="New one")
    html = response.content.decode()
    assert response["HX-Reswap"] == "beforeend"
    assert "comment-item comment-item--new" not in html
    assert f'<a href="{comment.get_absolute_url()}">page 3</a>' in html
    newest = _post(client, thread, sort="newest", page="2").content.decode()
    assert "page 1</a>" in newest
    assert "?sort=newest" in newest


def test_new_comment_most_liked_goes_where_no_likes_go(client, settings):
    settings.COMMENTS_PER_PAGE = 5
    thread = _thread_with_roots(12)
    Comment.objects.filter(thread=thread).update(like_count=1)
    client.force_login(make_user())
    last = _post(client, thread, sort="liked", page="3")
    assert last["HX-Reswap"] == "beforeend"
    assert "comment-item comment-item--new" in last.content.decode()
    first = _post(client, thread, sort="liked", page="1").content.decode()
    assert "page 3</a>" in first
