"""A small fixed-window rate limit on the shared cache (Redis in production)."""

import time

from django.core.cache import cache

# action: (how many, per how many seconds)
LIMITS = {
    "post": (6, 60),
    # Previews render Markdown too, but a writer previews more often than they post.
    "preview": (30, 60),
    "flag": (10, 600),
}

NOUNS = {"post": "comments", "preview": "previews", "flag": "reports"}


def now() -> float:
    """The clock the windows are cut from (tests hold it still)."""
    return time.time()


def is_limited(user, action: str) -> bool:
    """Count one more attempt; True when the user is over the limit for this window."""
    allowed, window = LIMITS[action]
    key = f"comments:ratelimit:{action}:{user.pk}:{int(now() // window)}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # The key expired between add() and incr().
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count > allowed


def limit_message(action: str) -> str:
    allowed, window = LIMITS[action]
    what = NOUNS[action]
    minutes = window // 60
    period = "a minute" if minutes == 1 else f"{minutes} minutes"
    return (
        f"Slow down a little: you can send {allowed} {what} every {period}. "
        "Your text is still here; try again in a moment."
    )
