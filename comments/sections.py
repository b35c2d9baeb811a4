"""The comment section of a thread page or a news post, as HTML.

Anonymous visitors all see the same section, so it is cached per thread, order and page under
a version number that every write to the thread bumps (after commit): a cached section is never
stale for longer than the write's transaction. Signed-in members get it rendered fresh, with
their likes, their follow button and the forms.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.template.loader import render_to_string

from comments.caching import thread_version
from comments.forms import CommentForm
from comments.models import Comment, CommentSort, Thread
from comments.pages import clean_sort, comment_page
from comments.permissions import can_moderate, can_post

SECTION_TIMEOUT = 300
TEMPLATE = "comments/thread.html#comment_section"


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


def section_context(request: HttpRequest, thread: Thread) -> dict:
    page = comment_page(
        thread=thread,
        user=request.user,
        sort=request.GET.get("sort"),
        page_number=request.GET.get("page"),
    )
    return {
        "thread": thread,
        "page": page,
        "form": CommentForm(),
        "can_post": can_post(request.user),
        "can_moderate": can_moderate(request.user),
        "max_depth": settings.COMMENTS_MAX_DEPTH,
        "sorts": CommentSort.choices,
    }


def comment_section(request: HttpRequest, thread: Thread) -> tuple[str, int]:
    """The section's HTML and the page number it shows."""
    if request.user.is_authenticated:
        context = section_context(request, thread)
        return render_to_string(TEMPLATE, context, request), context["page"].page_obj.number
    sort = clean_sort(request.GET.get("sort"))
    version = thread_version(thread.pk)
    page = _resolved_page(thread, request.GET.get("page"), version)
    key = f"comments:section:{thread.pk}:{version}:{sort}:{page}:{request.path}"
    cached = cache.get(key)
    if cached is None:
        context = section_context(request, thread)
        cached = (
            render_to_string(TEMPLATE, context, request),
            context["page"].page_obj.number,
        )
        cache.set(key, cached, SECTION_TIMEOUT)
    return cached
