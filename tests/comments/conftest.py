import pytest


@pytest.fixture(autouse=True)
def _rate_limit_window_held_still(monkeypatch):
    """Rate limits count in fixed windows; a test crossing a minute boundary would start afresh."""
    monkeypatch.setattr("comments.ratelimit.now", lambda: 1_800_000_000.0)
