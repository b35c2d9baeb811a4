"""Writes to news posts that touch several rows or their relations."""

from collections.abc import Iterable

import reversion
from django.db import models, transaction
from django.utils import timezone

from films.models import Character, Film, Person
from news.models import Post, PostStatus


@transaction.atomic
def post_publish_now(*, posts: models.QuerySet[Post], user=None) -> list[Post]:
    """Publish the drafts among `posts`, keeping the publication date an editor set: a past
    date publishes the post as of then (backdated, into that month's archive), a future one
    schedules it, and only a post with no date is dated now. Posts published or scheduled
    already keep theirs. Each save keeps a revision, by `user` when given.

    Returns the posts it published or scheduled.
    """
    now = timezone.now()
    drafts = list(posts.filter(status=PostStatus.DRAFT))
    with reversion.create_revision():
        _revision_by(user, "Published with “Publish now”.")
        for post in drafts:
            post.status = PostStatus.PUBLISHED
            post.published_at = post.published_at or now
            # save(), not update(): the anonymous page cache retires on post_save.
            post.save(update_fields=["status", "published_at", "updated_at"])
    return drafts


@transaction.atomic
def post_unpublish(*, posts: models.QuerySet[Post], user=None) -> int:
    """Take posts back to draft. Their date stays, so publishing again can keep it.

    Returns how many posts changed.
    """
    published = list(posts.filter(status=PostStatus.PUBLISHED))
    with reversion.create_revision():
        _revision_by(user, "Unpublished (back to draft).")
        for post in published:
            post.status = PostStatus.DRAFT
            post.save(update_fields=["status", "updated_at"])  # post_save retires cached pages
    return len(published)


def _revision_by(user, comment: str) -> None:
    """Name who made the revision being recorded and why. Inside the admin's own revision
    (an action, a change form) the admin has named the user already."""
    if user is not None:
        reversion.set_user(user)
    if not reversion.get_comment():
        reversion.set_comment(comment)


@transaction.atomic
@reversion.create_revision()
def post_relate(*, post: Post, entities: Iterable[models.Model]) -> None:
    """Relate films, people and characters to the post, then re-link its body to them (a
    revision records the new relations)."""
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
