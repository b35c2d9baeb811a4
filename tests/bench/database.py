"""The bench's own database, made afresh and removed at the end: a SQLite file in the run's
temporary directory, or, when DATABASE_URL is set, a PostgreSQL database named after that one
with `_bench` added. The database DATABASE_URL names is never touched."""

from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit


def bench_url(url: str) -> str:
    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/")) or "fansite"
    return urlunsplit(parts._replace(path=f"/{name}_bench"))


@contextmanager
def bench_database(database_url: str, tmp: Path):
    """Yields the environment variables that point the site at the bench's database."""
    if not database_url:
        yield {"SQLITE_PATH": str(tmp / "bench.sqlite3")}
        return
    import psycopg

    url = bench_url(database_url)
    name = unquote(urlsplit(url).path.lstrip("/"))
    server = urlunsplit(urlsplit(url)._replace(path="/postgres", query=""))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {"DATABASE_URL": url}
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
