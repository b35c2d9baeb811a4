from django.contrib.sitemaps import Sitemap

from news.models import Post


class PostSitemap(Sitemap):
    """Published posts; the lead adds it to fansite/sitemaps.py as "news"."""

    changefreq = "weekly"
    priority = 0.7
    limit = 5000

    def items(self):
        return (
            Post.objects.published()
            .newest_first()
            .only("slug", "published_at", "content_updated_at")
        )

    def lastmod(self, post: Post):
        return post.modified_at
