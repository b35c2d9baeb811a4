"""Suspended members read and sign in, but write nothing: every attempt, with or without
JavaScript, answers with why and until when, and keeps what they wrote."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import User
from comments import services
from comments.models import Comment, Flag, Reaction, Thread
from tests.factories import make_film, make_post, make_suspension, make_user, start_thread

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
REASON = "Insults in the sequel thread."


@pytest.fixture
def member(db):
    return make_user()


@pytest.fixture
def thread(db):
    return start_thread(body="The very first comment")


@pytest.fixture
def root(thread):
    return thread.comments.order_by("pk").first()


@pytest.fixture
def own(thread, member):
    """A comment the member wrote before the suspension."""
    return services.comment_create(thread=thread, author=member, body="My earlier words")


@pytest.fixture
def suspended(client, member, own):
    make_suspension(user=member, reason=REASON)
    client.force_login(member)
    return member


def _counts() -> tuple[int, int, int, int]:
    return (
        Comment.objects.count(),
        Thread.objects.count(),
        Reaction.objects.count(),
        Flag.objects.count(),
    )


# Every write, without JavaScript ----------------------------------------------------------------

# (name, method, url builder, data): each attempt a suspended member can make.
ATTEMPTS = [
    ("comment", "post", lambda t, r, o: reverse("comments:comment-create", args=[t.pk]), True),
    ("reply form", "get", lambda t, r, o: reverse("comments:reply", args=[r.pk]), False),
    ("reply", "post", lambda t, r, o: reverse("comments:reply", args=[r.pk]), True),
    ("edit form", "get", lambda t, r, o: reverse("comments:edit", args=[o.pk]), False),
    ("edit", "post", lambda t, r, o: reverse("comments:edit", args=[o.pk]), True),
    ("delete", "post", lambda t, r, o: reverse("comments:delete", args=[o.pk]), False),
    ("like", "post", lambda t, r, o: reverse("comments:like", args=[r.pk]), False),
    ("report form", "get", lambda t, r, o: reverse("comments:flag", args=[r.pk]), False),
    ("report", "post", lambda t, r, o: reverse("comments:flag", args=[r.pk]), False),
    ("start form", "get", lambda t, r, o: reverse("comments:thread-new"), False),
    ("start", "post", lambda t, r, o: reverse("comments:thread-new"), True),
    ("preview", "post", lambda t, r, o: reverse("comments:preview"), True),
]
DATA = {"body": "Words I will not lose", "title": "My new thread", "reason": "spam", "like": "1"}


def _attempt(client, method, url, htmx=False):
    extra = HTMX if htmx else {}
    if method == "get":
        return client.get(url, **extra)
    return client.post(url, DATA, **extra)


@pytest.mark.parametrize(
    ("name", "method", "url", "keeps_text"), ATTEMPTS, ids=[a[0] for a in ATTEMPTS]
)
def test_suspended_member_is_refused_with_a_page_saying_why_and_until_when(
    client, suspended, thread, root, own, name, method, url, keeps_text
):
    before = _counts()
    response = _attempt(client, method, url(thread, root, own))
    assertContains(response, "Your account is suspended", status_code=403)
    assertContains(response, REASON, status_code=403)
    assertContains(response, "until", status_code=403)
    assert _counts() == before
    own.refresh_from_db()
    assert (own.body, own.status) == ("My earlier words", "visible")


@pytest.mark.parametrize(
    ("name", "method", "url", "keeps_text"), ATTEMPTS, ids=[a[0] for a in ATTEMPTS]
)
def test_suspended_member_is_refused_with_an_htmx_message_in_place(
    client, suspended, thread, root, own, name, method, url, keeps_text
):
    before = _counts()
    response = _attempt(client, method, url(thread, root, own), htmx=True)
    # htmx swaps only 2xx answers (base.html): the message comes with a 200 and a swap of its own.
    assertContains(response, "Your account is suspended")
    assertContains(response, REASON)
    assertNotContains(response, "<html")
    assert _counts() == before


@pytest.mark.parametrize(
    "attempt", [a for a in ATTEMPTS if a[3] and a[1] == "post"], ids=lambda a: a[0]
)
def test_refusal_page_shows_what_the_member_wrote_in_a_form_to_send_later(
    client, suspended, thread, root, own, attempt
):
    _, method, url, _ = attempt
    response = _attempt(client, method, url(thread, root, own))
    html = response.content.decode()
    assert ">Words I will not lose</textarea>" in html
    assert f'action="{url(thread, root, own)}"' in html


def test_htmx_comment_form_gets_the_message_in_its_preview_slot_and_keeps_its_text(
    client, suspended, thread
):
    url = reverse("comments:comment-create", args=[thread.pk])
    form_id = f"comment-form-{thread.pk}"
    response = client.post(url, DATA, HTTP_HX_TRIGGER=form_id, **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#preview-{form_id}"
    assert response["HX-Reswap"] == "innerHTML"


def test_htmx_like_gets_the_message_beside_the_button_which_stays(client, suspended, root):
    response = client.post(reverse("comments:like", args=[root.pk]), {"like": "1"}, **HTMX)
    assert response["HX-Reswap"] == "beforebegin"
    assert not root.reactions.exists()


def test_suspended_member_still_reads_the_thread_and_sees_why_they_cannot_post(
    client, suspended, thread, root, own
):
    response = client.get(thread.get_absolute_url())
    assertContains(response, "Your account is suspended")
    assertContains(response, REASON)
    html = response.content.decode()
    assert 'id="comment-form-' not in html
    for action in ("comments:reply", "comments:like", "comments:flag"):
        assert reverse(action, args=[root.pk]) not in html
    for action in ("comments:edit", "comments:delete"):
        assert reverse(action, args=[own.pk]) not in html


def test_suspended_member_may_still_follow_a_discussion(client, suspended, thread):
    client.post(reverse("comments:follow", args=[thread.pk]))
    assert not thread.subscriptions.filter(user=suspended).exists()  # They followed it by posting.
    client.post(reverse("comments:follow", args=[thread.pk]))
    assert thread.subscriptions.filter(user=suspended).exists()


def test_the_page_names_the_end_of_a_timed_suspension(client, member):
    ends = timezone.make_aware(datetime(2099, 12, 11, 14, 0))
    make_suspension(user=member, ends_at=ends)
    client.force_login(member)
    response = client.get(reverse("comments:thread-new"))
    assertContains(response, "until", status_code=403)
    assertContains(response, "11 December 2099, 14:00", status_code=403)


def test_the_page_says_an_indefinite_suspension_lasts_until_lifted(client, member):
    make_suspension(user=member, days=None)
    client.force_login(member)
    response = client.get(reverse("comments:thread-new"))
    assertContains(response, "until a moderator lifts it", status_code=403)


def test_an_expired_suspension_ends_by_itself(client, member, thread):
    make_suspension(user=member, starts_at=timezone.now() - timedelta(days=8), days=1)
    client.force_login(member)
    response = client.post(reverse("comments:comment-create", args=[thread.pk]), {"body": "Back"})
    assert response.status_code == 302
    assert thread.comments.filter(author=member, body="Back").exists()


def test_a_lifted_suspension_lets_the_member_post(client, member, thread):
    make_suspension(user=member, lifted_at=timezone.now())
    client.force_login(member)
    client.post(reverse("comments:comment-create", args=[thread.pk]), {"body": "Back"})
    assert thread.comments.filter(author=member).exists()


def test_another_members_suspension_does_not_stop_anyone_else(client, thread, root):
    make_suspension()
    writer = make_user()
    client.force_login(writer)
    client.post(reverse("comments:comment-create", args=[thread.pk]), {"body": "Still here"})
    client.post(reverse("comments:like", args=[root.pk]), {"like": "1"})
    client.post(reverse("comments:flag", args=[root.pk]), {"reason": "spam"})
    assert thread.comments.filter(author=writer).exists()
    assert root.reactions.filter(user=writer).exists()
    assert root.flags.filter(reporter=writer).exists()


def test_comment_on_a_news_post_is_refused(client, suspended):
    post = make_post()
    response = client.post(reverse("comments:post-comment", args=[post.pk]), DATA)
    assertContains(response, REASON, status_code=403)
    assert not Thread.objects.filter(post=post).exists()


def test_start_a_discussion_about_a_film_is_refused(client, suspended):
    film = make_film()
    url = reverse("comments:thread-new-about", args=["film", film.slug])
    assertContains(client.post(url, DATA), REASON, status_code=403)
    assert not Thread.objects.filter(film=film).exists()


# The services refuse too -----------------------------------------------------------------------


@pytest.fixture
def suspended_member(member, own):
    """Loaded afresh, as the next request would: a user caches their suspension when asked."""
    make_suspension(user=member, reason=REASON)
    return User.objects.get(pk=member.pk)


@pytest.mark.parametrize(
    "write",
    [
        lambda m, t, r, o: services.comment_create(thread=t, author=m, body="Hi"),
        lambda m, t, r, o: services.comment_create(thread=t, author=m, body="Hi", parent=r),
        lambda m, t, r, o: services.thread_start(author=m, title="New", body="Hi"),
        lambda m, t, r, o: services.comment_edit(comment=o, body="Changed"),
        lambda m, t, r, o: services.reaction_set(comment=r, user=m, liked=True),
        lambda m, t, r, o: services.reaction_toggle(comment=r, user=m),
        lambda m, t, r, o: services.flag_create(comment=r, reporter=m, reason="spam"),
    ],
    ids=["comment", "reply", "thread", "edit", "like", "toggle", "report"],
)
def test_services_refuse_a_suspended_member(suspended_member, thread, root, own, write):
    before = _counts()
    own = Comment.objects.select_related("author").get(pk=own.pk)
    with pytest.raises(ValidationError, match="suspended"):
        write(suspended_member, thread, root, own)
    assert _counts() == before
    own.refresh_from_db()
    assert own.body == "My earlier words"


def test_services_let_a_member_write_once_the_suspension_is_over(member, thread):
    make_suspension(user=member, starts_at=timezone.now() - timedelta(days=2), days=1)
    services.comment_create(thread=thread, author=member, body="Hello again")
    assert thread.comments.filter(author=member).exists()


# Their profile ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change", [{"display_name": "New Name"}, {"bio": "All new bio"}], ids=["name", "bio"]
)
def test_suspended_member_cannot_change_their_name_or_bio_and_keeps_the_text(
    client, suspended, change
):
    data = {"display_name": "", "bio": "", "email_notifications": "on"} | change
    response = client.post(reverse("accounts:profile-edit"), data)
    assertContains(response, "Your account is suspended", status_code=403)
    assertContains(response, REASON, status_code=403)
    assertContains(response, next(iter(change.values())), status_code=403)
    suspended.refresh_from_db()
    assert (suspended.display_name, suspended.bio) == ("", "")


def test_suspended_member_cannot_change_their_avatar(client, suspended):
    from tests.factories import make_upload

    data = {"display_name": "", "bio": "", "avatar": make_upload()}
    response = client.post(reverse("accounts:profile-edit"), data)
    assert response.status_code == 403
    suspended.refresh_from_db()
    assert not suspended.avatar


def test_suspended_member_may_still_turn_off_notification_emails(client, suspended):
    response = client.post(reverse("accounts:profile-edit"), {"display_name": "", "bio": ""})
    assert response.status_code == 302
    suspended.refresh_from_db()
    assert suspended.email_notifications is False


def test_profile_form_tells_a_suspended_member_why_before_they_type(client, suspended):
    assertContains(client.get(reverse("accounts:profile-edit")), REASON)


def test_unsuspended_member_changes_their_name(client, member):
    client.force_login(member)
    client.post(reverse("accounts:profile-edit"), {"display_name": "Romy W", "bio": "Hi"})
    member.refresh_from_db()
    assert member.display_name == "Romy W"
