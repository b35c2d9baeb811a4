from datetime import timedelta

import pytest
from django.utils import timezone

from news.sitemaps import PostSitemap
from tests.factories import make_post

pytestmark = pytest.mark.django_db


def test_sitemap_lists_only_published_posts():
    post = make_post()
    make_post(published=False)
    make_post(published_at=timezone.now() + timedelta(days=1))

    sitemap = PostSitemap()

    assert list(sitemap.items()) == [post]
    assert sitemap.location(post) == post.get_absolute_url()
    assert sitemap.lastmod(post) == post.published_at  # never updated since
