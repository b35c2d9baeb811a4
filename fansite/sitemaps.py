from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class StaticPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["home", "films:index", "news:index", "comments:index"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {"pages": StaticPagesSitemap}
