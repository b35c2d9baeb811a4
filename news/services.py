"""Writes to news posts that touch several rows or their relations."""

import re
from collections.abc import Iterable

import reversion
from django.core.exceptions import ValidationError
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


# A suggested link as Post.dismissed_suggestions names it (news.models.suggestion_key).
SUGGESTION_KEY = re.compile(r"(?:film|person|character):[1-9][0-9]{0,17}")
MAX_DISMISSED_SUGGESTIONS = 1_000


def is_suggestion_key(key: str) -> bool:
    return SUGGESTION_KEY.fullmatch(key) is not None


@transaction.atomic
def post_dismiss_suggestions(*, post: Post, keys: Iterable[str]) -> list[str]:
    """Stop suggesting these links ("person:12" keys) for the post, for good: the admin's
    suggestions and its message after each save leave them out. Returns all the post's
    dismissed keys.

    The row is locked while the list grows, so two dismissals at once both stay. No revision
    and no post_save: what readers see does not change.
    """
    keys = list(dict.fromkeys(keys))
    if bad := [key for key in keys if not is_suggestion_key(key)]:
        raise ValidationError(f"Not a suggested link: {', '.join(bad[:3])}.")
    stored = (
        Post.objects.select_for_update()
        .filter(pk=post.pk)
        .values_list("dismissed_suggestions", flat=True)
        .get()
    )
    dismissed = [*stored, *(key for key in keys if key not in stored)]
    if len(dismissed) > MAX_DISMISSED_SUGGESTIONS:
        raise ValidationError(
            f"A post keeps at most {MAX_DISMISSED_SUGGESTIONS} dismissed suggestions."
        )
    if len(dismissed) != len(stored):
        Post.objects.filter(pk=post.pk).update(dismissed_suggestions=dismissed)
    post.dismissed_suggestions = dismissed
    return dismissed
