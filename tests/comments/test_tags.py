import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from comments import services
from comments.models import Thread
from tests.factories import make_film, make_person, make_post, make_user, start_thread

pytestmark = pytest.mark.django_db


def _render(source: str, user=None, path: str = "/", **context) -> str:
    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    template = Template("{% load comments_tags %}" + source)
    return template.render(Context({"request": request, "user": request.user, **context}))


def test_discussions_for_lists_the_subjects_threads_and_a_start_link():
    film, other = make_film(), make_film()
    start_thread(title="About this film", film=film)
    start_thread(title="About another", film=other)
    html = _render("{% discussions_for film %}", film=film)
    assert "About this film" in html
    assert "About another" not in html
    assert reverse("comments:thread-new-about", args=["film", film.slug]) in html


def test_discussions_for_a_person_with_none_yet_invites_one():
    person = make_person(name="Alan Cumming")
    html = _render("{% discussions_for person %}", person=person)
    assert "No one has started a discussion about Alan Cumming yet." in html


def test_discussions_for_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    """Guards the list against a query per thread for its last poster."""
    film = make_film()
    for _ in range(8):
        start_thread(film=film)
    with django_assert_max_num_queries(1):
        _render("{% discussions_for film %}", film=film)


def test_post_without_a_thread_shows_a_comment_form_and_makes_no_thread():
    post = make_post()
    html = _render("{% comment_thread_for_post post %}", user=make_user(), post=post)
    assert reverse("comments:post-comment", args=[post.pk]) in html
    assert 'name="body"' in html
    assert "No comments yet" in html
    assert not Thread.objects.filter(post=post).exists()


def test_post_thread_shows_its_comments():
    post = make_post()
    thread = services.thread_for_post(post=post)
    services.comment_create(thread=thread, author=make_user(), body="Great news!")
    html = _render("{% comment_thread_for_post post %}", user=make_user(), post=post)
    assert "Great news!" in html
    assert f'id="comment-form-{thread.pk}"' in html


def test_post_thread_asks_anonymous_visitors_to_sign_in():
    post = make_post()
    html = _render("{% comment_thread_for_post post %}", post=post, path="/news/x/")
    assert "Sign in" in html
    assert 'name="body"' not in html


def test_post_thread_queries_do_not_grow_with_comments(django_assert_max_num_queries):
    """Guards the post's comment list against a query per comment or reply."""
    post = make_post()
    thread = services.thread_for_post(post=post)
    root = services.comment_create(thread=thread, author=make_user(), body="a")
    services.comment_create(thread=thread, author=make_user(), body="b", parent=root)
    fan = make_user()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        _render("{% comment_thread_for_post post %}", user=fan, post=post)
    for n in range(15):
        parent = services.comment_create(thread=thread, author=make_user(), body=f"c{n}")
        services.comment_create(thread=thread, author=make_user(), body="d", parent=parent)
    fan = make_user()  # a fresh user object, so no cached permission lookups
    with django_assert_max_num_queries(len(few)):
        _render("{% comment_thread_for_post post %}", user=fan, post=post)


def test_active_discussions_on_the_home_page(client):
    start_thread(title="Lively chat")
    Thread.objects.create(title="Empty thread")
    html = client.get(reverse("home")).content.decode()
    assert "Lively chat" in html
    assert "Empty thread" not in html


def test_notification_badge_refresh_for_signed_in_users_only(client, user):
    assert client.get(reverse("comments:notification-badge")).status_code == 204
    client.force_login(user)
    assert (
        'id="header-notifications"'
        in client.get(reverse("comments:notification-badge")).content.decode()
    )
