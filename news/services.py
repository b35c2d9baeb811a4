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
    pending = posts.exclude(status=PostStatus.PUBLISHED, published_at__lte=now)
    return pending.update(status=PostStatus.PUBLISHED, published_at=now, updated_at=now)


@transaction.atomic
def post_unpublish(*, posts: models.QuerySet[Post]) -> int:
    """Take posts back to draft. Their date stays, so publishing again can keep it.

    Returns how many posts changed.
    """
    return posts.filter(status=PostStatus.PUBLISHED).update(
        status=PostStatus.DRAFT, updated_at=timezone.now()
    )


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
    post.render_body()
    Post.objects.filter(pk=post.pk).update(body_html=post.body_html)
