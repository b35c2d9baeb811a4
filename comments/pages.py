"""Loading plans for comment pages: a fixed number of queries whatever the thread's size.

A page holds top-level comments in the chosen order and, for them, every reply: one query for
the page of roots, one for every reply whose root is on the page, nested here in Python.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q

from comments.models import Comment, CommentSort, Reaction, Subscription, Thread


@dataclass
class CommentPage:
    thread: Thread
    sort: str
    page_obj: Page
    roots: list[Comment]
    liked_ids: set[int] = field(default_factory=set)
    following: bool = False


def clean_sort(value: str | None) -> str:
    return value if value in CommentSort.values else CommentSort.OLDEST


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


def _liked_ids(user, comment_ids) -> set[int]:
    if not user.is_authenticated or not comment_ids:
        return set()
    liked = Reaction.objects.filter(user=user, comment_id__in=comment_ids)
    return set(liked.values_list("comment_id", flat=True))


def comment_page(*, thread: Thread, user, sort: str | None, page_number) -> CommentPage:
    sort = clean_sort(sort)
    roots_query = Comment.objects.filter(thread=thread).roots().with_author().sorted_by(sort)
    page_obj = Paginator(roots_query, settings.COMMENTS_PER_PAGE).get_page(page_number)
    roots = list(page_obj.object_list)
    replies = list(
        Comment.objects.filter(root__in=[root.pk for root in roots])
        .with_author()
        .order_by("created_at", "pk")
    )
    everything = roots + replies
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
    return CommentPage(thread, sort, page_obj, roots, liked_ids, following)


def comment_subtree(*, comment: Comment, user) -> Comment:
    """One comment with all its replies nested, for answering an htmx request."""
    tree = list(
        Comment.objects.filter(Q(pk=comment.tree_root_id) | Q(root_id=comment.tree_root_id))
        .select_related("author", "thread")
        .order_by("created_at", "pk")
    )
    by_id = nest(tree, _liked_ids(user, [c.pk for c in tree]))
    return by_id[comment.pk]


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
