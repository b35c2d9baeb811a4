"""Each comment's article (the thread page's `comment_article` partial), rendered once and kept.

Rendering a comment costs about a millisecond (a dozen URLs, an avatar, dates, forms), so a
member's page of 20 top-level comments with their replies spent most of its time there. An
article shows only the comment and how this reader relates to it (signed in, its author, may
post, moderates, suspended, likes it, has its spoilers hidden, the thread locked), so it is
kept under a key made of exactly those values: a changed comment, author or reader gets a new
key, and nothing is ever invalidated. Keys are content, so each worker keeps its own copy in
memory (a bounded LRU): no other worker needs to see it, and a hit costs a dictionary look-up.

The like form's CSRF token is the one per-request part: articles are rendered with a
placeholder that `fill_csrf` replaces with the request's token in the finished HTML.
"""

import hashlib
import threading
from collections import OrderedDict

from django.conf import settings
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from comments.models import Comment
from comments.spoilers import hides

ARTICLE_TEMPLATE = "comments/thread.html#comment_article"
TREE_TEMPLATE = "comments/thread.html#comment"
CSRF_PLACEHOLDER = "csrf-token-for-this-request"


class _Kept:
    """A least-recently-used map bounded by the setting named `limit`, safe for threaded
    workers."""

    def __init__(self, limit: str) -> None:
        self._items: OrderedDict[str, SafeString] = OrderedDict()
        self._lock = threading.Lock()
        self._limit = limit

    def get(self, key: str) -> SafeString | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def set(self, key: str, value: SafeString) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > getattr(settings, self._limit):
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


articles = _Kept("COMMENTS_ARTICLES_KEPT")
# Members' whole comment sections (comments.sections), kept in the shared cache too: a copy here
# saves carrying up to 200 kB from Redis or a file on every page.
sections = _Kept("COMMENTS_SECTIONS_KEPT")


def _key(comment: Comment, reader: tuple, template) -> str:
    author = comment.author
    spoilers_for = comment.spoilers_for if comment.spoilers_for_id else None
    shown = (
        comment.pk,
        comment.depth,
        comment.status,
        comment.body_html,
        comment.created_at,
        comment.edited_at,
        comment.like_count,
        comment.spoilers_for_id,
        spoilers_for.title if spoilers_for else None,
        comment.author_id,
        (author.username, author.public_name, author.avatar.name) if author else None,
    )
    # The template object is new whenever the loader reloads it (a changed template in
    # development), so an edited template never serves articles rendered by the old one.
    identity = (id(template.template), timezone.get_current_timezone_name())
    digest = hashlib.blake2b(repr((shown, reader, identity)).encode(), digest_size=16)
    return digest.hexdigest()


def attach_articles(request, context: dict, comments: list[Comment]) -> None:
    """Give each comment its rendered `article_html`, from the kept ones or rendered now.
    `context` is the discussion context the page renders with (discussion_context)."""
    if not settings.COMMENTS_ARTICLES_KEPT:
        return
    template = get_template(ARTICLE_TEMPLATE)
    user = request.user
    thread = context["thread"]
    can_post, can_moderate = context["can_post"], context["can_moderate"]
    suspended = context["suspension"] is not None
    base = {
        "user": user,
        "request": request,
        "thread": thread,
        "can_post": can_post,
        "can_moderate": can_moderate,
        "suspension": context["suspension"],
        "csrf_token": CSRF_PLACEHOLDER,
    }
    for comment in comments:
        mine = user.is_authenticated and comment.author_id == user.pk
        reader = (
            user.is_authenticated,
            mine,
            can_post,
            can_moderate,
            suspended,
            thread.locked,
            getattr(comment, "liked", False),
            hides(request, comment),
        )
        key = _key(comment, reader, template)
        html = articles.get(key)
        if html is None:
            html = mark_safe(template.render({**base, "comment": comment}))
            articles.set(key, html)
        comment.article_key, comment.article_html = key, html


def _tree_key(comment: Comment) -> tuple:
    return (
        comment.article_key,
        getattr(comment, "shown_apart", False),
        [_tree_key(child) for child in comment.children],
    )


def attach_trees(request, context: dict, roots: list[Comment]) -> None:
    """Give each top-level comment its whole rendered `tree_html` (the `comment` partial: the
    comment, its shown replies nested, the "more replies" link), kept under a key made of its
    articles' keys and its shape, so a page of kept trees renders no template per comment.
    Call after attach_articles."""
    if not settings.COMMENTS_ARTICLES_KEPT:
        return
    template = get_template(TREE_TEMPLATE)
    base = {
        "user": request.user,
        "request": request,
        "thread": context["thread"],
        "can_post": context["can_post"],
        "can_moderate": context["can_moderate"],
        "suspension": context["suspension"],
        "csrf_token": CSRF_PLACEHOLDER,
    }
    for root in roots:
        more = (
            getattr(root, "more_replies", False),
            getattr(root, "replies_left", 0),
            getattr(root, "more_replies_page", 1),
        )
        shape = repr((_tree_key(root), more, id(template.template)))
        key = "tree:" + hashlib.blake2b(shape.encode(), digest_size=16).hexdigest()
        html = articles.get(key)
        if html is None:
            html = mark_safe(template.render({**base, "comment": root}))
            articles.set(key, html)
        root.tree_html = html


def fill_csrf(request, html: str) -> str:
    """The page's HTML with the request's CSRF token where articles hold the placeholder."""
    if CSRF_PLACEHOLDER not in html:
        return html
    return html.replace(CSRF_PLACEHOLDER, get_token(request))
