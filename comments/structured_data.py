"""schema.org DiscussionForumPosting for a thread page, rendered by the `json_ld` filter."""

from django.conf import settings
from django.utils.html import strip_tags

from comments.models import Comment, Thread


def thread_json_ld(thread: Thread, first: Comment | None) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "DiscussionForumPosting",
        "headline": thread.title,
        "url": f"{settings.SITE_URL}{thread.get_absolute_url()}",
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
            "url": f"{settings.SITE_URL}{thread.starter.get_absolute_url()}",
        }
    if first is not None and first.is_visible:
        data["text"] = strip_tags(first.body_html).strip()[:1000]
    subject = thread.subject
    if subject is not None:
        data["about"] = {
            "name": str(subject),
            "url": settings.SITE_URL + subject.get_absolute_url(),
        }
    return data
