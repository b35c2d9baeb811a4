"""Sitemaps of the films app; fansite/sitemaps.py adds them to /sitemap.xml."""

from django.contrib.sitemaps import Sitemap

from films.models import Character, Film, Person


class FilmSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Film.objects.order_by("pk")

    def lastmod(self, film: Film):
        return film.updated_at


class PersonSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Person.objects.order_by("pk")


class CharacterSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Character.objects.order_by("pk")
