"""schema.org DiscussionForumPosting for a thread page, as JSON safe inside a <script>."""

import json

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from comments.models import Comment, Thread

# json.dumps leaves <, > and & alone; inside a <script> element "</script>" would end it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def thread_json_ld(thread: Thread, first: Comment | None) -> SafeString:
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
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))  # noqa: S308
