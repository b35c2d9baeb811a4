"""Email for what members follow, the per-kind choices, and the per-kind unsubscribe link."""

import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from comments import following, services
from comments.emails import email_choices_of, email_choices_set, email_wanted_by
from comments.models import EMAIL_BY_DEFAULT, EmailChoice, NotificationKind
from comments.unsubscribe import read_unsubscribe_token, unsubscribe_token
from films import services as film_services
from films.models import ReturnStatus
from tests.comments.test_following import make_news
from tests.factories import (
    make_character,
    make_credit,
    make_person,
    make_post,
    make_sequel,
    make_user,
    start_thread,
)

pytestmark = pytest.mark.django_db
UNSUBSCRIBE_LINK = re.compile(r"https?://\S+/discussions/unsubscribe/\S+/")


def _announce(person, captured, **post_fields):
    post = make_news(**post_fields)
    post.people.add(person)
    with captured(execute=True):
        following.announce_post(post=post)
    return post


def _path(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


# Which emails a member gets -------------------------------------------------------------------


def test_email_choices_default_until_the_member_chooses():
    user = make_user()
    assert email_choices_of(user) == {str(k): v for k, v in EMAIL_BY_DEFAULT.items()}
    email_choices_set(user=user, wanted={NotificationKind.NEWS: False})
    assert email_choices_of(user)[NotificationKind.NEWS] is False
    assert email_choices_of(user)[NotificationKind.REPLY] is True


def test_a_choice_back_to_the_default_is_stored_as_no_row():
    user = make_user()
    email_choices_set(user=user, wanted={NotificationKind.THREAD_COMMENT: True})
    assert EmailChoice.objects.get(user=user).wanted is True
    email_choices_set(user=user, wanted={NotificationKind.THREAD_COMMENT: False})
    assert not EmailChoice.objects.filter(user=user).exists()


def test_the_switch_for_all_email_wins_over_the_choice_of_a_kind():
    off, on = make_user(email_notifications=False), make_user()
    email_choices_set(user=off, wanted={NotificationKind.THREAD_COMMENT: True})
    email_choices_set(user=on, wanted={NotificationKind.THREAD_COMMENT: True})
    assert email_wanted_by([off.pk, on.pk], NotificationKind.THREAD_COMMENT) == {on.pk}


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="No such kind"):
        email_choices_set(user=make_user(), wanted={"gossip": True})


# The emails -----------------------------------------------------------------------------------


def test_news_email_has_title_standfirst_link_and_a_link_for_its_kind(
    mailoutbox, django_capture_on_commit_callbacks
):
    alan, fan = make_person(name="Alan Cumming"), make_user()
    following.follow_set(user=fan, subject=alan, following=True)
    post = _announce(
        alan, django_capture_on_commit_callbacks, title="Sandy is back", standfirst="He said yes."
    )
    (message,) = mailoutbox
    assert message.to == [fan.email]
    assert message.subject == "[Romy and Michele fans] News about Alan Cumming: Sandy is back"
    assert "Sandy is back" in message.body
    assert "He said yes." in message.body
    assert post.get_absolute_url() in message.body
    header = message.extra_headers["List-Unsubscribe"].strip("<>")
    asked = read_unsubscribe_token(header.rstrip("/").rsplit("/", 1)[1])
    assert (asked.user_id, asked.kind) == (fan.pk, NotificationKind.NEWS)
    assert header in message.body


def test_new_discussion_email_names_the_subject_and_links_to_it(
    mailoutbox, django_capture_on_commit_callbacks
):
    person, fan = make_person(name="Lisa Kudrow"), make_user()
    following.follow_set(user=fan, subject=person, following=True)
    with django_capture_on_commit_callbacks(execute=True):
        thread = start_thread(person=person, title="Her best scene")
    (message,) = [m for m in mailoutbox if m.to == [fan.email]]
    assert "New discussion about Lisa Kudrow" in message.subject
    assert "“Her best scene”" in message.body
    assert thread.get_absolute_url() in message.body


def test_tracker_email_says_who_what_and_the_source(mailoutbox, django_capture_on_commit_callbacks):
    alan, fan = make_person(name="Alan Cumming"), make_user()
    credit = make_credit(
        film=make_sequel(), person=alan, character=make_character(name="Sandy Frink")
    )
    following.follow_set(user=fan, subject=alan, following=True)
    with django_capture_on_commit_callbacks(execute=True):
        film_services.credit_set_status(
            credit=credit,
            status=ReturnStatus.EXPRESSED_INTEREST,
            source_name="Us Weekly",
            source_url="https://example.com/alan",
        )
    (message,) = mailoutbox
    assert message.subject == "[Romy and Michele fans] Alan Cumming: expressed interest"
    assert "Alan Cumming (Sandy Frink): expressed interest" in message.body
    assert "Source: Us Weekly" in message.body
    assert "https://example.com/alan" in message.body
    assert f"{credit.film.get_absolute_url()}#returning" in message.body


def test_tracker_email_never_names_a_draft_source(mailoutbox, django_capture_on_commit_callbacks):
    credit = make_credit(film=make_sequel())
    following.follow_set(user=make_user(), subject=credit.person, following=True)
    draft = make_post(published=False, title="Secret scoop")
    with django_capture_on_commit_callbacks(execute=True):
        film_services.credit_set_status(
            credit=credit, status=ReturnStatus.CONFIRMED, source_post=draft
        )
    (message,) = mailoutbox
    assert "Secret scoop" not in message.body


def test_no_news_email_for_a_member_who_chose_none(mailoutbox, django_capture_on_commit_callbacks):
    person, fan = make_person(), make_user()
    following.follow_set(user=fan, subject=person, following=True)
    email_choices_set(user=fan, wanted={NotificationKind.NEWS: False})
    _announce(person, django_capture_on_commit_callbacks)
    assert mailoutbox == []
    assert fan.notifications.get().kind == NotificationKind.NEWS


def test_reply_emails_follow_the_choice_for_replies(mailoutbox, django_capture_on_commit_callbacks):
    thread = start_thread()
    root = thread.comments.get()
    email_choices_set(user=root.author, wanted={NotificationKind.REPLY: False})
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(thread=thread, author=make_user(), body="Hi", parent=root)
    assert mailoutbox == []


def test_followed_thread_comments_are_emailed_to_who_chose_them(
    mailoutbox, django_capture_on_commit_callbacks
):
    thread = start_thread()
    chose, did_not = make_user(), make_user()
    for member in (chose, did_not):
        services.subscription_toggle(thread=thread, user=member)
    email_choices_set(user=chose, wanted={NotificationKind.THREAD_COMMENT: True})
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(thread=thread, author=make_user(), body="Something new")
    assert [m.to for m in mailoutbox] == [[chose.email]]
    assert "commented" in mailoutbox[0].subject


# Unsubscribing --------------------------------------------------------------------------------


def test_the_link_of_a_news_email_stops_news_emails_only(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    person, fan = make_person(), make_user()
    following.follow_set(user=fan, subject=person, following=True)
    _announce(person, django_capture_on_commit_callbacks)
    path = _path(UNSUBSCRIBE_LINK.search(mailoutbox[0].body).group(0))
    assertContains(client.get(path), "Stop emails about news about what you follow?")
    response = client.post(path)
    assertContains(response, "news about what you follow")
    assertContains(response, reverse("comments:following"))
    choices = email_choices_of(fan)
    assert choices[NotificationKind.NEWS] is False
    assert all(choices[kind] for kind in (NotificationKind.REPLY, NotificationKind.TRACKER))
    fan.refresh_from_db()
    assert fan.email_notifications is True


def test_a_token_naming_only_the_user_still_stops_every_email(client):
    fan = make_user()
    client.post(reverse("comments:unsubscribe", args=[unsubscribe_token(fan)]))
    fan.refresh_from_db()
    assert fan.email_notifications is False


def test_the_email_links_to_stop_all_email_too(mailoutbox, django_capture_on_commit_callbacks):
    person, fan = make_person(), make_user()
    following.follow_set(user=fan, subject=person, following=True)
    _announce(person, django_capture_on_commit_callbacks)
    tokens = [
        read_unsubscribe_token(link.rstrip("/").rsplit("/", 1)[1])
        for link in UNSUBSCRIBE_LINK.findall(mailoutbox[0].body)
    ]
    assert [token.kind for token in tokens] == [NotificationKind.NEWS, None]


def test_a_token_for_an_unknown_kind_is_404(client):
    from django.core import signing

    from comments.unsubscribe import UNSUBSCRIBE_SALT

    token = signing.dumps({"user": make_user().pk, "kind": "gossip"}, salt=UNSUBSCRIBE_SALT)
    assert client.post(reverse("comments:unsubscribe", args=[token])).status_code == 404


def test_a_new_discussion_giving_a_film_away_keeps_its_title_out_of_the_email(
    mailoutbox, django_capture_on_commit_callbacks
):
    from tests.factories import make_film

    film, fan = make_film(title="The Reunion"), make_user()
    following.follow_set(user=fan, subject=film, following=True)
    with django_capture_on_commit_callbacks(execute=True):
        start_thread(film=film, title="The ending: it was a dream", spoilers_for=film)
    (message,) = [m for m in mailoutbox if m.to == [fan.email]]
    assert "it was a dream" not in message.subject + message.body
    assert "a discussion with spoilers for The Reunion" in message.body
