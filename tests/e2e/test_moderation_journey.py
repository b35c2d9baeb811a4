"""Trust and safety from the site alone: three members report a troll's comment, it is hidden
from readers at once; a moderator restores it, suspends the troll for 7 days with a reason; the
troll, trying to post, reads why and until when; the audit log holds all of it."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from accounts.models import User
from comments import services
from tests.e2e.test_comments import comment_item, sign_in
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)

REASON_RESTORE = "Rude, but not against the rules: it stays."
REASON_SUSPEND = "Three threads derailed today; take a week off."


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _trusted_reporters(settings):
    """The reporters are established members: their reports count toward the threshold."""
    settings.COMMENTS_AUTO_HIDE_REPORTS = 3
    settings.NEW_MEMBER_HOURS = 0
    settings.NEW_MEMBER_MIN_COMMENTS = 0


def _moderator() -> User:
    """Given the permission itself: a transactional test flushes the migrations' groups."""
    moderator = make_user(username="mod", display_name="Mod Squad")
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_comment"))
    return moderator


def _sign_out(page, live_server) -> None:
    page.context.clear_cookies()
    page.goto(live_server.url + "/")


def _report(page, live_server, member, comment) -> None:
    sign_in(page, live_server, member)
    page.goto(live_server.url + comment.get_absolute_url())
    comment_item(page, "you are all wrong").get_by_role("link", name="Report").click()
    page.get_by_label("Abusive or hateful").check()
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("the moderators will look at this comment")).to_be_visible()
    _sign_out(page, live_server)


def test_reports_hide_a_comment_a_moderator_restores_it_and_suspends_the_troll(
    page, live_server, screenshot, csp_errors
):
    troll = make_user(username="troll", display_name="Troll")
    thread = services.thread_start(
        author=make_user(display_name="Heather"), title="Best outfit?", body="The blue one."
    )
    comment = services.comment_create(
        thread=thread, author=troll, body="Ugh, you are all wrong about everything."
    )
    for name in ("romy", "michele", "sandy"):
        _report(page, live_server, make_user(username=name), comment)

    # Hidden for readers at once.
    page.goto(live_server.url + thread.get_absolute_url())
    expect(page.get_by_text("you are all wrong")).to_have_count(0)
    expect(page.get_by_text("hidden pending review")).to_be_visible()

    # The moderator finds it at the top of the queue and restores it, with a reason.
    moderator = _moderator()
    sign_in(page, live_server, moderator)
    page.get_by_role("link", name="Moderation").first.click()
    expect(page.get_by_text("you are all wrong").first).to_be_visible()
    page.goto(live_server.url + f"/discussions/moderation/comment/{comment.pk}/")
    page.get_by_label("Reason").fill(REASON_RESTORE)
    page.get_by_role("button", name="Restore the comment").click()
    page.goto(live_server.url + thread.get_absolute_url())
    expect(comment_item(page, "you are all wrong")).to_be_visible()

    # Then suspends the troll for 7 days, with a reason.
    page.goto(live_server.url + "/discussions/moderation/members/troll/")
    page.get_by_label("7 days").check()
    page.get_by_label("Reason").fill(REASON_SUSPEND)
    page.get_by_role("button", name="Suspend").click()
    expect(page.get_by_text(REASON_SUSPEND).first).to_be_visible()
    screenshot("moderation-member-suspended")

    # The audit log lists the automatic hide, the restore and the suspension, with reasons.
    page.goto(live_server.url + "/discussions/moderation/log/")
    log = page.locator("main")
    expect(log).to_contain_text("automatic")
    expect(log).to_contain_text(REASON_RESTORE)
    expect(log).to_contain_text(REASON_SUSPEND)
    expect(log).to_contain_text("Reported by 3 members")
    screenshot("moderation-audit-log")
    _sign_out(page, live_server)

    # The troll can still read and sign in; the thread says why they cannot post, and so does
    # the page answering an attempt to start a discussion.
    sign_in(page, live_server, User.objects.get(username="troll"))
    page.goto(live_server.url + thread.get_absolute_url())
    notice = page.locator(".comments__notice")
    expect(notice).to_contain_text("Your account is suspended until")
    expect(notice).to_contain_text(REASON_SUSPEND)
    expect(page.locator("form.comment-form")).to_have_count(0)
    page.goto(live_server.url + "/discussions/new/")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Your account is suspended until")
    expect(alert).to_contain_text(REASON_SUSPEND)
    screenshot("moderation-troll-sees-why")
    assert csp_errors == []
