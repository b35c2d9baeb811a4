from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from comments.sitemaps import ThreadSitemap
from films.sitemaps import CharacterSitemap, FilmSitemap, PersonSitemap
from news.sitemaps import PostSitemap


class StaticPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["home", "films:index", "news:index", "comments:index"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "films": FilmSitemap,
    "people": PersonSitemap,
    "characters": CharacterSitemap,
    "news": PostSitemap,
    "discussions": ThreadSitemap,
}
