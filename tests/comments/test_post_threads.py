"""A news post's thread is made by the first write that needs it (a comment, a follow), in that
write's transaction, never by showing the post."""

import pytest
from django.urls import reverse

from comments import services
from comments.models import Subscription, Thread
from tests.factories import make_post, make_user

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def post():
    return make_post(title="The sequel is on")


def _comment_url(post) -> str:
    return reverse("comments:post-comment", args=[post.pk])


def _follow_url(post) -> str:
    return reverse("comments:post-follow", args=[post.pk])


def test_first_comment_on_a_post_makes_its_thread_with_the_comment(client, post):
    client.force_login(make_user())
    client.post(_comment_url(post), {"body": "At last!"})
    thread = Thread.objects.get(post=post)
    assert thread.title == "The sequel is on"
    assert [c.body for c in thread.comments.all()] == ["At last!"]
    assert thread.comment_count == 1


def test_first_comment_on_a_post_without_javascript_goes_to_the_comment(client, post):
    client.force_login(make_user())
    response = client.post(_comment_url(post), {"body": "At last!"})
    comment = Thread.objects.get(post=post).comments.get()
    assert response.url == comment.get_absolute_url()


def test_first_comment_on_a_post_by_htmx_swaps_in_the_whole_section(client, post):
    client.force_login(make_user())
    response = client.post(_comment_url(post), {"body": "At last!"}, **HTMX)
    thread = Thread.objects.get(post=post)
    assert response["HX-Retarget"] == "#comments"
    assert response["HX-Reswap"] == "outerHTML"
    html = response.content.decode()
    assert "At last!" in html
    assert f'id="comments-{thread.pk}"' in html


def test_later_comments_on_a_post_join_its_one_thread(client, post):
    client.force_login(make_user())
    client.post(_comment_url(post), {"body": "One"})
    response = client.post(_comment_url(post), {"body": "Two"}, **HTMX)
    thread = Thread.objects.get(post=post)
    assert thread.comments.count() == 2
    assert response["HX-Retarget"] == f"#comments-{thread.pk}"


def test_an_invalid_first_comment_makes_no_thread(client, post):
    client.force_login(make_user())
    response = client.post(_comment_url(post), {"body": " "})
    assert response.status_code == 400
    assert not Thread.objects.filter(post=post).exists()


def test_a_preview_of_a_first_comment_makes_no_thread(client, post):
    client.force_login(make_user())
    response = client.post(_comment_url(post), {"body": "Hello", "preview": "1"})
    assert response.status_code == 200
    assert not Thread.objects.filter(post=post).exists()


def test_commenting_on_a_draft_post_is_404_for_a_member(client):
    client.force_login(make_user())
    draft = make_post(published=False)
    assert client.post(_comment_url(draft), {"body": "Early"}).status_code == 404
    assert not Thread.objects.filter(post=draft).exists()


def test_commenting_on_a_post_needs_a_verified_email(client, post):
    client.force_login(make_user(verified=False))
    assert client.post(_comment_url(post), {"body": "Hi"}).status_code == 403
    assert not Thread.objects.filter(post=post).exists()


def test_a_get_on_the_post_comment_address_is_refused(client, post):
    client.force_login(make_user())
    assert client.get(_comment_url(post)).status_code == 405


def test_following_a_post_without_a_thread_makes_it_and_follows_it(client, post):
    fan = make_user()
    client.force_login(fan)
    client.post(_follow_url(post))
    thread = Thread.objects.get(post=post)
    assert Subscription.objects.filter(thread=thread, user=fan).exists()


def test_following_a_post_by_htmx_answers_with_the_threads_follow_form(client, post):
    client.force_login(make_user())
    response = client.post(_follow_url(post), **HTMX)
    thread = Thread.objects.get(post=post)
    html = response.content.decode()
    assert f'id="follow-{thread.pk}"' in html
    assert 'aria-pressed="true"' in html


def test_following_a_post_twice_stops_following_its_one_thread(client, post):
    fan = make_user()
    client.force_login(fan)
    client.post(_follow_url(post))
    client.post(_follow_url(post))
    assert Thread.objects.filter(post=post).count() == 1
    assert not Subscription.objects.filter(user=fan).exists()


def test_the_post_page_without_a_thread_posts_its_form_to_the_post(client, post):
    client.force_login(make_user())
    html = client.get(post.get_absolute_url()).content.decode()
    assert f'action="{_comment_url(post)}"' in html
    assert f'action="{_follow_url(post)}"' in html


def test_comment_create_on_a_posts_unsaved_thread_makes_the_thread(post):
    comment = services.comment_create(
        thread=Thread(post=post, title=post.title), author=make_user(), body="First"
    )
    assert comment.thread == Thread.objects.get(post=post)


def test_comment_create_on_an_unsaved_thread_finds_one_made_meanwhile(post):
    """Two first comments racing: the second finds the thread the first one made."""
    made = services.thread_for_post(post=post)
    comment = services.comment_create(
        thread=Thread(post=post, title=post.title), author=make_user(), body="Second"
    )
    assert comment.thread_id == made.pk
    assert Thread.objects.filter(post=post).count() == 1
