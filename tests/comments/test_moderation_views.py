import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import Suspension
from comments import moderation, services
from comments.models import CommentStatus, ModerationAction, ModerationActionKind
from tests.factories import (
    make_film,
    make_moderator,
    make_post,
    make_staff,
    make_user,
    start_thread,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def thread():
    return start_thread(body="The first comment")


@pytest.fixture
def root(thread):
    return thread.comments.get()


@pytest.fixture
def moderator():
    return make_moderator(display_name="Mod Squad")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def _report(comment, count: int = 1):
    return [
        services.flag_create(comment=comment, reporter=make_user(), reason="spam")
        for _ in range(count)
    ]


def _moderator_urls(thread, root, troll, suspension) -> list[tuple[str, str]]:
    flag = _report(root)[0]
    gets = [
        reverse("comments:moderation"),
        reverse("comments:audit-log"),
        reverse("comments:moderation-comment", args=[root.pk]),
        reverse("comments:moderation-thread", args=[thread.pk]),
        reverse("comments:moderation-members"),
        reverse("comments:moderation-member", args=[troll.username]),
    ]
    posts = [
        reverse("comments:moderation-comment", args=[root.pk]),
        reverse("comments:remove", args=[root.pk]),
        reverse("comments:flag-resolve", args=[flag.pk]),
        reverse("comments:lock", args=[thread.pk]),
        reverse("comments:pin", args=[thread.pk]),
        reverse("comments:move", args=[thread.pk]),
        reverse("comments:suspend", args=[troll.username]),
        reverse("comments:suspension-lift", args=[suspension.pk]),
    ]
    return [("get", url) for url in gets] + [("post", url) for url in posts]


# Permissions ----------------------------------------------------------------------------------


def test_a_member_gets_403_on_every_moderator_url(client, thread, root):
    troll = make_user()
    suspension = moderation.member_suspend(
        member=troll, moderator=make_staff(), reason="Spam.", days=1
    )
    client.force_login(make_user())
    for method, url in _moderator_urls(thread, root, troll, suspension):
        data = {"reason": "Because.", "action": "uphold", "locked": "1", "days": "1"}
        response = getattr(client, method)(url, data if method == "post" else None)
        assert response.status_code == 403, (method, url)
    assert not ModerationAction.objects.exclude(action=ModerationActionKind.SUSPEND).exists()
    root.refresh_from_db()
    assert root.is_visible


def test_anonymous_visitors_are_sent_to_sign_in_for_the_queue(client):
    response = client.get(reverse("comments:moderation"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_moderator_pages_answer_200_for_a_moderator(moderator_client, thread, root):
    troll = make_user()
    suspension = moderation.member_suspend(
        member=troll, moderator=make_staff(), reason="Spam.", days=1
    )
    for method, url in _moderator_urls(thread, root, troll, suspension):
        if method == "get":
            assert moderator_client.get(url).status_code == 200, url


# The queue ----------------------------------------------------------------------------------


def test_queue_groups_reports_per_comment_with_their_count_and_reasons(moderator_client, root):
    spammer = root.author
    spammer.display_name = "Spammy Sam"
    spammer.save()
    reporter = make_user(display_name="Careful Reader")
    services.flag_create(comment=root, reporter=reporter, reason="spam", note="Links everywhere")
    _report(root)
    response = moderator_client.get(reverse("comments:moderation"))
    assertContains(response, 'id="review-', count=1)
    assertContains(response, "2 open reports")
    assertContains(response, "Spam or advertising", count=2)
    assertContains(response, "Careful Reader")
    assertContains(response, f"@{reporter.username}")
    assertContains(response, "Spammy Sam")
    assertContains(response, f"@{spammer.username}")
    assertContains(response, "Links everywhere")


def test_queue_lists_hidden_comments_first(moderator_client, thread, root):
    _report(root)
    hidden = start_thread(title="Troll thread").comments.get()
    _report(hidden, 3)
    services._hide(comment=hidden, status=CommentStatus.HIDDEN)
    page = moderator_client.get(reverse("comments:moderation")).content.decode()
    assert page.index(f'id="review-{hidden.pk}"') < page.index(f'id="review-{root.pk}"')
    assert "Hidden pending review" in page


def test_queue_offers_restore_for_a_hidden_comment_and_dismiss_for_a_visible_one(
    moderator_client, root
):
    _report(root)
    hidden = start_thread().comments.get()
    services._hide(comment=hidden, status=CommentStatus.HIDDEN)
    response = moderator_client.get(reverse("comments:moderation"))
    assertContains(response, 'value="restore"', count=1)
    assertContains(response, 'value="dismiss"', count=1)
    assertContains(response, 'value="uphold"', count=2)


def test_queue_query_count_does_not_grow_with_reports(
    moderator_client, django_assert_max_num_queries
):
    """Guards the queue against an N+1 over comments, their reports and their reporters."""
    for _ in range(5):
        _report(start_thread().comments.get(), 2)
    with django_assert_max_num_queries(12):
        response = moderator_client.get(reverse("comments:moderation"))
    assertContains(response, 'id="review-', count=5)


def test_header_shows_moderators_the_open_report_count(moderator_client, root):
    _report(root, 2)
    response = moderator_client.get(reverse("comments:index"))
    assertContains(response, 'class="header-moderation"')
    assertContains(response, '<span class="header-moderation__count">2</span>', html=False)


def test_header_has_no_moderation_link_for_members(client, root):
    _report(root, 2)
    client.force_login(make_user())
    assertNotContains(client.get(reverse("comments:index")), "header-moderation")


# Comment actions ----------------------------------------------------------------------------


def test_moderator_upholds_reports_from_the_queue(moderator_client, moderator, root):
    _report(root, 2)
    url = reverse("comments:moderation-comment", args=[root.pk])
    response = moderator_client.post(
        url, {"action": "uphold", "reason": "Spam.", "next": reverse("comments:moderation")}
    )
    assertRedirects(response, reverse("comments:moderation"), fetch_redirect_response=False)
    root.refresh_from_db()
    assert root.status == CommentStatus.REMOVED
    row = ModerationAction.objects.get()
    assert (row.moderator, row.action, row.reason) == (moderator, "uphold", "Spam.")


def test_moderator_restores_a_hidden_comment(moderator_client, thread, root):
    _report(root, 3)
    services._hide(comment=root, status=CommentStatus.HIDDEN)
    url = reverse("comments:moderation-comment", args=[root.pk])
    moderator_client.post(url, {"action": "restore", "reason": "Fair point."})
    root.refresh_from_db()
    thread.refresh_from_db()
    assert (root.status, thread.comment_count) == (CommentStatus.VISIBLE, 1)


def test_a_blank_reason_shows_the_form_again_with_an_error(moderator_client, root):
    _report(root)
    url = reverse("comments:moderation-comment", args=[root.pk])
    response = moderator_client.post(url, {"action": "dismiss", "reason": "   "})
    assertContains(response, "Give a reason", status_code=400)
    assertContains(response, 'name="reason"', status_code=400)
    assert root.flags.filter(resolved_at__isnull=True).count() == 1


def test_an_error_keeps_the_reason_typed(moderator_client, root):
    url = reverse("comments:moderation-comment", args=[root.pk])
    response = moderator_client.post(url, {"action": "dismiss", "reason": "Kept text"})
    assertContains(response, "no open reports", status_code=400)
    assertContains(response, "Kept text", status_code=400)


def test_an_unknown_action_is_a_form_error_not_a_500(moderator_client, root):
    url = reverse("comments:moderation-comment", args=[root.pk])
    response = moderator_client.post(url, {"action": "explode", "reason": "Why not"})
    assertContains(response, "Choose what to do", status_code=400)


def test_remove_without_a_reason_asks_for_one(moderator_client, root):
    response = moderator_client.post(reverse("comments:remove", args=[root.pk]))
    assertContains(response, "Review a comment")
    assertContains(response, 'value="remove"')
    root.refresh_from_db()
    assert root.is_visible


def test_htmx_remove_without_a_reason_redirects_to_the_review_page(moderator_client, root):
    response = moderator_client.post(reverse("comments:remove", args=[root.pk]), **HTMX)
    assert response["HX-Redirect"] == reverse("comments:moderation-comment", args=[root.pk])
    root.refresh_from_db()
    assert root.is_visible


def test_remove_with_a_reason_removes_and_logs(moderator_client, root):
    moderator_client.post(reverse("comments:remove", args=[root.pk]), {"reason": "Off topic."})
    root.refresh_from_db()
    assert root.status == CommentStatus.REMOVED
    assert ModerationAction.objects.get().action == ModerationActionKind.REMOVE


def test_writes_refuse_get(moderator_client, root):
    _report(root)
    url = reverse("comments:flag-resolve", args=[root.flags.get().pk])
    assert moderator_client.get(url).status_code == 405


# Discussion actions -------------------------------------------------------------------------


def test_moderator_pins_a_thread_with_a_reason(moderator_client, thread):
    response = moderator_client.post(
        reverse("comments:pin", args=[thread.pk]), {"pinned": "1", "reason": "Announcement."}
    )
    assertRedirects(response, thread.get_absolute_url(), fetch_redirect_response=False)
    thread.refresh_from_db()
    assert thread.pinned
    assert ModerationAction.objects.get().action == ModerationActionKind.PIN


def test_lock_without_a_reason_shows_the_discussions_moderation_page(moderator_client, thread):
    response = moderator_client.post(reverse("comments:lock", args=[thread.pk]), {"locked": "1"})
    assertContains(response, "Lock the discussion")
    thread.refresh_from_db()
    assert not thread.locked


def test_lock_with_a_blank_reason_shows_an_error(moderator_client, thread):
    response = moderator_client.post(
        reverse("comments:lock", args=[thread.pk]), {"locked": "1", "reason": ""}
    )
    assertContains(response, "Give a reason", status_code=400)


def test_moderator_moves_a_thread_to_a_film(moderator_client, thread):
    film = make_film(title="The Sequel")
    response = moderator_client.post(
        reverse("comments:move", args=[thread.pk]),
        {"subject": f"film:{film.pk}", "reason": "It is about the sequel."},
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.film == film


def test_moving_to_a_subject_that_is_not_there_is_a_form_error(moderator_client, thread):
    response = moderator_client.post(
        reverse("comments:move", args=[thread.pk]),
        {"subject": "film:999999", "reason": "Typo."},
    )
    assert response.status_code == 400
    thread.refresh_from_db()
    assert thread.film is None


def test_a_posts_thread_offers_no_move(moderator_client):
    thread = services.thread_for_post(post=make_post())
    response = moderator_client.get(reverse("comments:moderation-thread", args=[thread.pk]))
    assertContains(response, "cannot be moved")
    assertNotContains(response, 'name="subject"')


# Members ------------------------------------------------------------------------------------


def test_moderator_suspends_a_member_for_7_days(moderator_client, moderator):
    troll = make_user()
    response = moderator_client.post(
        reverse("comments:suspend", args=[troll.username]), {"days": "7", "reason": "Trolling."}
    )
    assertRedirects(
        response,
        reverse("comments:moderation-member", args=[troll.username]),
        fetch_redirect_response=False,
    )
    suspension = Suspension.objects.get(user=troll)
    assert (suspension.moderator, suspension.reason) == (moderator, "Trolling.")
    assert suspension.ends_at is not None


def test_suspending_until_further_notice(moderator_client):
    troll = make_user()
    moderator_client.post(
        reverse("comments:suspend", args=[troll.username]), {"days": "", "reason": "Bot."}
    )
    assert Suspension.objects.get(user=troll).ends_at is None


@pytest.mark.parametrize(
    "data", [{"reason": "No period."}, {"days": "3", "reason": "Odd."}, {"days": "7"}]
)
def test_suspend_form_errors_are_shown(moderator_client, data):
    troll = make_user()
    response = moderator_client.post(reverse("comments:suspend", args=[troll.username]), data)
    assert response.status_code == 400
    assertContains(response, "field__errors", status_code=400)
    assert not Suspension.objects.exists()


def test_a_moderator_gets_403_suspending_another_moderator(moderator_client):
    other = make_moderator()
    response = moderator_client.post(
        reverse("comments:suspend", args=[other.username]), {"days": "1", "reason": "Rival."}
    )
    assert response.status_code == 403
    assert not Suspension.objects.exists()


def test_a_moderator_gets_403_suspending_staff(moderator_client):
    editor = make_user(is_staff=True)
    response = moderator_client.post(
        reverse("comments:suspend", args=[editor.username]), {"days": "1", "reason": "Hm."}
    )
    assert response.status_code == 403


def test_the_member_page_explains_why_a_moderator_cannot_be_suspended(moderator_client):
    other = make_moderator()
    response = moderator_client.get(reverse("comments:moderation-member", args=[other.username]))
    assertContains(response, "Only staff can suspend another moderator.")
    assertNotContains(response, 'name="days"')


def test_moderator_lifts_a_suspension(moderator_client):
    troll = make_user()
    suspension = moderation.member_suspend(
        member=troll, moderator=make_staff(), reason="Spam.", days=30
    )
    moderator_client.post(
        reverse("comments:suspension-lift", args=[suspension.pk]), {"reason": "Apologised."}
    )
    suspension.refresh_from_db()
    assert suspension.lift_reason == "Apologised."


def test_lifting_without_a_reason_shows_an_error(moderator_client):
    troll = make_user()
    suspension = moderation.member_suspend(
        member=troll, moderator=make_staff(), reason="Spam.", days=30
    )
    response = moderator_client.post(reverse("comments:suspension-lift", args=[suspension.pk]))
    assertContains(response, "Give a reason", status_code=400)
    assert Suspension.objects.active().filter(pk=suspension.pk).exists()


def test_member_lookup_goes_to_the_members_page(moderator_client):
    troll = make_user()
    response = moderator_client.get(
        reverse("comments:moderation-members"), {"username": f"@{troll.username.upper()}"}
    )
    assertRedirects(
        response,
        reverse("comments:moderation-member", args=[troll.username]),
        fetch_redirect_response=False,
    )


def test_member_lookup_of_nobody_says_so(moderator_client):
    response = moderator_client.get(reverse("comments:moderation-members"), {"username": "ghost"})
    assertContains(response, "No member has that username.")


def test_the_members_page_lists_suspensions_in_force(moderator_client):
    troll = make_user(display_name="Tiresome Troll")
    moderation.member_suspend(member=troll, moderator=make_staff(), reason="Spam.", days=7)
    response = moderator_client.get(reverse("comments:moderation-members"))
    assertContains(response, "Tiresome Troll")
    assertContains(response, f"@{troll.username}")


def test_an_unknown_member_is_404(moderator_client):
    response = moderator_client.get(reverse("comments:moderation-member", args=["nobody-here"]))
    assert response.status_code == 404
