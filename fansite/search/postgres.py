"""Search on PostgreSQL: full-text search with the english_unaccent configuration, and
pg_trgm's word similarity for names.

People, characters, posts and threads are matched on the same expressions as their GIN
indexes (films/migrations/0005, news/migrations/0004, comments/migrations/0008; a test reads the
query plans): change a vector here and the index must change with it. Comments, which are many,
keep their vector in a stored generated column, `search_vector` (comments/migrations/0010),
indexed with GIN: ranking reads it instead of parsing each comment again, and the newest matches
can be read newest first. Films are few and not indexed: a film's vector includes the names of
the people credited on it, a subquery no index can hold.

The vectors and queries are SQL written here, as SQLite's are (fansite.search.sqlite), and added
with `extra()`: built from Django's search expressions (SearchVector, SearchQuery, SearchRank)
the same SQL took 1-3 ms of Python per kind to compile, more than PostgreSQL took to run it.
"""

from django.db import connection
from django.db.models import QuerySet

from fansite.search.kinds import CREDITED_NAMES_SEPARATOR, NameMatch, names_sql
from fansite.search.names import MIN_WORD_LENGTH, SUGGEST_SIMILARITY

CONFIG = "english_unaccent"
# The column comments/migrations/0010 adds (the model does not declare it: SQLite has no
# tsvector), generated as to_tsvector(CONFIG, COALESCE(body, '')).
COMMENT_VECTOR_COLUMN = "search_vector"

# The names of everyone credited on the film, as fansite.search.kinds.credited_names() shows them.
CREDITED_NAMES = (
    f"(SELECT string_agg(films_person.name, '{CREDITED_NAMES_SEPARATOR}') FROM films_credit"
    " INNER JOIN films_person ON films_person.id = films_credit.person_id"
    " WHERE films_credit.film_id = films_film.id)"
)

# Each kind's columns (or SQL) and their weights (None: unweighted, as the thread and comment
# indexes are).
DOCUMENTS = {
    "films": [
        ("title", "A"),
        (CREDITED_NAMES, "B"),
        ("tagline", "B"),
        ("synopsis", "C"),
        ("based_on", "C"),
    ],
    "people": [("name", "A"), ("bio", "C")],
    "characters": [("name", "A"), ("description", "C")],
    "posts": [("title", "A"), ("standfirst", "B"), ("body", "C")],
    "threads": [("title", None)],
}


def vector(kind: str, table: str) -> str:
    """The SQL of a kind's text search vector, on the rows of `table`."""
    if kind == "comments":
        return f'"{table}"."{COMMENT_VECTOR_COLUMN}"'
    parts = []
    for column, weight in DOCUMENTS[kind]:
        text = column if column.startswith("(") else f'"{table}"."{column}"'
        part = f"to_tsvector('{CONFIG}'::regconfig, COALESCE({text}, ''))"
        parts.append(f"setweight({part}, '{weight}')" if weight else part)
    return " || ".join(parts)


def _query(terms: tuple[str, ...]) -> tuple[str, list[str]]:
    """Every term, each parsed as plain words (no syntax), all required: SQL and parameters."""
    sql = " && ".join(f"plainto_tsquery('{CONFIG}'::regconfig, %s)" for _term in terms)
    return f"({sql})", list(terms)


def _matches(kind: str, queryset: QuerySet, terms: tuple[str, ...]) -> QuerySet:
    """The rows containing every term, each with its `rank`."""
    document = vector(kind, queryset.model._meta.db_table)
    query, params = _query(terms)
    return queryset.extra(  # noqa: S610 (no user text in the SQL: the terms are parameters)
        select={"rank": f"ts_rank({document}, {query})"},
        select_params=params,
        where=[f"({document}) @@ {query}"],
        params=params,
    )


def full_text(kind: str, queryset: QuerySet, terms: tuple[str, ...]) -> QuerySet:
    """The rows containing every term, most relevant first, each with its `rank`. Films come
    annotated with their `credited_names` (fansite.search.kinds)."""
    return _matches(kind, queryset, terms).order_by("-rank", "pk")


def newest_matches(queryset: QuerySet, terms: tuple[str, ...], limit: int) -> QuerySet:
    """The `limit` newest comments (by id: ids follow posting order) containing every term,
    newest first, each with its `rank`. Common words match comments by the ten thousand; read
    newest first along the primary key, the first `limit` come without reading the rest (a rare
    word is read through the GIN index instead: the planner knows the words' frequencies)."""
    return _matches("comments", queryset, terms).order_by("-pk")[:limit]


def similar_names(words: tuple[str, ...], limit: int) -> list[NameMatch]:
    """The film titles and names of people and characters closest to the words typed, in one
    query: `similarity` to all the words, `closeness` to all or any one of them."""
    whole = " ".join(words)
    each = [word for word in words if len(word) >= MIN_WORD_LENGTH] if len(words) > 1 else []
    similarity = "word_similarity(%s, unaccent(label))"
    closeness = f"GREATEST({', '.join([similarity] * (1 + len(each)))})" if each else similarity
    names, names_params = names_sql()
    sql = (
        f"SELECT * FROM (SELECT kind, ident, label, {similarity} AS similarity,"
        f" {closeness} AS closeness FROM ({names}) names) scored"
        " WHERE closeness >= %s ORDER BY closeness DESC, label LIMIT %s"
    )
    params = [whole, whole, *each, *names_params, SUGGEST_SIMILARITY, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [NameMatch(*row) for row in cursor.fetchall()]
