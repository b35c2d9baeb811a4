"""Following films, people and characters: the services, and who hears of what."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments import following
from comments.models import Follow, Notification, NotificationKind, PostAnnouncement
from films import services as film_services
from films.models import ReturnStatus
from news import services as news_services
from news.models import PostStatus
from tests.factories import (
    make_character,
    make_credit,
    make_film,
    make_person,
    make_post,
    make_sequel,
    make_staff,
    make_user,
    start_thread,
)

pytestmark = pytest.mark.django_db


def _follow(user, *subjects):
    for subject in subjects:
        following.follow_set(user=user, subject=subject, following=True)


def make_news(**overrides):
    """A post just out (the factory's dates step back an hour per object made)."""
    return make_post(published_at=timezone.now() - timedelta(minutes=1), **overrides)


def _news(kind=NotificationKind.NEWS):
    return Notification.objects.filter(kind=kind)


def _publish(post, captured):
    """Publish through the news service, as the admin's action does, running what follows
    the commit."""
    with captured(execute=True):
        news_services.post_publish_now(posts=type(post).objects.filter(pk=post.pk))


def _related_draft(*subjects, **overrides):
    post = make_post(published=False, **overrides)
    news_services.post_relate(post=post, entities=subjects)
    return post


# Following ------------------------------------------------------------------------------------


def test_follow_toggle_follows_then_stops():
    user, person = make_user(), make_person()
    assert following.follow_toggle(user=user, subject=person) is True
    assert Follow.objects.of(person).filter(user=user).exists()
    assert following.follow_toggle(user=user, subject=person) is False
    assert not Follow.objects.of(person).exists()


def test_follow_set_twice_is_the_same_as_once():
    user, film = make_user(), make_film()
    following.follow_set(user=user, subject=film, following=True)
    following.follow_set(user=user, subject=film, following=True)
    assert Follow.objects.of(film).count() == 1
    following.follow_set(user=user, subject=film, following=False)
    following.follow_set(user=user, subject=film, following=False)
    assert not Follow.objects.of(film).exists()


def test_only_films_people_and_characters_can_be_followed():
    with pytest.raises(TypeError, match="Only a film, a person or a character"):
        following.follow_set(user=make_user(), subject=make_post(), following=True)


# News posts -----------------------------------------------------------------------------------


def test_a_member_following_a_film_and_two_people_of_a_post_gets_one_notification(
    django_capture_on_commit_callbacks,
):
    film, alan, lisa = make_film(), make_person(name="Alan Cumming"), make_person()
    fan, other_fan = make_user(), make_user()
    _follow(fan, film, alan, lisa)
    _follow(other_fan, alan)
    post = _related_draft(film, alan, lisa, title="Sandy is back")
    _publish(post, django_capture_on_commit_callbacks)
    assert sorted(_news().values_list("recipient_id", flat=True)) == sorted([fan.pk, other_fan.pk])
    assert _news().get(recipient=other_fan).about == "Alan Cumming"
    assert _news().get(recipient=fan).about.startswith("Alan Cumming, ")


def test_a_post_notifies_followers_of_its_characters_too(django_capture_on_commit_callbacks):
    sandy, fan = make_character(name="Sandy Frink"), make_user()
    _follow(fan, sandy)
    _publish(_related_draft(sandy), django_capture_on_commit_callbacks)
    assert _news().get(recipient=fan).about == "Sandy Frink"


def test_a_draft_notifies_nobody(django_capture_on_commit_callbacks):
    person, fan = make_person(), make_user()
    _follow(fan, person)
    with django_capture_on_commit_callbacks(execute=True):
        post = _related_draft(person)
        post.title = "Still a draft"
        post.save()
    assert not _news().exists()
    assert not PostAnnouncement.objects.exists()


def test_re_saving_a_published_post_never_notifies_twice(django_capture_on_commit_callbacks):
    person, fan = make_person(), make_user()
    _follow(fan, person)
    post = _related_draft(person)
    _publish(post, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        post.title = "Corrected title"
        post.save()
        news_services.post_unpublish(posts=type(post).objects.filter(pk=post.pk))
    _publish(post, django_capture_on_commit_callbacks)
    assert _news().count() == 1
    assert PostAnnouncement.objects.filter(post=post).count() == 1


def test_a_person_related_after_publishing_tells_their_followers_and_nobody_twice(
    django_capture_on_commit_callbacks,
):
    """The admin's suggested links relate a person on a second save of a published post."""
    lisa, alan = make_person(), make_person(name="Alan Cumming")
    lisa_fan, alan_fan = make_user(), make_user()
    _follow(lisa_fan, lisa)
    _follow(alan_fan, alan)
    post = _related_draft(lisa)
    _publish(post, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        news_services.post_relate(post=post, entities=[alan])
    assert sorted(_news().values_list("recipient_id", flat=True)) == sorted(
        [lisa_fan.pk, alan_fan.pk]
    )
    assert _news().get(recipient=alan_fan).about == "Alan Cumming"


def test_announce_post_twice_tells_each_member_once():
    person, fan = make_person(), make_user()
    _follow(fan, person)
    post = make_news()
    post.people.add(person)
    assert following.announce_post(post=post) == 1
    assert following.announce_post(post=post) == 0
    assert _news().count() == 1


def test_the_posts_author_is_not_told_of_their_own_post(django_capture_on_commit_callbacks):
    editor, person = make_staff(), make_person()
    _follow(editor, person)
    _publish(_related_draft(person, author=editor), django_capture_on_commit_callbacks)
    assert not _news().exists()


def test_an_old_post_saved_again_is_no_news(django_capture_on_commit_callbacks):
    """Posts out before following existed have no announcement row: editing one tells nobody."""
    person, fan = make_person(), make_user()
    _follow(fan, person)
    post = make_post(published_at=timezone.now() - timedelta(days=30))
    post.people.add(person)
    with django_capture_on_commit_callbacks(execute=True):
        post.save()
    assert not _news().exists()


def _scheduled_post_followed_by(fan, captured, when=None):
    """A post about a person the fan follows, scheduled (saved, its commit run) for `when`."""
    person = make_person()
    _follow(fan, person)
    with captured(execute=True):
        post = _related_draft(person)
        post.status = PostStatus.PUBLISHED
        post.published_at = when or timezone.now() + timedelta(hours=1)
        post.save()
    return post


def test_a_scheduled_post_notifies_nobody_before_it_is_due(django_capture_on_commit_callbacks):
    post = _scheduled_post_followed_by(make_user(), django_capture_on_commit_callbacks)
    assert following.announce_due_posts() == 0
    assert not _news().exists()
    assert post not in following.due_posts()


def test_a_scheduled_post_notifies_its_followers_once_it_falls_due(
    django_capture_on_commit_callbacks,
):
    fan = make_user()
    post = _scheduled_post_followed_by(fan, django_capture_on_commit_callbacks)
    # Its time comes (the clock moving on is the same as the date moving back).
    type(post).objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    assert following.announce_due_posts() == 1
    assert following.announce_due_posts() == 0
    assert list(_news().values_list("recipient_id", flat=True)) == [fan.pk]


def test_the_command_announces_due_posts(capsys):
    person, fan = make_person(), make_user()
    _follow(fan, person)
    post = make_news()
    post.people.add(person)
    call_command("announce_due_posts")
    assert "Told 1 member of new posts." in capsys.readouterr().out
    assert _news().get().post == post


def test_the_command_loops_on_through_a_database_hiccup(monkeypatch, capsys):
    from django.db import OperationalError

    from comments.management.commands import announce_due_posts as command

    answers = iter([OperationalError("server closed the connection"), 1])

    def announce():
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 2:
            raise KeyboardInterrupt  # Stopped, as the server's Ctrl-C stops it.

    monkeypatch.setattr(command, "announce_due_posts", announce)
    monkeypatch.setattr(command.time, "sleep", sleep)
    monkeypatch.setattr(command.connections, "close_all", lambda: None)
    call_command("announce_due_posts", every=5)
    out, err = capsys.readouterr()
    assert "Could not announce due posts: server closed the connection" in err
    assert "Told 1 member of new posts." in out
    assert sleeps == [5, 5]


def test_the_command_refuses_a_loop_of_no_seconds():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="at least 1"):
        call_command("announce_due_posts", every=0)


def test_a_scheduled_post_is_queued_for_its_date_where_the_backend_can_defer(
    monkeypatch, django_capture_on_commit_callbacks
):
    from django.tasks import task_backends
    from django.tasks.backends.dummy import DummyBackend

    backend = DummyBackend(alias="default", params={})
    monkeypatch.setattr(following, "default_task_backend", backend)
    monkeypatch.setattr(task_backends._connections, "default", backend, raising=False)
    when = timezone.now() + timedelta(hours=3)
    post = _scheduled_post_followed_by(make_user(), django_capture_on_commit_callbacks, when)
    queued = [r for r in backend.results if r.task.name == "announce_post_when_due"]
    assert [(r.task.run_after, r.args) for r in queued] == [(when, [post.pk])]


def _announce_queries(followers: int) -> list[str]:
    person = make_person()
    post = make_news()
    post.people.add(person)
    for _ in range(followers):
        _follow(make_user(), person)
    with CaptureQueriesContext(connection) as queries:
        assert following.announce_post(post=post) == followers
    return [query["sql"] for query in queries.captured_queries]


def test_the_fan_out_takes_the_same_queries_for_many_followers():
    """Guards the post fan-out against a query per follower (emails are queued per member,
    after commit)."""
    few, many = _announce_queries(2), _announce_queries(20)
    assert len(few) == len(many), "\n".join(many)
    assert len(many) <= 11, "\n".join(many)  # 7 queries and 4 savepoint statements


# Discussions ----------------------------------------------------------------------------------


def test_starting_a_discussion_tells_the_subjects_followers_but_not_the_starter():
    person, fan, starter = make_person(), make_user(), make_user()
    _follow(fan, person)
    _follow(starter, person)
    thread = start_thread(author=starter, person=person)
    told = _news(NotificationKind.NEW_THREAD)
    assert [(n.recipient_id, n.thread_id, n.about) for n in told] == [
        (fan.pk, thread.pk, person.name)
    ]


def test_a_discussion_about_nothing_followed_tells_nobody():
    _follow(make_user(), make_film())
    start_thread(film=make_film())
    start_thread()
    assert not _news(NotificationKind.NEW_THREAD).exists()


def test_a_posts_comments_are_no_new_discussion():
    person, fan = make_person(), make_user()
    _follow(fan, person)
    post = make_post()
    post.people.add(person)
    start_thread(post=post)
    assert not _news(NotificationKind.NEW_THREAD).exists()


# The who-is-returning tracker -----------------------------------------------------------------


def test_a_status_change_tells_followers_of_the_person_and_of_the_character_once_each(
    django_capture_on_commit_callbacks,
):
    alan, sandy = make_person(name="Alan Cumming"), make_character(name="Sandy Frink")
    credit = make_credit(film=make_sequel(), person=alan, character=sandy)
    both, person_fan, character_fan = make_user(), make_user(), make_user()
    _follow(both, alan, sandy)
    _follow(person_fan, alan)
    _follow(character_fan, sandy)
    with django_capture_on_commit_callbacks(execute=True):
        film_services.credit_set_status(credit=credit, status=ReturnStatus.EXPRESSED_INTEREST)
    told = dict(_news(NotificationKind.TRACKER).values_list("recipient_id", "about"))
    assert told == {
        both.pk: "Alan Cumming and Sandy Frink",
        person_fan.pk: "Alan Cumming",
        character_fan.pk: "Sandy Frink",
    }


def test_the_same_status_saved_again_tells_nobody_again(django_capture_on_commit_callbacks):
    credit = make_credit(film=make_sequel())
    _follow(make_user(), credit.person)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            film_services.credit_set_status(credit=credit, status=ReturnStatus.CONFIRMED)
    assert _news(NotificationKind.TRACKER).count() == 1
