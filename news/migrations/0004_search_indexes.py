"""Search (fansite.search) of posts: their title, standfirst and body. On PostgreSQL a GIN
index on the very expression fansite.search.postgres builds; on SQLite an FTS5 table."""

from django.db import migrations

from fansite.search_operations import CreateSQLiteSearchTable, RunSQLOnPostgres, Watch


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0003_editors_group"),
        ("films", "0004_search_config_and_full_text_tables"),
    ]

    operations = [
        RunSQLOnPostgres(
            sql=[
                "CREATE INDEX news_post_search_idx ON news_post USING gin (("
                "setweight(to_tsvector('english_unaccent'::regconfig, COALESCE(title, '')), 'A')"
                " || setweight(to_tsvector('english_unaccent'::regconfig, COALESCE(standfirst, '')), 'B')"
                " || setweight(to_tsvector('english_unaccent'::regconfig, COALESCE(body, '')), 'C')"
                "))"
            ],
            reverse_sql=["DROP INDEX news_post_search_idx"],
        ),
        CreateSQLiteSearchTable(
            name="news_post_fts",
            source="news_post",
            columns=["title", "standfirst", "body"],
            select="SELECT id, title, standfirst, body FROM news_post WHERE {where}",
            watch=[Watch("news_post", columns=("title", "standfirst", "body"))],
        ),
    ]
