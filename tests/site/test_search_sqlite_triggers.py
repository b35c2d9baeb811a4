"""SQLite's full-text tables stay in step after migrations that rebuild their source tables.

SQLite drops a table's triggers when a migration rebuilds it (news/0005 adding two fields to
posts did), which left new posts out of search; restore_sqlite_search_triggers runs after every
migrate and puts them back.
"""

import pytest
from django.db import connection

from fansite.search import search_everything
from fansite.search_operations import restore_sqlite_search_triggers, sqlite_search_tables
from tests.factories import make_post

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's full-text tables"),
]


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()}


def test_every_full_text_table_has_all_its_triggers_after_migrating():
    tables = sqlite_search_tables(connection)
    assert {table.name for table in tables} >= {
        "films_film_fts",
        "films_person_fts",
        "films_character_fts",
        "news_post_fts",
        "comments_thread_fts",
        "comments_comment_fts",
    }
    expected = {name for table in tables for name, _sql in table._triggers()}
    assert expected <= _triggers()


def test_a_lost_trigger_is_restored_and_its_table_refilled():
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER news_post_fts_news_post_insert")
    post = make_post(title="Zanzibar premiere announced")
    assert search_everything("zanzibar").found("posts") == []

    assert restore_sqlite_search_triggers() == ["news_post_fts"]

    assert "news_post_fts_news_post_insert" in _triggers()
    assert search_everything("zanzibar").found("posts") == [post]
    assert restore_sqlite_search_triggers() == []  # nothing left to repair
