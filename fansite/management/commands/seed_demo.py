"""Loads the demo content: the films, their people, the news and some discussion.

Idempotent: every row is looked up by its natural key first, so running it again changes nothing.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from comments.demo import seed_discussions
from films.demo import seed_films
from news.demo import seed_news


class Command(BaseCommand):
    help = "Load the demo content (films, people, news, discussions). Safe to run repeatedly."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            seed_films()
            seed_news()
            seed_discussions()
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
