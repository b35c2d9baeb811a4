import pytest
from django.core.exceptions import ValidationError

from comments import moderation, services
from comments.models import (
    CommentStatus,
    Notification,
    NotificationKind,
    Reaction,
    Subscription,
    Thread,
)
from tests.factories import make_film, make_moderator, make_user, start_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(db):
    return start_thread()


def _first(thread):
    return thread.comments.order_by("pk").first()


def test_starting_a_thread_posts_its_first_comment_and_follows_it():
    author = make_user()
    film = make_film()
    thread = services.thread_start(
        author=author, title=" Best line? ", body="Mine first.", film=film
    )
    assert thread.title == "Best line?"
    assert thread.film == film
    assert thread.comment_count == 1
    assert thread.last_commenter == author
    assert Subscription.objects.filter(thread=thread, user=author).exists()


def test_counters_are_exact_after_comments_and_replies(thread):
    root = _first(thread)
    reply = services.comment_create(thread=thread, author=make_user(), body="Yes", parent=root)
    services.comment_create(thread=thread, author=make_user(), body="And", parent=reply)
    services.comment_create(thread=thread, author=make_user(), body="Another top level")
    thread.refresh_from_db()
    root.refresh_from_db()
    assert thread.comment_count == 4
    assert root.reply_count == 2


def test_deleting_keeps_the_place_and_the_replies_and_updates_counters(thread):
    root = _first(thread)
    reply = services.comment_create(thread=thread, author=make_user(), body="Yes", parent=root)
    services.comment_delete(comment=root)
    root.refresh_from_db()
    thread.refresh_from_db()
    assert root.status == CommentStatus.DELETED
    assert thread.comments.filter(pk=reply.pk, status=CommentStatus.VISIBLE).exists()
    assert thread.comment_count == 1
    services.comment_delete(comment=reply)
    thread.refresh_from_db()
    root.refresh_from_db()
    assert thread.comment_count == 0
    assert root.reply_count == 0


def test_deleting_twice_does_not_count_twice(thread):
    root = _first(thread)
    services.comment_delete(comment=root)
    services.comment_delete(comment=root)
    thread.refresh_from_db()
    assert thread.comment_count == 0


def test_removing_and_restoring_adjusts_the_count_and_resolves_flags(thread):
    root = _first(thread)
    moderator = make_moderator()
    flag = services.flag_create(comment=root, reporter=make_user(), reason="spam")
    moderation.comment_remove(comment=root, moderator=moderator, reason="Spam")
    thread.refresh_from_db()
    flag.refresh_from_db()
    assert thread.comment_count == 0
    assert flag.resolved_by == moderator
    moderation.comment_restore(comment=root, moderator=moderator, reason="Not spam after all")
    thread.refresh_from_db()
    assert thread.comment_count == 1


def test_like_and_unlike_keep_like_count_exact(thread):
    root = _first(thread)
    fans = [make_user() for _ in range(3)]
    for fan in fans:
        assert services.reaction_toggle(comment=root, user=fan) is True
    assert services.reaction_toggle(comment=root, user=fans[0]) is False
    root.refresh_from_db()
    assert root.like_count == 2
    assert root.reactions.count() == 2


def test_reply_deeper_than_the_cap_attaches_at_the_deepest_level(thread, settings):
    settings.COMMENTS_MAX_DEPTH = 2
    root = _first(thread)
    level1 = services.comment_create(thread=thread, author=make_user(), body="1", parent=root)
    level2 = services.comment_create(thread=thread, author=make_user(), body="2", parent=level1)
    too_deep = services.comment_create(thread=thread, author=make_user(), body="3", parent=level2)
    assert level2.depth == 2
    assert too_deep.depth == 2
    assert too_deep.parent == level1
    assert too_deep.root == root


def test_empty_and_over_long_bodies_are_refused_with_a_message(thread, settings):
    settings.COMMENT_MAX_LENGTH = 20
    with pytest.raises(ValidationError, match="empty"):
        services.comment_create(thread=thread, author=make_user(), body="   \n ")
    with pytest.raises(ValidationError, match="at most 20 characters"):
        services.comment_create(thread=thread, author=make_user(), body="x" * 21)
    thread.refresh_from_db()
    assert thread.comment_count == 1


def test_a_locked_thread_takes_no_comments(thread):
    moderation.thread_lock(thread=thread, moderator=make_moderator(), reason="Heated", locked=True)
    with pytest.raises(ValidationError, match="locked"):
        services.comment_create(thread=thread, author=make_user(), body="Hello?")


def test_reply_notifies_the_parent_author(thread):
    root = _first(thread)
    replier = make_user()
    reply = services.comment_create(thread=thread, author=replier, body="Agreed", parent=root)
    notification = Notification.objects.get(recipient=root.author, comment=reply)
    assert notification.kind == NotificationKind.REPLY
    assert notification.actor == replier


def test_mention_notifies_the_mentioned_user_once():
    thread = start_thread()
    romy = make_user(username="romy")
    comment = services.comment_create(
        thread=thread, author=make_user(), body="@romy @romy look at this"
    )
    assert list(Notification.objects.filter(recipient=romy).values_list("kind", flat=True)) == [
        NotificationKind.MENTION
    ]
    assert comment.body_html.count('class="mention"') == 2


def test_followers_hear_of_new_comments_but_not_the_author(thread):
    follower = make_user()
    services.subscription_toggle(thread=thread, user=follower)
    author = make_user()
    services.comment_create(thread=thread, author=author, body="News!")
    kinds = dict(Notification.objects.values_list("recipient_id", "kind"))
    assert kinds[follower.pk] == NotificationKind.THREAD_COMMENT
    assert kinds[thread.starter_id] == NotificationKind.THREAD_COMMENT
    assert author.pk not in kinds


def test_commenting_follows_the_thread(thread):
    fan = make_user()
    services.comment_create(thread=thread, author=fan, body="Hi")
    assert Subscription.objects.filter(thread=thread, user=fan).exists()


def test_unfollowing_stops_notifications(thread):
    assert services.subscription_toggle(thread=thread, user=thread.starter) is False
    services.comment_create(thread=thread, author=make_user(), body="Anyone?")
    assert not Notification.objects.filter(recipient=thread.starter).exists()


def test_replying_to_yourself_notifies_nobody(thread):
    root = _first(thread)
    services.comment_create(thread=thread, author=root.author, body="Also", parent=root)
    assert not Notification.objects.exists()


def test_editing_marks_edited_and_tells_only_new_mentions(thread):
    root = _first(thread)
    romy = make_user(username="romy")
    services.comment_edit(comment=root, body="Edited for @romy")
    root.refresh_from_db()
    assert root.edited_at is not None
    assert "@romy</a>" in root.body_html
    assert Notification.objects.get(recipient=romy).kind == NotificationKind.MENTION
    services.comment_edit(comment=root, body="Edited again for @romy")
    assert Notification.objects.filter(recipient=romy).count() == 1


def test_reply_emails_the_parent_author_with_an_unsubscribe_link(
    thread, mailoutbox, django_capture_on_commit_callbacks
):
    root = _first(thread)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(thread=thread, author=make_user(), body="Replying", parent=root)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [root.author.email]
    assert "replied to you" in message.subject
    assert "/discussions/unsubscribe/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")


def test_mention_emails_the_mentioned_user(mailoutbox, django_capture_on_commit_callbacks):
    thread = start_thread()
    romy = make_user(username="romy")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(thread=thread, author=make_user(), body="Hey @romy")
    assert [message.to for message in mailoutbox] == [[romy.email]]


def test_no_email_when_notifications_are_off_or_for_followers(
    thread, mailoutbox, django_capture_on_commit_callbacks
):
    root = _first(thread)
    root.author.email_notifications = False
    root.author.save()
    follower = make_user()
    services.subscription_toggle(thread=thread, user=follower)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(thread=thread, author=make_user(), body="Quiet", parent=root)
    assert mailoutbox == []
    assert Notification.objects.filter(recipient__in=[root.author, follower]).count() == 2


def test_a_post_has_exactly_one_thread():
    from tests.factories import make_post

    post = make_post()
    first = services.thread_for_post(post=post)
    second = services.thread_for_post(post=post)
    assert first == second
    assert Thread.objects.filter(post=post).count() == 1
    assert first.title == post.title


def test_flagging_again_updates_the_same_report(thread):
    root = _first(thread)
    reporter = make_user()
    services.flag_create(comment=root, reporter=reporter, reason="spam")
    flag = services.flag_create(comment=root, reporter=reporter, reason="abuse", note=" rude ")
    assert root.flags.count() == 1
    assert (flag.reason, flag.note) == ("abuse", "rude")


def test_a_deleted_comment_takes_no_replies(thread):
    root = _first(thread)
    services.comment_delete(comment=root)
    with pytest.raises(ValidationError, match="no longer there"):
        services.comment_create(thread=thread, author=make_user(), body="Hello?", parent=root)


def _chain_to_the_cap(thread, settings, *authors):
    """Replies one under the other down to COMMENTS_MAX_DEPTH = 2, by the given authors."""
    settings.COMMENTS_MAX_DEPTH = 2
    level1 = services.comment_create(
        thread=thread, author=authors[0], body="Level one", parent=_first(thread)
    )
    level2 = services.comment_create(
        thread=thread, author=authors[1], body="Level two", parent=level1
    )
    return level1, level2


def test_reply_past_the_cap_notifies_the_author_answered_not_the_parents(thread, settings):
    first, second = make_user(), make_user()
    level1, level2 = _chain_to_the_cap(thread, settings, first, second)
    reply = services.comment_create(thread=thread, author=make_user(), body="Yes", parent=level2)
    assert reply.parent == level1
    replies = Notification.objects.filter(comment=reply, kind=NotificationKind.REPLY)
    assert list(replies.values_list("recipient", flat=True)) == [second.pk]


def test_answering_a_reply_to_your_comment_past_the_cap_notifies_its_author(thread, settings):
    me, other = make_user(), make_user()
    _level1, level2 = _chain_to_the_cap(thread, settings, me, other)
    reply = services.comment_create(thread=thread, author=me, body="Thanks!", parent=level2)
    notification = Notification.objects.get(comment=reply, kind=NotificationKind.REPLY)
    assert notification.recipient == other


def test_reply_past_the_cap_names_the_author_answered(thread, settings):
    other = make_user(username="michele")
    _level1, level2 = _chain_to_the_cap(thread, settings, make_user(), other)
    reply = services.comment_create(thread=thread, author=make_user(), body="Yes", parent=level2)
    assert reply.body == "@michele Yes"
    assert 'class="mention" href="/users/michele/"' in reply.body_html


def test_reply_past_the_cap_already_naming_the_author_is_not_named_twice(thread, settings):
    other = make_user(username="michele")
    _level1, level2 = _chain_to_the_cap(thread, settings, make_user(), other)
    reply = services.comment_create(
        thread=thread, author=make_user(), body="@michele yes", parent=level2
    )
    assert reply.body == "@michele yes"


def test_named_reply_past_the_cap_notifies_once_as_a_reply(thread, settings):
    other = make_user(username="michele")
    _level1, level2 = _chain_to_the_cap(thread, settings, make_user(), other)
    reply = services.comment_create(thread=thread, author=make_user(), body="Yes", parent=level2)
    kinds = Notification.objects.filter(comment=reply, recipient=other).values_list(
        "kind", flat=True
    )
    assert list(kinds) == [NotificationKind.REPLY]


def test_reply_past_the_cap_to_yourself_is_not_named(thread, settings):
    me = make_user(username="romy")
    _level1, level2 = _chain_to_the_cap(thread, settings, make_user(), me)
    reply = services.comment_create(thread=thread, author=me, body="Also", parent=level2)
    assert reply.body == "Also"


def test_deleting_a_user_takes_their_likes_off_the_counts():
    leaver, stayer = make_user(), make_user()
    first, second = _first(start_thread()), _first(start_thread())
    for comment in (first, second):
        services.reaction_toggle(comment=comment, user=leaver)
    services.reaction_toggle(comment=first, user=stayer)
    leaver.delete()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.like_count, second.like_count) == (1, 0)


def test_deleting_users_in_bulk_takes_their_likes_off_the_counts():
    fans = [make_user(), make_user()]
    comment = _first(start_thread())
    for fan in fans:
        services.reaction_toggle(comment=comment, user=fan)
    type(fans[0]).objects.filter(pk__in=[fan.pk for fan in fans]).delete()
    comment.refresh_from_db()
    assert comment.like_count == 0


def test_deleting_a_user_keeps_their_comments_and_the_thread_count(thread):
    author = make_user()
    services.comment_create(thread=thread, author=author, body="Still here")
    author.delete()
    thread.refresh_from_db()
    assert thread.comment_count == thread.comments.visible().count() == 2


def test_notification_email_hides_spoilers(thread, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(
            thread=thread,
            author=make_user(),
            body="The ending: ||they fly off in a helicopter||, wow.",
            parent=_first(thread),
        )
    body = mailoutbox[0].body
    assert "The ending: [spoiler], wow." in body
    assert "helicopter" not in body


def test_liking_an_already_liked_comment_changes_nothing(thread):
    root, fan = _first(thread), make_user()
    assert services.reaction_add(comment=root, user=fan) is True
    assert services.reaction_add(comment=root, user=fan) is False
    root.refresh_from_db()
    assert (root.like_count, root.reactions.count()) == (1, 1)


def test_a_like_racing_another_finds_it_instead_of_failing(thread, monkeypatch):
    """Between a toggle's look for a like to take back and its new like, another request of
    the same user's liked it: the database's one-per-user constraint must not answer 500."""
    root, fan = _first(thread), make_user()
    services.reaction_add(comment=root, user=fan)
    monkeypatch.setattr(services.Reaction.objects, "filter", lambda **kw: Reaction.objects.none())
    assert services.reaction_toggle(comment=root, user=fan) is True
    root.refresh_from_db()
    assert (root.like_count, root.reactions.count()) == (1, 1)


@pytest.mark.parametrize("likes", [1, 2], ids=["like", "unlike"])
def test_a_like_or_unlike_retires_the_threads_caches_once(thread, monkeypatch, likes):
    comment = thread.comments.get()
    user = make_user()
    for _ in range(likes - 1):
        services.reaction_toggle(comment=comment, user=user)
    retired = []
    monkeypatch.setattr(services, "thread_changed", lambda *ids: retired.append(ids))
    services.reaction_toggle(comment=comment, user=user)
    assert retired == [(thread.pk,)]


def test_pinning_a_thread_retires_its_caches_once(thread, monkeypatch):
    retired = []
    monkeypatch.setattr(services, "thread_changed", lambda *ids: retired.append(ids))
    moderation.thread_pin(thread=thread, moderator=make_moderator(), reason="News", pinned=True)
    thread.refresh_from_db()
    assert thread.pinned
    assert retired == [(thread.pk,)]
