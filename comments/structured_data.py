"""schema.org DiscussionForumPosting for a thread page, rendered by the `json_ld` filter."""

from django.http import HttpRequest
from django.utils.html import strip_tags

from accounts.absolute_urls import absolute_url
from comments.models import Comment, Thread


def thread_json_ld(
    thread: Thread, first: Comment | None, *, request: HttpRequest | None = None
) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "DiscussionForumPosting",
        "headline": thread.title,
        "url": absolute_url(thread.get_absolute_url(), request),
        "datePublished": thread.created_at.isoformat(),
        "interactionStatistic": {
            "@type": "InteractionCounter",
            "interactionType": "https://schema.org/CommentAction",
            "userInteractionCount": thread.comment_count,
        },
    }
    if thread.starter:
        data["author"] = {
            "@type": "Person",
            "name": thread.starter.public_name,
            "url": absolute_url(thread.starter.get_absolute_url(), request),
        }
    if first is not None and first.is_visible:
        data["text"] = strip_tags(first.body_html).strip()[:1000]
    subject = thread.subject
    if subject is not None:
        data["about"] = {
            "name": str(subject),
            "url": absolute_url(subject.get_absolute_url(), request),
        }
    return data
