"""Site search across films, people, characters, news and discussions.

On PostgreSQL it uses full-text search ranked by relevance; on SQLite, a case-insensitive
substring match is the simple fallback.
"""

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import QuerySet

from comments.models import Thread
from films.models import Character, Film, Person
from news.models import Post

MAX_RESULTS_PER_KIND = 10
MIN_QUERY_LENGTH = 2


@dataclass
class SearchResults:
    query: str
    films: list = field(default_factory=list)
    people: list = field(default_factory=list)
    characters: list = field(default_factory=list)
    posts: list = field(default_factory=list)
    threads: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(
            len(group)
            for group in (self.films, self.people, self.characters, self.posts, self.threads)
        )


def _match(queryset: QuerySet, query: str, fields: list[str]) -> list:
    if connection.vendor == "postgresql":
        vector = SearchVector(*fields, config="english")
        search_query = SearchQuery(query, config="english", search_type="websearch")
        matches = (
            queryset.annotate(search=vector, rank=SearchRank(vector, search_query))
            .filter(search=search_query)
            .order_by("-rank")
        )
    else:
        condition = None
        for name in fields:
            term = {f"{name}__icontains": query}
            condition = (
                queryset.filter(**term)
                if condition is None
                else condition | queryset.filter(**term)
            )
        matches = condition
    return list(matches[:MAX_RESULTS_PER_KIND])


def search_everything(query: str) -> SearchResults:
    query = query.strip()
    results = SearchResults(query=query)
    if len(query) < MIN_QUERY_LENGTH:
        return results
    results.films = _match(Film.objects.all(), query, ["title", "tagline", "synopsis", "based_on"])
    results.people = _match(Person.objects.all(), query, ["name", "bio"])
    results.characters = _match(Character.objects.all(), query, ["name", "description"])
    results.posts = _match(Post.objects.published(), query, ["title", "standfirst", "body"])
    results.threads = _match(Thread.objects.public(), query, ["title"])
    return results
