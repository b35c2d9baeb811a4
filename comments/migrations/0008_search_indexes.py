"""Search (fansite.search) of discussions: thread titles and comment text. On PostgreSQL GIN
indexes on the very expressions fansite.search.postgres builds (built concurrently: the
comments table is large and written to all the time); on SQLite FTS5 tables."""

from django.db import migrations

from fansite.search_operations import CreateSQLiteSearchTable, RunSQLOnPostgres, Watch


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction.

    dependencies = [
        ("comments", "0007_follows_spoilers_notifications"),
        ("films", "0004_search_config_and_full_text_tables"),
    ]

    operations = [
        RunSQLOnPostgres(
            sql=[
                "CREATE INDEX CONCURRENTLY comments_thread_search_idx ON comments_thread"
                " USING gin ((to_tsvector('english_unaccent'::regconfig, COALESCE(title, ''))))",
                "CREATE INDEX CONCURRENTLY comments_comment_search_idx ON comments_comment"
                " USING gin ((to_tsvector('english_unaccent'::regconfig, COALESCE(body, ''))))",
            ],
            reverse_sql=[
                "DROP INDEX CONCURRENTLY comments_thread_search_idx",
                "DROP INDEX CONCURRENTLY comments_comment_search_idx",
            ],
        ),
        CreateSQLiteSearchTable(
            name="comments_thread_fts",
            source="comments_thread",
            columns=["title"],
            select="SELECT id, title FROM comments_thread WHERE {where}",
            watch=[Watch("comments_thread", columns=("title",))],
        ),
        CreateSQLiteSearchTable(
            name="comments_comment_fts",
            source="comments_comment",
            columns=["body"],
            select="SELECT id, body FROM comments_comment WHERE {where}",
            watch=[Watch("comments_comment", columns=("body",))],
        ),
    ]
