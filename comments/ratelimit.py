"""A small fixed-window rate limit on the shared cache (Redis in production)."""

import time

from django.core.cache import cache
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

# "you can {what} every {period}", with {n} the number allowed.
WHAT = {
    "post": "send {n} comments",
    "preview": "send {n} previews",
    "flag": "send {n} reports",
    "like": "like or unlike {n} times",
    "follow": "follow or stop following {n} times",
}
# Forms that hold the member's text, which the refusal shows again.
KEEP_TEXT = {"post", "preview", "flag"}


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
    minutes = window // 60
    period = "minute" if minutes == 1 else f"{minutes} minutes"
    then = "Your text is still here; try again" if action in KEEP_TEXT else "Try again"
    return (
        f"Slow down a little: you can {WHAT[action].format(n=allowed)} every {period}. "
        f"{then} in a moment."
    )


def rate_limited(request: HttpRequest, message: str, *, back: str) -> HttpResponse:
    """The 429 page for an action with no form of its own to show the message on (a like or a
    follow sent without JavaScript), with the way back."""
    context = {"message": message, "back": back}
    return render(request, "comments/rate_limited.html", context, status=429)
