"""Discussions shown on other apps' pages. Films and news use these, so they never import comments.

- {% discussions_for subject %}: the threads about a film, person or character, with a
  "Start a discussion" link.
- {% comment_thread_for_post post %}: a news post's comments, under the article.
- {% unread_notification_count as n %}, {% active_discussions %}, {% profile_comments user %}:
  the header badge, the home page section and the profile list.
- {% open_report_count as n %}: for moderators, the open reports (None for everyone else).
- {% spoilers_hidden thread_or_comment as hidden %}, {% has_seen_film film as seen %}: spoilers
  scoped to a film (comments.spoilers).
"""

from django import template
from django.core.paginator import Paginator

from comments import moderation
from comments.caching import UNREAD_COUNT_SECONDS, pieces, unread_count_key
from comments.models import Comment, Notification, Thread
from comments.permissions import can_moderate
from comments.sections import comment_section, thread_of_post
from comments.spoilers import has_seen, hides

register = template.Library()

DISCUSSIONS_SHOWN = 5
HOME_DISCUSSIONS = 5
PROFILE_COMMENTS_PER_PAGE = 10


@register.inclusion_tag("comments/_discussions_for.html", takes_context=True)
def discussions_for(context, subject) -> dict:
    """Threads about a film, person or character: the most active first."""
    threads = (
        Thread.objects.public()
        .about(subject)
        .by_activity()
        .select_related("last_commenter", "spoilers_for")
    )
    threads = list(threads[: DISCUSSIONS_SHOWN + 1])
    return {
        "threads": threads[:DISCUSSIONS_SHOWN],
        "more": len(threads) > DISCUSSIONS_SHOWN,
        "subject": subject,
        "kind": subject._meta.model_name,
        "request": context.get("request"),
        "user": context.get("user"),
    }


@register.inclusion_tag("comments/_post_thread.html", takes_context=True)
def comment_thread_for_post(context, post) -> dict:
    """A post's one thread: a page of comments and the form. Showing it writes nothing: until
    someone comments or follows, the post has no thread and shows an empty one."""
    request = context["request"]
    thread = thread_of_post(post)
    section, _ = comment_section(request, thread)
    return {
        "comment_section": section,
        "thread": thread,
        "spoilers_hidden": hides(request, thread),
        "request": request,
        "user": context.get("user"),
    }


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """Kept a little while per member (comments.caching): the header shows it on every page."""
    user = context["request"].user
    if not user.is_authenticated:
        return 0
    key = unread_count_key(user.pk)
    count = pieces().get(key)
    if count is None:
        count = Notification.objects.for_recipient(user).unread().current().count()
        pieces().set(key, count, UNREAD_COUNT_SECONDS)
    return count


@register.simple_tag(takes_context=True)
def open_report_count(context) -> int | None:
    """The header's Moderation link: one COUNT, for moderators only."""
    request = context.get("request")
    if request is None or not can_moderate(request.user):
        return None
    return moderation.open_report_count()


@register.inclusion_tag("comments/_active_discussions.html", takes_context=True)
def active_discussions(context, limit: int = HOME_DISCUSSIONS) -> dict:
    """The home page's most recently active threads."""
    threads = Thread.objects.public().for_index().filter(comment_count__gt=0)
    threads = threads.select_related("spoilers_for")[:limit]
    return {"threads": threads, "request": context.get("request")}


@register.inclusion_tag("comments/_profile_comment_list.html", takes_context=True)
def profile_comments(context, shown_user) -> dict:
    request = context["request"]
    comments = Comment.objects.filter(author=shown_user).for_profile()
    comments = comments.select_related("spoilers_for", "thread__spoilers_for")
    page_obj = Paginator(comments, PROFILE_COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return {"page_obj": page_obj, "shown_user": shown_user, "request": request}


@register.simple_tag(takes_context=True)
def spoilers_hidden(context, item) -> bool:
    """Whether a thread's or comment's spoilers are kept from this reader."""
    return hides(context["request"], item)


@register.simple_tag(takes_context=True)
def has_seen_film(context, film) -> bool:
    return has_seen(context["request"], film)
