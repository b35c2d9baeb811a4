"""A thread's comments as the pages show them: the thread page, a news post's comments and the
htmx partials, all from one context builder (`discussion_context`).

A page holds top-level comments in the chosen order and, for each, its first replies
(COMMENTS_REPLIES_SHOWN, in the order they were written) with a "more replies" link to the rest,
in pages of their own (`replies_page`): one query for the page of roots, one for their first
replies, nested here in Python, so a page costs the same whatever the size of the thread or of
one comment's replies.

Anonymous visitors with the same seen films (comments.spoilers) all see the same section, so it
is cached per thread, order, page and seen films under the thread's version (comments.caching),
which every write to the thread bumps after commit.
Signed-in members get it rendered fresh, with their likes, their follow button and the forms.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from comments.caching import pieces, thread_version
from comments.forms import CommentFormMode
from comments.fragments import (
    CSRF_PLACEHOLDER,
    attach_articles,
    attach_trees,
    fill_csrf,
    sections,
)
from comments.models import Comment, CommentSort, Reaction, Subscription, Thread
from comments.permissions import (
    can_moderate,
    can_post,
    is_new_member,
    suspension_of,
)
from comments.spoilers import anonymous_seen_ids, released_film_ids, seen_film_ids
from films.caching import films_version

SECTION_TIMEOUT = 300
EMPTY = "none"  # Cached for "no such comment", which a cache cannot tell from a miss.
THREAD_TEMPLATE = "comments/thread.html"
SECTION_TEMPLATE = f"{THREAD_TEMPLATE}#comment_section"


@dataclass
class CommentPage:
    """One page of a thread's comments: the roots, each with its `children` nested."""

    sort: str
    page_obj: Page
    roots: list[Comment]
    following: bool = False
    comments: list[Comment] = field(default_factory=list)  # The roots and replies shown.


def clean_sort(value: str | None) -> str:
    return value if value in CommentSort.values else CommentSort.OLDEST


def discussion_context(request: HttpRequest, thread: Thread, **extra) -> dict:
    """What every discussion template needs besides its own objects: the thread and what the
    visitor may do in it."""
    return {
        "thread": thread,
        "can_post": can_post(request.user),
        "suspension": suspension_of(request.user),
        "can_moderate": can_moderate(request.user),
        "max_depth": settings.COMMENTS_MAX_DEPTH,
        "sorts": CommentSort.choices,
        **extra,
    }


# Loading --------------------------------------------------------------------------------------


def thread_of_post(post) -> Thread:
    """A post's thread, or while nobody has commented on it or followed it, an unsaved one: the
    page shows it empty, and the services make it on the first write."""
    thread = Thread.objects.filter(post=post).select_related("spoilers_for").first()
    thread = thread or Thread(post=post, title=post.title[:200])
    thread.post = post
    return thread


def nest(comments: list[Comment], liked_ids: set[int]) -> dict[int, Comment]:
    """Give each comment its `children`, in the order given; returns them by id."""
    by_id = {comment.pk: comment for comment in comments}
    for comment in comments:
        comment.children = []
        comment.liked = comment.pk in liked_ids
    for comment in comments:
        parent = by_id.get(comment.parent_id)
        if parent is not None:
            parent.children.append(comment)
    return by_id


def _keep_first_replies(roots: list[Comment], replies: list[Comment]) -> list[Comment]:
    """Of each root's replies (one more than are shown, in the order written), the ones shown;
    a root with more gets `more_replies` and, for the link, how many visible replies are left."""
    shown = settings.COMMENTS_REPLIES_SHOWN
    per_root: Counter[int] = Counter()
    kept, more = [], set()
    for reply in replies:
        per_root[reply.root_id] += 1
        if per_root[reply.root_id] > shown:
            more.add(reply.root_id)
        else:
            kept.append(reply)
    visible_shown = Counter(reply.root_id for reply in kept if reply.is_visible)
    for root in roots:
        root.more_replies = root.pk in more
        root.replies_left = max(root.reply_count - visible_shown[root.pk], 0)
        root.more_replies_page = 1
    return kept


def liked_ids(user, comments: list[Comment]) -> set[int]:
    if not user.is_authenticated or not comments:
        return set()
    liked = Reaction.objects.filter(user=user, comment_id__in=[c.pk for c in comments])
    return set(liked.values_list("comment_id", flat=True))


def liked_in_thread(user, thread: Thread) -> set[int]:
    """The comments of the thread the member likes: a kept page's key needs those it shows,
    and naming a page's 220 ids in an IN () costs more Python than a member's likes in one
    thread cost rows."""
    liked = Reaction.objects.filter(user=user, comment__thread_id=thread.pk)
    return set(liked.values_list("comment_id", flat=True))


def comment_page(
    *,
    thread: Thread,
    user,
    sort: str | None,
    page_number,
    liked: set[int] | None = None,
    following: bool | None = None,
) -> CommentPage:
    """A page of the thread's comments. A post's thread not made yet (unsaved) has none.
    `liked` (the reader's likes among them) and `following`, when the caller has them, are not
    asked again."""
    sort = clean_sort(sort)
    if thread.pk is None:
        return CommentPage(sort, Paginator([], settings.COMMENTS_PER_PAGE).get_page(1), [])
    roots_query = Comment.objects.for_roots_page(thread, sort).select_related("spoilers_for")
    paginator = Paginator(roots_query, settings.COMMENTS_PER_PAGE)
    paginator.count = roots_count(thread)  # A cached_property: set, it is not counted again.
    page_obj = paginator.get_page(page_number)
    roots = list(page_obj.object_list)
    # One more than is shown, so a root whose replies go on shows a "more replies" link.
    replies = Comment.objects.first_replies(
        thread.pk, [root.pk for root in roots], settings.COMMENTS_REPLIES_SHOWN + 1
    ).select_related("spoilers_for")
    everything = roots + _keep_first_replies(roots, list(replies))
    nest(everything, liked_ids(user, everything) if liked is None else liked)
    for comment in everything:
        comment.thread = thread
    if following is None:
        following = (
            user.is_authenticated and Subscription.objects.filter(thread=thread, user=user).exists()
        )
    return CommentPage(sort, page_obj, roots, following, everything)


@dataclass
class RepliesPage:
    """One page of a top-level comment's later replies (after the ones the thread page shows),
    in the order written. `groups` holds them by the comment they answer that is not on this
    page (the root, or a reply on an earlier page): each reply is nested under its parent when
    that is on the page, else it starts a group of its parent's."""

    root: Comment
    page_obj: Page
    groups: dict[int, list[Comment]]


def replies_page(*, root: Comment, user, page_number) -> RepliesPage:
    later = Comment.objects.replies_of(root).select_related("spoilers_for")
    later = later[settings.COMMENTS_REPLIES_SHOWN :]
    page_obj = Paginator(later, settings.COMMENTS_REPLIES_PER_PAGE).get_page(page_number)
    replies = list(page_obj.object_list)
    by_id = nest(replies, liked_ids(user, replies))
    groups: dict[int, list[Comment]] = {}
    for reply in replies:
        reply.thread = root.thread
        if reply.parent_id not in by_id:
            reply.shown_apart = reply.parent_id != root.pk
            groups.setdefault(reply.parent_id, []).append(reply)
    root.replies_on_page = replies
    root.more_replies = page_obj.has_next()
    root.replies_left = max(page_obj.paginator.count - page_obj.end_index(), 0)
    root.more_replies_page = page_obj.number + 1
    return RepliesPage(root, page_obj, groups)


def replies_page_number_of(comment: Comment) -> int | None:
    """Which page of its root's later replies shows a reply, or None when the thread page
    shows it (a top-level comment or one of the first replies)."""
    if comment.root_id is None:
        return None
    earlier = Comment.objects.filter(thread_id=comment.thread_id, root_id=comment.root_id)
    position = earlier.written_before(comment).count()
    if position < settings.COMMENTS_REPLIES_SHOWN:
        return None
    return (position - settings.COMMENTS_REPLIES_SHOWN) // settings.COMMENTS_REPLIES_PER_PAGE + 1


def _alone(comment: Comment, user, *, is_new: bool = False) -> Comment:
    """A comment for the htmx answers, without its replies: what the partials show. A new one
    is shown as comments.services.comment_create left it (its author, thread with the new
    count, and film in hand; nobody has liked it yet); a changed one is read again."""
    if not is_new:
        related = Comment.objects.select_related("author", "thread", "spoilers_for")
        comment = related.get(pk=comment.pk)
    comment.children = []
    comment.liked = not is_new and comment.pk in liked_ids(user, [comment])
    return comment


def page_number_of(comment: Comment, sort: str) -> int:
    """Which page of its thread, in this order, shows a comment (through its root)."""
    root = comment.root if comment.root_id else comment
    roots = Comment.objects.filter(thread_id=comment.thread_id).roots()
    earlier_in_time = Q(created_at__lt=root.created_at) | Q(
        created_at=root.created_at, pk__lt=root.pk
    )
    if sort == CommentSort.NEWEST:
        before = roots.exclude(pk=root.pk).exclude(earlier_in_time)
    elif sort == CommentSort.LIKED:
        before = roots.filter(
            Q(like_count__gt=root.like_count) | (Q(like_count=root.like_count) & earlier_in_time)
        )
    else:
        before = roots.filter(earlier_in_time)
    return before.count() // settings.COMMENTS_PER_PAGE + 1


def first_comment(thread: Thread) -> Comment | None:
    """The thread's first top-level comment (its text describes the page to search engines),
    cached under the thread's version like the sections: a query saved on every page."""

    def first() -> Comment | None:
        roots = thread.comments.roots().select_related("spoilers_for")
        return roots.order_by("created_at", "pk").first()

    key = f"comments:first:{thread.pk}:{thread_version(thread.pk)}"
    cached = cache.get(key)
    if cached is None:
        cached = first() or EMPTY
        cache.set(key, cached, SECTION_TIMEOUT)
    return None if cached == EMPTY else cached


# The section, cached for anonymous visitors -------------------------------------------------


def _resolved_page(thread: Thread, raw_page: str | None, version: int) -> int:
    """The page number a request's `page` shows, as the paginator resolves it (`abc` and `01`
    are page 1, past the end is the last page), so each page is cached once. The count of
    top-level comments it needs is cached with the sections, and not even looked up for the
    first page, which most visitors see."""
    try:
        if int(raw_page) == 1:
            return 1
    except (TypeError, ValueError):
        return 1  # Not a number: the paginator shows the first page.
    count = roots_count(thread, version)
    return Paginator(range(count), settings.COMMENTS_PER_PAGE).get_page(raw_page).number


def roots_count(thread: Thread, version: int | None = None) -> int:
    """How many top-level comments the thread has, cached under its version: the paginator's
    COUNT, saved on every page but the first after a write."""
    version = thread_version(thread.pk) if version is None else version
    return cache.get_or_set(
        f"comments:roots:{thread.pk}:{version}",
        lambda: Comment.objects.filter(thread=thread).roots().count(),
        SECTION_TIMEOUT,
    )


def _render_section(request: HttpRequest, thread: Thread, **known) -> tuple[str, CommentPage]:
    """The section's HTML with CSRF_PLACEHOLDER for the token (a cached copy serves readers with
    other tokens: fill_csrf puts the request's in), and the page it shows. `known`: what
    comment_page need not ask again."""
    page = comment_page(
        thread=thread,
        user=request.user,
        sort=request.GET.get("sort"),
        page_number=request.GET.get("page"),
        **known,
    )
    mode = CommentFormMode.comment(thread)
    writer = request.user if request.user.is_authenticated else None
    form = mode.form(writer=writer)  # Tells a new member their limits before they write.
    context = discussion_context(request, thread, page=page, mode=mode, form=form)
    attach_articles(request, context, page.comments)
    attach_trees(request, context, page.roots)
    context["csrf_token"] = CSRF_PLACEHOLDER
    return render_to_string(SECTION_TEMPLATE, context, request), page


def comment_section(request: HttpRequest, thread: Thread) -> tuple[str, int]:
    """The section's HTML and the page number it shows."""
    if thread.pk is None:
        html, page = _render_section(request, thread)
        number = page.page_obj.number
    elif request.user.is_authenticated:
        html, number = _member_section(request, thread)
    else:
        html, number = _anonymous_section(request, thread)
    return mark_safe(fill_csrf(request, html)), number  # Our template's output, token filled in.


def _anonymous_section(request: HttpRequest, thread: Thread) -> tuple[str, int]:
    sort = clean_sort(request.GET.get("sort"))
    version = thread_version(thread.pk)
    page = _resolved_page(thread, request.GET.get("page"), version)
    # Spoiler-marked comments show differently to visitors who have seen the film: another copy.
    seen = ".".join(map(str, anonymous_seen_ids(request)))
    key = f"comments:section:{thread.pk}:{version}:{sort}:{page}:{seen}:{request.path}"
    cached = pieces().get(key)
    if cached is None:
        html, shown = _render_section(request, thread)
        cached = (html, shown.page_obj.number)
        pieces().set(key, cached, SECTION_TIMEOUT)
    return cached


# The section, cached for members --------------------------------------------------------------


@dataclass(frozen=True)
class Outline:
    """What a member's copy of a page of comments depends on besides the thread's version: the
    comments shown (their ids, authors, and the films their spoilers are for)."""

    ids: tuple[int, ...]
    author_ids: tuple[int | None, ...]
    spoiler_film_ids: frozenset[int]

    @classmethod
    def of(cls, comments: list[Comment]) -> "Outline":
        return cls(
            ids=tuple(comment.pk for comment in comments),
            author_ids=tuple(comment.author_id for comment in comments),
            spoiler_film_ids=frozenset(c.spoilers_for_id for c in comments if c.spoilers_for_id),
        )


def _member_key(
    request: HttpRequest,
    thread: Thread,
    page: str,
    outline: Outline,
    *,
    liked: set[int],
    following: bool,
) -> str:
    """The key of a member's copy of a page: made of everything the section shows of how this
    reader relates to the thread and its comments (as comments.fragments keys each article), so
    members alike share a copy, and any change of reader, thread or comment makes a new key."""
    user = request.user
    posting = can_post(user)
    suspension = suspension_of(user)
    seen = seen_film_ids(request) & outline.spoiler_film_ids if outline.spoiler_film_ids else ()
    reader = (
        posting,
        can_moderate(user),
        (suspension.pk, suspension.ends_at, suspension.reason) if suspension else None,
        posting and is_new_member(user),  # The form tells new members their limits.
        following,
        thread.locked,
        sorted(liked),
        [
            pk
            for pk, author in zip(outline.ids, outline.author_ids, strict=True)
            if author == user.pk
        ],
        sorted(seen),
        sorted(released_film_ids() & outline.spoiler_film_ids),
        films_version(),  # The form's "Contains spoilers for" lists the films.
        timezone.get_current_timezone_name(),
        request.path,
    )
    digest = hashlib.blake2b(repr(reader).encode(), digest_size=16).hexdigest()
    return f"comments:member-section:{page}:{digest}"


def _member_section(request: HttpRequest, thread: Thread) -> tuple[str, int]:
    """A member's section from the copy kept for members who relate to its comments as this one
    does (mostly: none of them theirs or liked), else rendered now and kept. The comments a
    page shows are kept too (its Outline), so a kept copy is found without loading them."""
    sort = clean_sort(request.GET.get("sort"))
    version = thread_version(thread.pk)
    number = _resolved_page(thread, request.GET.get("page"), version)
    page = f"{thread.pk}:{version}:{sort}:{number}"
    outline = pieces().get(f"comments:outline:{page}")
    known = {}
    if outline is not None:
        user = request.user
        liked = liked_in_thread(user, thread).intersection(outline.ids)
        following = Subscription.objects.filter(thread=thread, user=user).exists()
        key = _member_key(request, thread, page, outline, liked=liked, following=following)
        html = sections.get(key)  # This worker's copy: the key says it is still the one.
        if html is None and (html := pieces().get(key)) is not None:
            sections.set(key, html)
        if html is not None:
            return html, number
        known = {"liked": liked, "following": following}  # Of the same comments: not asked again.
    html, shown = _render_section(request, thread, **known)
    outline = Outline.of(shown.comments)
    liked = {comment.pk for comment in shown.comments if comment.liked}
    key = _member_key(request, thread, page, outline, liked=liked, following=shown.following)
    pieces().set_many({f"comments:outline:{page}": outline, key: html}, SECTION_TIMEOUT)
    sections.set(key, html)
    return html, number


# htmx partials -------------------------------------------------------------------------------


def comment_partial(
    request: HttpRequest,
    comment: Comment,
    *,
    is_new: bool = False,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """A new comment as the thread page's `comment` partial (it has no replies yet); a changed
    one (edited, deleted, an edit cancelled) as its `comment_article` partial, which takes the
    place of the comment's article alone, so the replies loaded under it stay, however many.
    The thread's new count is swapped in out of band."""
    node = _alone(comment, request.user, is_new=is_new)
    context = discussion_context(request, node.thread, comment=node, is_new=is_new)
    partial = "comment" if is_new else "comment_article"
    response = render(request, f"{THREAD_TEMPLATE}#{partial}", context)
    if not is_new:
        response["HX-Retarget"] = f"#comment-{node.pk} > article"
        response["HX-Reswap"] = "outerHTML"
    oob = {"thread": node.thread, "oob": True}
    response.write(render_to_string(f"{THREAD_TEMPLATE}#comment_count", oob, request))
    if is_new:  # Commenting follows the thread.
        follow = oob | {"following": True}
        response.write(render_to_string(f"{THREAD_TEMPLATE}#follow", follow, request))
    for name, value in (headers or {}).items():
        response[name] = value
    return response
