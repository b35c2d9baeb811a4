"""Search (fansite.search.postgres) of comments on PostgreSQL: each comment's text search vector
kept in a stored generated column, `search_vector`, with a GIN index, in place of the GIN index
on the expression (0008). Ranking reads the vector instead of parsing every comment ranked
again, and the newest matches are read newest first along the primary key, each checked
against its stored vector. Not in the model: SQLite has no tsvector, and its FTS5 table (0008)
stays as it is.

Adding the column rewrites the table (a few seconds for 100,000 comments, during which writes
wait); the index is built concurrently. ANALYZE gives the planner the words' frequencies at
once, which tell it when to read the newest comments first (common words) and when to go
through the index (rare ones)."""

from django.db import migrations

from fansite.search_operations import RunSQLOnPostgres

VECTOR = "to_tsvector('english_unaccent'::regconfig, COALESCE(body, ''))"


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction.

    dependencies = [("comments", "0009_notification_emailed_at")]

    operations = [
        RunSQLOnPostgres(
            sql=[
                f"ALTER TABLE comments_comment ADD COLUMN search_vector tsvector"
                f" GENERATED ALWAYS AS ({VECTOR}) STORED",
                "CREATE INDEX CONCURRENTLY comments_comment_search_vector_idx"
                " ON comments_comment USING gin (search_vector)",
                "DROP INDEX CONCURRENTLY comments_comment_search_idx",
                "ANALYZE comments_comment",
            ],
            reverse_sql=[
                "CREATE INDEX CONCURRENTLY comments_comment_search_idx"
                f" ON comments_comment USING gin (({VECTOR}))",
                "DROP INDEX CONCURRENTLY comments_comment_search_vector_idx",
                "ALTER TABLE comments_comment DROP COLUMN search_vector",
                "ANALYZE comments_comment",
            ],
        ),
    ]
