"""What publishing does with a post's dates, said in one sentence.

The admin shows it beside the status and date fields (static/news/admin/publishing.js says the
same for the values being typed, before saving) and "Publish now" reports it for each post.
"""

import datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format

from news.models import Post, PostStatus


def day(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y")


def day_and_time(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def is_backdated(post: Post, *, now: datetime.datetime | None = None) -> bool:
    """Dated before the day it was written (or, unsaved, before today): it goes into the
    archive and the feeds under that earlier date."""
    if post.published_at is None:
        return False
    today = timezone.localdate(post.created_at or now or timezone.now())
    return timezone.localdate(post.published_at) < today


def backdated_clause(published_at: datetime.datetime) -> str:
    month = date_format(timezone.localtime(published_at), "F Y")
    return f"backdated: it goes into the archive for {month} and the feeds under that date"


def publication_state(post: Post) -> str:
    """The saved state: "Published as of 9 February 2024, backdated: ...", "Scheduled: appears
    on ...", "Draft: only editors see it"."""
    if post.status == PostStatus.DRAFT:
        if post.published_at is None:
            return "Draft: only editors see it. Publishing it now dates it today."
        keeps = day(post.published_at)
        return f"Draft: only editors see it. Publishing it keeps its date, {keeps}."
    if post.is_scheduled:
        return f"Scheduled: appears on {day_and_time(post.published_at)}."
    sentence = f"Published as of {day(post.published_at)}"
    if is_backdated(post):
        sentence += f", {backdated_clause(post.published_at)}"
    return sentence + "."


def publish_now_outcome(post: Post) -> str:
    """What "Publish now" did to the post, for the action's message."""
    if post.is_scheduled:
        return f"“{post}” is scheduled: it appears on {day_and_time(post.published_at)}"
    sentence = f"“{post}” published as of {day(post.published_at)}"
    if is_backdated(post):
        sentence += " (backdated)"
    return sentence
