"""Search on PostgreSQL: full-text search with the english_unaccent configuration, and
pg_trgm's word similarity for names.

Posts, threads and comments are matched on the same expressions as their GIN indexes
(news/migrations/0004, comments/migrations/0008; a test reads the query plans): change a vector
here and the index must change with it. Films, people and characters are few and are not
indexed; a film's vector includes the names of the people credited on it.
"""

from functools import reduce
from operator import and_

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db.models import F, Func, QuerySet, TextField
from django.db.models.functions import Greatest

from fansite.search.kinds import NameMatch, name_querysets
from fansite.search.names import MIN_WORD_LENGTH, SUGGEST_SIMILARITY

CONFIG = "english_unaccent"
# Comments matching a search that are ranked by relevance: the newest ones (see full_text).
RANKED_COMMENTS = 500


def _vector(*fields: tuple[str, str | None]) -> SearchVector:
    vectors = [SearchVector(name, weight=weight, config=CONFIG) for name, weight in fields]
    return reduce(lambda left, right: left + right, vectors)


def vector(kind: str) -> SearchVector:
    return {
        "films": lambda: _vector(
            ("title", "A"),
            ("credited_names", "B"),
            ("tagline", "B"),
            ("synopsis", "C"),
            ("based_on", "C"),
        ),
        "people": lambda: _vector(("name", "A"), ("bio", "C")),
        "characters": lambda: _vector(("name", "A"), ("description", "C")),
        "posts": lambda: _vector(("title", "A"), ("standfirst", "B"), ("body", "C")),
        "threads": lambda: _vector(("title", None)),
        "comments": lambda: _vector(("body", None)),
    }[kind]()


def _query(terms: tuple[str, ...]) -> SearchQuery:
    """Every term, each parsed as plain words (no syntax), all required."""
    return reduce(and_, [SearchQuery(term, config=CONFIG, search_type="plain") for term in terms])


def full_text(kind: str, queryset: QuerySet, terms: tuple[str, ...]) -> QuerySet:
    """The rows containing every term, most relevant first, each with its `rank`. Films come
    annotated with their `credited_names` (fansite.search.kinds).

    Ranking recomputes each match's vector (the index holds none), so comments, which common
    words match by the ten thousand, are ranked among the RANKED_COMMENTS newest matches."""
    document, query = vector(kind), _query(terms)
    matches = queryset.annotate(search=document).filter(search=query)
    if kind == "comments":
        newest = matches.order_by("-created_at", "-pk").values("pk")[:RANKED_COMMENTS]
        matches = queryset.filter(pk__in=newest)
    return matches.annotate(rank=SearchRank(document, query)).order_by("-rank", "pk")


def _similarity(text: str) -> TrigramWordSimilarity:
    return TrigramWordSimilarity(
        text, Func(F("label"), function="unaccent", output_field=TextField())
    )


def similar_names(words: tuple[str, ...], limit: int) -> list[NameMatch]:
    """The film titles and names of people and characters closest to the words typed, in one
    query: `similarity` to all the words, `closeness` to all or any one of them."""
    whole = _similarity(" ".join(words))
    each = [_similarity(word) for word in words if len(word) >= MIN_WORD_LENGTH]
    closeness = Greatest(whole, *each) if len(words) > 1 and each else whole
    querysets = [
        queryset.annotate(similarity=whole, closeness=closeness)
        .filter(closeness__gte=SUGGEST_SIMILARITY)
        .values_list("kind", "ident", "label", "similarity", "closeness")
        for queryset in name_querysets()
    ]
    first, *others = querysets
    rows = first.union(*others, all=True).order_by("-closeness", "label")[:limit]
    return [NameMatch(*row) for row in rows]
