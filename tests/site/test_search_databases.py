"""How each database does search: PostgreSQL's GIN indexes are the ones the queries use, its
pg_trgm and our Python port of it agree, and SQLite's FTS5 tables follow every write."""

import pytest
from django.db import connection

from fansite.search import postgres, search_everything
from fansite.search.kinds import searchable
from fansite.search.names import most_similar, query_trigrams, word_similarity
from news.models import Post
from tests.factories import make_character, make_comment, make_person, make_post, make_thread

pytestmark = pytest.mark.django_db

NAME_PAIRS = [
    ("sorvio", "Mira Sorvino"),
    ("kudro", "Lisa Kudrow"),
    ("garafalo", "Janeane Garofalo"),
    ("kudrow sorvino", "Lisa Kudrow"),
    ("kudrow sorvino", "Mira Sorvino"),
    ("sorvnio", "Mira Sorvino"),
    ("romy", "Romy and Michele's High School Reunion"),
    ("michele weinberger", "Michele Weinberger"),
    ("heather", "Heather Mooney"),
    ("alan cummings", "Alan Cumming"),
    ("o'brien", "Conan O'Brien"),
    ("aa", "Banana Bandana"),
    ("abcabc", "abc abc abcabc"),
]


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (run with DATABASE_URL set)")


@pytest.fixture
def on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")


def plan(queryset) -> str:
    """EXPLAIN of the queryset's own SQL, with sequential and plain index scans discouraged: the
    few rows of a test table would otherwise be read in full, or along any index, whatever the
    full-text indexes."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("kind", "queryset", "index"),
    [
        ("people", lambda: searchable("people"), "films_person_search_idx"),
        ("characters", lambda: searchable("characters"), "films_character_search_idx"),
        ("posts", lambda: Post.objects.all(), "news_post_search_idx"),
        ("threads", lambda: searchable("threads"), "comments_thread_search_idx"),
        ("comments", lambda: searchable("comments"), "comments_comment_search_vector_idx"),
    ],
)
def test_full_text_queries_use_their_gin_index(on_postgres, kind, queryset, index):
    """The index expressions (films/0005, news/0004, comments/0008) are the ones
    fansite.search.postgres builds, and comments are matched on their indexed column
    (comments/0010): if they drift apart, PostgreSQL reads every row and this fails."""
    make_person(name="Romy returns")
    make_character(name="Romy returns")
    make_post(title="Romy returns")
    make_comment(body="Romy returns", thread=make_thread(title="Romy returns"))
    found = postgres.full_text(kind, queryset(), ("romy", "return"))[:10]
    assert f"Bitmap Index Scan on {index}" in plan(found)


def test_the_search_configuration_folds_accents_and_stems(on_postgres):
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('english_unaccent', 'Garófalo''s Sequels')::text")
        assert cursor.fetchone()[0] == "'garofalo':1 'sequel':3"


@pytest.mark.parametrize(("typed", "name"), NAME_PAIRS)
def test_python_word_similarity_is_pg_trgms(on_postgres, typed, name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT word_similarity(%s, %s)", [typed, name])
        expected = cursor.fetchone()[0]
    assert word_similarity(typed, name) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(
    ("typed", "name", "expected"),
    [("word", "two words", 0.8), ("sorvio", "Mira Sorvino", 5 / 7), ("", "Mira Sorvino", 0.0)],
)
def test_word_similarity_is_shared_trigrams_over_the_best_extent(typed, name, expected):
    assert word_similarity(typed, name) == pytest.approx(expected)


@pytest.mark.parametrize(("typed", "name"), NAME_PAIRS)
def test_most_similar_is_never_below_word_similarity(typed, name):
    """Names are passed over on this bound (fansite.search.sqlite.similar_names): it must never
    leave out a name that is close enough."""
    assert most_similar(query_trigrams(typed), name) >= word_similarity(typed, name)


def test_a_comments_stored_vector_is_its_text_in_the_search_configuration(on_postgres):
    comment = make_comment(body="Garófalo's Sequels")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM comments_comment WHERE id = %s", [comment.pk]
        )
        assert cursor.fetchone()[0] == "'garofalo':1 'sequel':3"


def test_full_text_tables_exist_only_on_sqlite(on_sqlite):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE '%\\_fts' ESCAPE '\\'")
        tables = {row[0] for row in cursor.fetchall()}
    assert tables == {
        "films_film_fts",
        "films_person_fts",
        "films_character_fts",
        "news_post_fts",
        "comments_thread_fts",
        "comments_comment_fts",
    }


def test_an_edited_comment_is_found_by_its_new_text():
    comment = make_comment(body="First draft")
    comment.body = "Second thoughts"
    comment.save(update_fields=["body"])
    assert search_everything("second thoughts").found("discussions") == [comment]
    assert search_everything("first draft").found("discussions") == []


def test_comment_writes_that_leave_the_text_alone_leave_the_index_alone(on_sqlite):
    """The update trigger fires on the body only: a like or a status change (many) costs no
    full-text write."""
    comment = make_comment(body="Steady words")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name LIKE 'comments_comment_fts_%'")
        triggers = [row[0] for row in cursor.fetchall()]
    assert any("AFTER UPDATE OF body ON comments_comment" in sql for sql in triggers)
    type(comment).objects.filter(pk=comment.pk).update(like_count=3)
    assert search_everything("steady words").found("discussions") == [comment]
