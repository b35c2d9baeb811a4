"""The colour theme a visitor chose: light, dark, or (no cookie) whatever their system prefers.

The choice lives in a cookie the server reads, so base.html renders `<html data-theme=...>` with
the page and the first paint is already in the right colours: no script runs before it (CSP
allows none inline). The stylesheet (static/css/site.css) does the rest: `data-theme` wins, and
without it `prefers-color-scheme` decides. The anonymous page cache keys pages on the theme too
(fansite.page_cache).
"""

from django.http import HttpRequest

THEME_COOKIE = "theme"
THEME_COOKIE_MAX_AGE = 365 * 24 * 60 * 60
# What the toggle offers; "system" clears the cookie.
THEMES = ("light", "dark")
SYSTEM = "system"


def chosen_theme(request: HttpRequest) -> str:
    """ "light" or "dark" as the visitor chose, or "" to follow their system (a forged or stale
    cookie counts as no choice)."""
    theme = request.COOKIES.get(THEME_COOKIE, "")
    return theme if theme in THEMES else ""
