"""Bad input anywhere gets a clear answer (4xx or a page), never a server error."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from comments.models import Comment, Thread
from films.models import Character, Film, Person
from news.models import Post
from tests.factories import make_staff, make_user

pytestmark = pytest.mark.django_db

ODD_QUERIES = ["", "?page=abc", "?page=99999", "?page=-1", "?sort=bogus", "?q=" + "x" * 500]


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def public_urls() -> list[str]:
    film, person = Film.objects.first(), Person.objects.first()
    character, post = Character.objects.first(), Post.objects.published().first()
    thread, comment = Thread.objects.filter(comment_count__gt=0).first(), Comment.objects.first()
    return [
        reverse("home"),
        reverse("search"),
        reverse("films:index"),
        film.get_absolute_url(),
        reverse("films:cast", args=[film.slug]),
        person.get_absolute_url(),
        character.get_absolute_url(),
        reverse("news:index"),
        reverse("news:feed"),
        reverse("news:atom"),
        post.get_absolute_url(),
        reverse("comments:index"),
        thread.get_absolute_url(),
        comment.get_absolute_url(),
        "/sitemap.xml",
        "/users/postit_queen/",
    ]


@pytest.mark.parametrize("who", ["anonymous", "member", "staff"])
def test_pages_never_answer_with_a_server_error(client, demo, who):
    if who != "anonymous":
        client.force_login(make_staff() if who == "staff" else make_user())
    for url in public_urls():
        for query in ODD_QUERIES:
            response = client.get(url + query, follow=True)
            assert response.status_code < 500, (url + query, response.status_code)


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_empty_posts_to_every_form_never_answer_with_a_server_error(client, demo, who):
    if who == "member":
        client.force_login(make_user())
    thread, comment = Thread.objects.filter(comment_count__gt=0).first(), Comment.objects.first()
    urls = [
        reverse("comments:comment-create", args=[thread.pk]),
        reverse("comments:reply", args=[comment.pk]),
        reverse("comments:edit", args=[comment.pk]),
        reverse("comments:delete", args=[comment.pk]),
        reverse("comments:like", args=[comment.pk]),
        reverse("comments:flag", args=[comment.pk]),
        reverse("comments:follow", args=[thread.pk]),
        reverse("comments:remove", args=[comment.pk]),
        reverse("comments:lock", args=[thread.pk]),
        reverse("comments:preview"),
        reverse("comments:thread-new"),
        reverse("accounts:profile-edit"),
        reverse("comments:unsubscribe", args=["not-a-token"]),
    ]
    for url in urls:
        for data in ({}, {"body": ""}, {"body": "x" * 20_000}, {"parent": "nope"}):
            response = client.post(url, data)
            assert response.status_code < 500, (url, data, response.status_code)
