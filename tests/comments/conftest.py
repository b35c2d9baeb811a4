import pytest


@pytest.fixture(autouse=True)
def _rate_limit_window_held_still(monkeypatch):
    """Rate limits count in fixed windows; a test crossing a minute boundary would start afresh."""
    monkeypatch.setattr("comments.ratelimit.now", lambda: 1_800_000_000.0)


@pytest.fixture(autouse=True)
def _members_are_trusted(settings):
    """Factories make brand-new accounts, which the trust rules (comments.permissions.
    is_new_member) would hold to a new member's limits; tests of those rules set the settings
    back themselves (tests/comments/test_new_members.py)."""
    settings.NEW_MEMBER_HOURS = 0
    settings.NEW_MEMBER_MIN_COMMENTS = 0
