"""Writes to news posts that touch several rows or their relations."""

from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from films.models import Character, Film, Person
from news.models import Post, PostStatus


@transaction.atomic
def post_publish_now(*, posts: models.QuerySet[Post]) -> int:
    """Publish drafts and scheduled posts as of now; posts already out keep their date.

    Returns how many posts changed.
    """
    now = timezone.now()
    pending = list(posts.exclude(status=PostStatus.PUBLISHED, published_at__lte=now))
    for post in pending:
        post.status, post.published_at = PostStatus.PUBLISHED, now
        # save(), not update(): the anonymous page cache retires on post_save.
        post.save(update_fields=["status", "published_at", "updated_at"])
    return len(pending)


@transaction.atomic
def post_unpublish(*, posts: models.QuerySet[Post]) -> int:
    """Take posts back to draft. Their date stays, so publishing again can keep it.

    Returns how many posts changed.
    """
    published = list(posts.filter(status=PostStatus.PUBLISHED))
    for post in published:
        post.status = PostStatus.DRAFT
        post.save(update_fields=["status", "updated_at"])  # post_save retires cached pages
    return len(published)


@transaction.atomic
def post_relate(*, post: Post, entities: Iterable[models.Model]) -> None:
    """Relate films, people and characters to the post, then re-link its body to them."""
    for entity in entities:
        match entity:
            case Film():
                post.films.add(entity)
            case Person():
                post.people.add(entity)
            case Character():
                post.characters.add(entity)
            case _:
                raise TypeError(f"A post cannot be related to {entity!r}.")
    post_refresh_links(post=post)


def post_refresh_links(*, post: Post) -> None:
    """Render the body again after its related films or people changed."""
    post.save(update_fields=["body_html"])  # save() renders the body
