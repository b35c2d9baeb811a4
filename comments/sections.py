"""A thread's comments as the pages show them: the thread page, a news post's comments and the
htmx partials, all from one context builder (`discussion_context`).

A page holds top-level comments in the chosen order and, for them, every reply: one query for
the page of roots, one for every reply whose root is on the page, nested here in Python, so a
page costs the same whatever the thread's size.

Anonymous visitors with the same seen films (comments.spoilers) all see the same section, so it
is cached per thread, order, page and seen films under the thread's version (comments.caching),
which every write to the thread bumps after commit.
Signed-in members get it rendered fresh, with their likes, their follow button and the forms.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from comments.caching import thread_version
from comments.forms import CommentFormMode
from comments.models import Comment, CommentSort, Reaction, Subscription, Thread
from comments.permissions import can_moderate, can_post, suspension_of
from comments.spoilers import anonymous_seen_ids

SECTION_TIMEOUT = 300
THREAD_TEMPLATE = "comments/thread.html"
SECTION_TEMPLATE = f"{THREAD_TEMPLATE}#comment_section"


@dataclass
class CommentPage:
    """One page of a thread's comments: the roots, each with its `children` nested."""

    sort: str
    page_obj: Page
    roots: list[Comment]
    following: bool = False


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


def comment_page(*, thread: Thread, user, sort: str | None, page_number) -> CommentPage:
    """A page of the thread's comments. A post's thread not made yet (unsaved) has none."""
    sort = clean_sort(sort)
    if thread.pk is None:
        return CommentPage(sort, Paginator([], settings.COMMENTS_PER_PAGE).get_page(1), [])
    roots_query = Comment.objects.for_roots_page(thread, sort).select_related("spoilers_for")
    page_obj = Paginator(roots_query, settings.COMMENTS_PER_PAGE).get_page(page_number)
    roots = list(page_obj.object_list)
    replies = Comment.objects.replies_under([root.pk for root in roots]).select_related(
        "spoilers_for"
    )
    everything = roots + list(replies)
    liked_ids = set()
    if user.is_authenticated:
        # The user's likes in this thread: bounded by what they did, not by the page's size.
        liked = Reaction.objects.filter(user=user, comment__thread_id=thread.pk)
        liked_ids = set(liked.values_list("comment_id", flat=True))
    nest(everything, liked_ids)
    for comment in everything:
        comment.thread = thread
    following = (
        user.is_authenticated and Subscription.objects.filter(thread=thread, user=user).exists()
    )
    return CommentPage(sort, page_obj, roots, following)


def comment_subtree(*, comment: Comment, user) -> Comment:
    """One comment with all its replies nested, for answering an htmx request."""
    tree = list(Comment.objects.for_tree(comment.tree_root_id).select_related("spoilers_for"))
    liked_ids = set()
    if user.is_authenticated:
        liked = Reaction.objects.filter(user=user, comment_id__in=[c.pk for c in tree])
        liked_ids = set(liked.values_list("comment_id", flat=True))
    return nest(tree, liked_ids)[comment.pk]


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
    count = cache.get_or_set(
        f"comments:roots:{thread.pk}:{version}",
        lambda: Comment.objects.filter(thread=thread).roots().count(),
        SECTION_TIMEOUT,
    )
    return Paginator(range(count), settings.COMMENTS_PER_PAGE).get_page(raw_page).number


def _render_section(request: HttpRequest, thread: Thread) -> tuple[str, int]:
    page = comment_page(
        thread=thread,
        user=request.user,
        sort=request.GET.get("sort"),
        page_number=request.GET.get("page"),
    )
    mode = CommentFormMode.comment(thread)
    writer = request.user if request.user.is_authenticated else None
    form = mode.form(writer=writer)  # Tells a new member their limits before they write.
    context = discussion_context(request, thread, page=page, mode=mode, form=form)
    return render_to_string(SECTION_TEMPLATE, context, request), page.page_obj.number


def comment_section(request: HttpRequest, thread: Thread) -> tuple[str, int]:
    """The section's HTML and the page number it shows."""
    if request.user.is_authenticated or thread.pk is None:
        return _render_section(request, thread)
    sort = clean_sort(request.GET.get("sort"))
    version = thread_version(thread.pk)
    page = _resolved_page(thread, request.GET.get("page"), version)
    # Spoiler-marked comments show differently to visitors who have seen the film: another copy.
    seen = ".".join(map(str, anonymous_seen_ids(request)))
    key = f"comments:section:{thread.pk}:{version}:{sort}:{page}:{seen}:{request.path}"
    cached = cache.get(key)
    if cached is None:
        cached = _render_section(request, thread)
        cache.set(key, cached, SECTION_TIMEOUT)
    return cached


# htmx partials -------------------------------------------------------------------------------


def comment_partial(
    request: HttpRequest,
    comment: Comment,
    *,
    is_new: bool = False,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """The comment with its replies as the thread page's partial, and the thread's new count
    swapped in out of band."""
    node = comment_subtree(comment=comment, user=request.user)
    context = discussion_context(request, node.thread, comment=node, is_new=is_new)
    response = render(request, f"{THREAD_TEMPLATE}#comment", context)
    oob = {"thread": node.thread, "oob": True}
    response.write(render_to_string(f"{THREAD_TEMPLATE}#comment_count", oob, request))
    if is_new:  # Commenting follows the thread.
        follow = oob | {"following": True}
        response.write(render_to_string(f"{THREAD_TEMPLATE}#follow", follow, request))
    for name, value in (headers or {}).items():
        response[name] = value
    return response
