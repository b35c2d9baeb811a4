"""The Follow button, the Following page, and the notifications page's new kinds."""

import json

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from comments import following, services
from comments.models import EmailChoice, Follow, Notification, NotificationKind, SeenFilm
from films import services as film_services
from films.models import ReturnStatus
from tests.comments.test_following import make_news
from tests.factories import (
    make_character,
    make_credit,
    make_film,
    make_person,
    make_sequel,
    make_user,
    start_thread,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _follow_url(subject) -> str:
    return reverse("comments:follow-subject", args=[subject._meta.model_name, subject.slug])


# The Follow button ----------------------------------------------------------------------------


@pytest.mark.parametrize("make", [make_film, make_person, make_character])
def test_a_visitor_sees_the_follower_count_and_a_sign_in_link(client, make):
    subject = make()
    for _ in range(2):
        following.follow_set(user=make_user(), subject=subject, following=True)
    response = client.get(subject.get_absolute_url())
    assertContains(response, "2 followers")
    assertContains(response, f"/accounts/login/?next={subject.get_absolute_url()}")
    assertContains(response, "Sign in to follow")


@pytest.mark.parametrize("make", [make_film, make_person, make_character])
def test_a_member_sees_a_follow_button_that_posts(user_client, make):
    subject = make()
    response = user_client.get(subject.get_absolute_url())
    assertContains(response, f'action="{_follow_url(subject)}"')
    assertContains(response, "0 followers")


def test_a_visitors_follow_is_refused_with_the_way_to_sign_in_not_an_error(client):
    person = make_person()
    response = client.post(_follow_url(person), {"following": "1"})
    assert response.status_code == 403
    assertContains(response, "/accounts/login/", status_code=403)
    assert not Follow.objects.exists()


def test_a_visitors_htmx_follow_is_sent_to_sign_in(client):
    response = client.post(_follow_url(make_person()), {"following": "1"}, **HTMX)
    assert response["HX-Redirect"].startswith("/accounts/login/")


def test_following_without_javascript_goes_back_to_the_page(user_client, user):
    person = make_person(name="Alan Cumming")
    response = user_client.post(
        _follow_url(person), {"following": "1", "next": person.get_absolute_url()}, follow=True
    )
    assertRedirects(response, person.get_absolute_url())
    assertContains(response, "You follow Alan Cumming")
    assertContains(response, "Following · stop")
    assertContains(response, "1 follower<")
    assert Follow.objects.of(person).filter(user=user).exists()


def test_following_with_htmx_answers_the_button_alone(user_client, user):
    character = make_character()
    response = user_client.post(_follow_url(character), {"following": "1"}, **HTMX)
    assertContains(response, "Following · stop")
    assertNotContains(response, "<html")
    response = user_client.post(_follow_url(character), {"following": "0"}, **HTMX)
    assertContains(response, ">\n        Follow<")
    assert not Follow.objects.exists()


def test_sending_the_same_follow_twice_keeps_one(user_client):
    film = make_film()
    for _ in range(2):
        user_client.post(_follow_url(film), {"following": "1"})
    assert Follow.objects.of(film).count() == 1


def test_following_an_unknown_kind_or_slug_is_404(user_client):
    assert user_client.post("/discussions/follow/post/anything/").status_code == 404
    assert user_client.post("/discussions/follow/person/nobody/").status_code == 404


def test_the_follow_url_takes_no_get(user_client):
    assert user_client.get(_follow_url(make_person())).status_code == 405


def test_a_foreign_next_is_not_followed(user_client):
    person = make_person()
    response = user_client.post(
        _follow_url(person), {"following": "1", "next": "https://evil.example/"}
    )
    assertRedirects(response, person.get_absolute_url(), fetch_redirect_response=False)


# Character and person pages -------------------------------------------------------------------


def test_a_character_page_shows_its_discussions(client):
    character = make_character()
    start_thread(character=character, title="Sandy's glow-up")
    assertContains(client.get(character.get_absolute_url()), "Sandy&#x27;s glow-up")


def test_a_person_page_shows_its_discussions(client):
    person = make_person()
    start_thread(person=person, title="Her best role")
    assertContains(client.get(person.get_absolute_url()), "Her best role")


# The Following page ---------------------------------------------------------------------------


def test_the_following_page_needs_signing_in(client):
    response = client.get(reverse("comments:following"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_following_page_lists_everything_followed_with_unfollow(user_client, user):
    film, person, character = make_film(), make_person(), make_character()
    for subject in (film, person, character):
        following.follow_set(user=user, subject=subject, following=True)
    thread = start_thread(title="Best outfit?")
    services.subscription_toggle(thread=thread, user=user)
    following.follow_set(user=make_user(), subject=make_person(name="Not mine"), following=True)
    response = user_client.get(reverse("comments:following"))
    for subject in (film, person, character):
        assertContains(response, f'href="{subject.get_absolute_url()}"')
        assertContains(response, f'action="{_follow_url(subject)}"')
    assertContains(response, "Best outfit?")
    assertContains(response, f'action="{thread.get_follow_url()}"')
    assertNotContains(response, "Not mine")


def test_unfollowing_from_the_following_page_comes_back_to_it(user_client, user):
    person = make_person()
    following.follow_set(user=user, subject=person, following=True)
    page = reverse("comments:following")
    response = user_client.post(_follow_url(person), {"following": "0", "next": page})
    assertRedirects(response, page)
    assert not Follow.objects.exists()


def test_unfollowing_a_discussion_from_the_following_page(user_client, user):
    thread = start_thread()
    services.subscription_toggle(thread=thread, user=user)
    page = reverse("comments:following")
    response = user_client.post(thread.get_follow_url(), {"next": page})
    assertRedirects(response, page)
    assert not user.subscriptions.exists()


def test_the_email_choices_are_saved(user_client, user):
    kept = {kind: "on" for kind in NotificationKind.values if kind != NotificationKind.NEWS}
    response = user_client.post(reverse("comments:email-choices"), kept)
    assertRedirects(response, reverse("comments:following") + "#email")
    assert dict(EmailChoice.objects.filter(user=user).values_list("kind", "wanted")) == {
        NotificationKind.NEWS: False,
        NotificationKind.THREAD_COMMENT: True,
    }
    page = user_client.get(reverse("comments:following"))
    assertContains(page, f'name="{NotificationKind.THREAD_COMMENT}" id="id_thread_comment" checked')
    assertNotContains(page, f'name="{NotificationKind.NEWS}" id="id_news" checked')


def test_the_email_choices_take_no_get(user_client):
    assert user_client.get(reverse("comments:email-choices")).status_code == 405


def test_a_visitor_cannot_save_email_choices(client):
    response = client.post(reverse("comments:email-choices"), {})
    assert response.status_code == 302
    assert not EmailChoice.objects.exists()


def test_the_following_page_says_when_all_email_is_off(client):
    member = make_user(email_notifications=False)
    client.force_login(member)
    assertContains(client.get(reverse("comments:following")), "All email from us is off")


def test_the_account_menu_and_the_notifications_page_link_to_following(user_client):
    assertContains(user_client.get("/"), f'href="{reverse("comments:following")}"')
    assertContains(
        user_client.get(reverse("comments:notifications")), reverse("comments:following")
    )


def test_following_page_queries_do_not_grow(user_client, user, django_assert_max_num_queries):
    """Guards the Following page against a query per followed film, person, character or
    discussion (each row's subject, each discussion's post)."""

    def follow_some():
        for make in (make_film, make_person, make_character):
            following.follow_set(user=user, subject=make(), following=True)
        services.subscription_toggle(thread=start_thread(), user=user)

    follow_some()
    with django_assert_max_num_queries(10) as few:
        user_client.get(reverse("comments:following"))
    for _ in range(5):
        follow_some()
    with django_assert_max_num_queries(len(few.captured_queries)):
        user_client.get(reverse("comments:following"))


# The notifications page -----------------------------------------------------------------------


def _one_of_each_kind(member, captured):
    alan = make_person(name="Alan Cumming")
    sandy = make_character(name="Sandy Frink")
    following.follow_set(user=member, subject=alan, following=True)
    following.follow_set(user=member, subject=sandy, following=True)
    post = make_news(title="Alan is back")
    post.people.add(alan)
    following.announce_post(post=post)
    start_thread(character=sandy, title="Sandy's company")
    credit = make_credit(film=make_sequel(title="The sequel"), person=alan, character=sandy)
    with captured(execute=True):
        film_services.credit_set_status(credit=credit, status=ReturnStatus.EXPRESSED_INTEREST)
    return post, credit


def test_the_notifications_page_says_what_each_new_kind_is_about(
    client, django_capture_on_commit_callbacks
):
    member = make_user()
    client.force_login(member)
    _one_of_each_kind(member, django_capture_on_commit_callbacks)
    response = client.get(reverse("comments:notifications"))
    assertContains(response, "News about Alan Cumming: <strong>Alan is back</strong>")
    assertContains(response, "New discussion about Sandy Frink:")
    assertContains(response, "Who is returning for The sequel:")
    assertContains(response, "Alan Cumming (Sandy Frink):\n      expressed interest")


def test_opening_a_news_notification_goes_to_the_post_and_marks_it_read(
    client, django_capture_on_commit_callbacks
):
    member = make_user()
    client.force_login(member)
    post, credit = _one_of_each_kind(member, django_capture_on_commit_callbacks)
    news = Notification.objects.get(kind=NotificationKind.NEWS)
    response = client.post(reverse("comments:notification-open", args=[news.pk]))
    assertRedirects(response, post.get_absolute_url(), fetch_redirect_response=False)
    news.refresh_from_db()
    assert news.read_at is not None
    tracker = Notification.objects.get(kind=NotificationKind.TRACKER)
    response = client.get(reverse("comments:notification-open", args=[tracker.pk]))
    assert response["Location"] == credit.film.get_absolute_url() + "#returning"
    tracker.refresh_from_db()
    assert tracker.read_at is None  # A GET only goes there.


def test_the_sequel_page_has_the_anchor_tracker_notifications_open(client):
    sequel = make_sequel()
    assertContains(client.get(sequel.get_absolute_url()), 'id="returning"')


def test_notifications_page_queries_do_not_grow_with_new_kinds(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """Guards the list against a query per notification for its post, thread, status change,
    credit, film, person or character."""
    member = make_user()
    client.force_login(member)
    _one_of_each_kind(member, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("comments:notifications"))
    for _ in range(4):
        _one_of_each_kind(member, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(recipient=member).count() == 15
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("comments:notifications"))


# The member's data ----------------------------------------------------------------------------


def test_the_export_holds_follows_seen_films_email_choices_and_new_notifications(
    client, django_capture_on_commit_callbacks
):
    from comments.emails import email_choices_set

    member = make_user()
    client.force_login(member)
    _one_of_each_kind(member, django_capture_on_commit_callbacks)
    film = make_film(title="Romy and Michele")
    SeenFilm.objects.create(user=member, film=film)
    email_choices_set(user=member, wanted={NotificationKind.NEWS: False})
    data = json.loads(client.get(reverse("accounts:export")).content)
    assert {(f["kind"], f["name"]) for f in data["following"]} == {
        ("person", "Alan Cumming"),
        ("character", "Sandy Frink"),
    }
    assert [s["film"] for s in data["seen_films"]] == ["Romy and Michele"]
    assert data["email_choices"] == {"news": False}
    assert {n["kind"] for n in data["notifications"]} == {"news", "new_thread", "tracker"}


def test_deleting_the_account_takes_its_follows_seen_films_and_choices():
    from accounts.services import account_delete
    from comments.emails import email_choices_set

    member = make_user()
    following.follow_set(user=member, subject=make_person(), following=True)
    SeenFilm.objects.create(user=member, film=make_film())
    email_choices_set(user=member, wanted={NotificationKind.NEWS: False})
    account_delete(user=member)
    assert not Follow.objects.exists()
    assert not SeenFilm.objects.exists()
    assert not EmailChoice.objects.exists()


def test_following_too_often_is_refused_in_place(user_client):
    person = make_person()
    for number in range(30):
        user_client.post(_follow_url(person), {"following": str(number % 2)}, **HTMX)
    response = user_client.post(_follow_url(person), {"following": "1"}, **HTMX)
    assert response.status_code == 429
    assertContains(response, "follow or stop following 30 times", status_code=429)
    assertContains(response, 'class="follow-subject"', status_code=429)


def test_a_discussion_giving_a_film_away_keeps_its_title_out_of_notifications_until_seen(client):
    film, member = make_film(title="The Reunion"), make_user()
    client.force_login(member)
    following.follow_set(user=member, subject=film, following=True)
    start_thread(film=film, title="The ending: it was a dream", spoilers_for=film)
    response = client.get(reverse("comments:notifications"))
    assertNotContains(response, "it was a dream")
    assertContains(response, "a discussion with spoilers for The Reunion")
    SeenFilm.objects.create(user=member, film=film)
    assertContains(client.get(reverse("comments:notifications")), "it was a dream")
