"""comments.permissions.load_standing: one query, compiled once per process, answers for each
member and at each moment what the separate checks would."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from comments.permissions import (
    can_moderate,
    can_post,
    has_verified_email,
    is_new_member,
    load_standing,
    suspension_of,
)
from tests.factories import make_comment, make_moderator, make_suspension, make_user

pytestmark = pytest.mark.django_db


def _standing(user) -> tuple:
    """What the checks answer after load_standing, and what they answer on a fresh copy."""
    loaded = User.objects.get(pk=user.pk)
    load_standing(loaded)
    fresh = User.objects.get(pk=user.pk)
    answers = [
        tuple(check(member) for check in (has_verified_email, can_moderate, is_new_member))
        + (suspension_of(member) is not None, can_post(member))
        for member in (loaded, fresh)
    ]
    assert answers[0] == answers[1]
    return answers[0]


def _old_member(**overrides) -> User:
    joined = timezone.now() - timedelta(days=30)
    return make_user(date_joined=joined, **overrides)


def test_each_member_gets_their_own_answers(settings):
    settings.NEW_MEMBER_MIN_COMMENTS = 2
    regular = _old_member()
    for _ in range(2):
        make_comment(author=regular)
    newcomer = make_user()
    unverified = _old_member(verified=False)
    moderator = make_moderator()
    suspended = _old_member()
    make_suspension(user=suspended)
    # verified, moderator, new, suspended, may post
    assert _standing(regular) == (True, False, False, False, True)
    assert _standing(newcomer) == (True, False, True, False, True)
    assert _standing(unverified) == (False, False, True, False, False)
    assert _standing(moderator)[1] is True
    assert _standing(suspended)[3:] == (True, False)
    assert _standing(regular) == (True, False, False, False, True)  # The same query, again.


def test_a_suspension_over_or_not_begun_is_not_in_force():
    member = _old_member()
    now = timezone.now()
    make_suspension(user=member, starts_at=now - timedelta(days=3), days=1)  # Over.
    make_suspension(user=member, starts_at=now + timedelta(days=1), days=1)  # Not yet.
    assert _standing(member)[3] is False
    make_suspension(user=member, days=None)  # Until lifted.
    assert _standing(member)[3] is True


def test_comments_enough_count_only_visible_ones(settings):
    settings.NEW_MEMBER_MIN_COMMENTS = 2
    member = _old_member()
    make_comment(author=member)
    make_comment(author=member, status="removed")
    assert _standing(member)[2] is True
    make_comment(author=member)
    assert _standing(member)[2] is False
