from django.contrib.sitemaps import Sitemap

from comments.models import Thread


class ThreadSitemap(Sitemap):
    """Discussions with comments; a post's thread is part of the post's page, so it is left out."""

    changefreq = "daily"
    priority = 0.5
    limit = 5000

    def items(self):
        return Thread.objects.public().filter(post__isnull=True, comment_count__gt=0).order_by("pk")

    def lastmod(self, thread: Thread):
        return thread.last_activity_at
