"""Search on SQLite: FTS5 tables (films/, news/ and comments/migrations, kept in step by
triggers) ranked by bm25, and names compared in Python with pg_trgm's word similarity.

The FTS5 tables use the porter stemmer and fold accents, as PostgreSQL's english_unaccent
configuration stems and folds; each table's columns carry the weights PostgreSQL gives them.
"""

from django.db import connection
from django.db.models import QuerySet

from fansite.search.kinds import NameMatch, names_sql
from fansite.search.names import (
    MIN_WORD_LENGTH,
    SUGGEST_SIMILARITY,
    most_similar,
    query_trigrams,
    word_similarity,
)

# bm25 weight of each FTS5 column, as PostgreSQL's weights A, B, C (1.0, 0.4, 0.2) in ratio.
COLUMN_WEIGHTS = {
    "films": (10, 4, 4, 2, 2),  # title, credited_names, tagline, synopsis, based_on
    "people": (10, 2),  # name, bio
    "characters": (10, 2),  # name, description
    "posts": (10, 4, 2),  # title, standfirst, body
    "threads": (1,),  # title
    "comments": (1,),  # body
}


def _match_expression(terms: tuple[str, ...]) -> str:
    """Each term as an FTS5 string (terms are letters and digits: nothing to escape), which
    FTS5 requires all of."""
    return " ".join(f'"{term}"' for term in terms)


def _matches(kind: str, queryset: QuerySet, terms: tuple[str, ...]) -> QuerySet:
    """The rows containing every term, each with its `rank`."""
    table = queryset.model._meta.db_table
    fts = f"{table}_fts"
    weights = ", ".join(str(weight) for weight in COLUMN_WEIGHTS[kind])
    return queryset.extra(  # noqa: S610 (no user text in the SQL: the terms are a parameter)
        # bm25 is lower for better matches; negated, a higher rank is better, as on PostgreSQL.
        select={"rank": f"-bm25({fts}, {weights})"},
        tables=[fts],
        where=[f"{fts}.rowid = {table}.id", f"{fts} MATCH %s"],
        params=[_match_expression(terms)],
    )


def full_text(kind: str, queryset: QuerySet, terms: tuple[str, ...]) -> QuerySet:
    """The rows containing every term, most relevant first, each with its `rank`."""
    return _matches(kind, queryset, terms).order_by("-rank", "pk")


def newest_matches(queryset: QuerySet, terms: tuple[str, ...], limit: int) -> QuerySet:
    """The `limit` newest comments (by id: ids follow posting order) containing every term,
    newest first, each with its `rank`. Ordered by the full-text table's rowid (the comment's
    id), FTS5 reads the matches from the newest and stops after `limit`: bm25 is computed for
    those alone, not for the ten thousand comments common words match."""
    newest_first = ["-comments_comment_fts.rowid"]
    return _matches("comments", queryset, terms).extra(order_by=newest_first)[:limit]  # noqa: S610


def similar_names(words: tuple[str, ...], limit: int) -> list[NameMatch]:
    """The film titles and names of people and characters closest to the words typed
    (`similarity` to all of them, `closeness` to all or any one): every name is read (they are
    few, in one query) and compared here, as PostgreSQL's query compares them. Each name's
    trigrams are worked out once per worker (fansite.search.names), and a name that cannot come
    close enough is passed over without the full comparison."""
    whole = query_trigrams(" ".join(words))
    typed = [word for word in words if len(word) >= MIN_WORD_LENGTH] if len(words) > 1 else []
    each = [query_trigrams(word) for word in typed]
    sql, params = names_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    matches = []
    for kind, pk, name in rows:
        if max(most_similar(wanted, name) for wanted in [whole, *each]) < SUGGEST_SIMILARITY:
            continue
        similarity = word_similarity(whole, name)
        closeness = max([similarity, *(word_similarity(wanted, name) for wanted in each)])
        if closeness >= SUGGEST_SIMILARITY:
            matches.append(NameMatch(kind, pk, name, similarity, closeness))
    matches.sort(key=lambda match: (-match.closeness, match.name))
    return matches[:limit]
