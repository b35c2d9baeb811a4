"""A small fixed-window rate limit on the shared cache (Redis in production), so a limit holds
across workers and hosts."""

import math
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# action: (how many, per how many seconds)
LIMITS = {
    "post": (6, 60),
    # Previews render Markdown too, but a writer previews more often than they post.
    "preview": (30, 60),
    "flag": (10, 600),
    # Generous: a reader may like their way down a long thread; a script liking and unliking
    # in a loop is stopped.
    "like": (60, 60),
    "follow": (30, 60),
}
NEW_MEMBER_WINDOW = 3600

# "you can {what} every {period}", with {n} the number allowed.
WHAT = {
    "post": "send {n} comments",
    "preview": "send {n} previews",
    "flag": "send {n} reports",
    "like": "like or unlike {n} times",
    "follow": "follow or stop following {n} times",
}
# Forms that hold the member's text, which the refusal shows again.
KEEP_TEXT = {"post", "preview", "flag", "new_post"}


def now() -> float:
    """The clock the windows are cut from (tests hold it still)."""
    return time.time()


def limit_of(action: str) -> tuple[int, int]:
    """How many attempts a window allows, and the window in seconds. New members' posts
    (comments, replies and discussions started) are counted by the hour, besides the limit
    everyone has."""
    if action == "new_post":
        return settings.NEW_MEMBER_POSTS_PER_HOUR, NEW_MEMBER_WINDOW
    return LIMITS[action]


def _count(key: str, timeout: int) -> int:
    """One more attempt on the window's counter; returns the count. On Redis one round trip
    (SET NX with the window's expiry, then INCR, in one transaction), not the three of
    add() and incr() (which asks EXISTS first); elsewhere the cache's incr(), and add() only
    for the window's first attempt."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        redis_key = cache.make_and_validate_key(key)
        client = cache._cache.get_client(redis_key, write=True)
        pipeline = client.pipeline(transaction=True)
        pipeline.set(redis_key, 0, ex=timeout, nx=True)
        pipeline.incr(redis_key)
        return pipeline.execute()[-1]
    try:
        return cache.incr(key)
    except ValueError:  # The window's first attempt.
        if cache.add(key, 1, timeout=timeout):
            return 1
        return cache.incr(key)  # Another request started the window meanwhile.


def is_limited(user, action: str) -> bool:
    """Count one more attempt; True when the user is over the limit for this window."""
    allowed, window = limit_of(action)
    key = f"comments:ratelimit:{action}:{user.pk}:{int(now() // window)}"
    return _count(key, window + 5) > allowed


def retry_after(action: str) -> int:
    """Seconds until the current window ends and the count starts afresh."""
    _, window = limit_of(action)
    return max(1, math.ceil(window - now() % window))


def _in_about(seconds: int) -> str:
    if seconds < 60:
        return f"in about {seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    if minutes == 1:
        return "in about a minute"
    if minutes == 60:
        return "in about an hour"
    return f"in about {minutes} minutes"


def limit_message(action: str) -> str:
    """What happened, and when to try again."""
    allowed, window = limit_of(action)
    then = "Your text is still here; try again" if action in KEEP_TEXT else "Try again"
    when = _in_about(retry_after(action))
    if action == "new_post":
        return (
            f"While your account is new you can post {allowed} comment{'s' if allowed != 1 else ''}"
            f" an hour (replies and new discussions included). {then} {when}."
        )
    minutes = window // 60
    period = "minute" if minutes == 1 else f"{minutes} minutes"
    return (
        f"Slow down a little: you can {WHAT[action].format(n=allowed)} every {period}. "
        f"{then} {when}."
    )


def rate_limited(request: HttpRequest, message: str, *, back: str) -> HttpResponse:
    """The 429 page for an action with no form of its own to show the message on (a like or a
    follow sent without JavaScript), with the way back."""
    context = {"message": message, "back": back}
    return render(request, "comments/rate_limited.html", context, status=429)
