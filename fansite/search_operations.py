"""Migration operations for search, each doing its work on one database vendor only.

The search indexes differ by database (fansite.search.postgres, fansite.search.sqlite): GIN
indexes and a text search configuration on PostgreSQL, FTS5 tables kept in step by triggers on
SQLite. None of it is in the models' state, so `makemigrations` never sees it.

Kept outside the fansite.search package so that migrations importing it load no models.

SQLite drops a table's triggers whenever a migration rebuilds the table (most ALTERs there are
"create a copy, move the rows, drop the old one"), so after every `migrate`
`restore_sqlite_search_triggers` puts back any trigger that went missing and refills that
full-text table.
"""

from dataclasses import dataclass

from django.db import connections, migrations
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.base import Operation


class RunSQLOnPostgres(migrations.RunSQL):
    """RunSQL that does nothing unless the database is PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return "Raw SQL operation on PostgreSQL only"


@dataclass(frozen=True)
class Watch:
    """Writes to `table` that change search rows: `ids` selects the source ids they change,
    with {row} standing for NEW or OLD. `columns`: only updates of these count (all if empty)."""

    table: str
    ids: str = "{row}.id"
    columns: tuple[str, ...] = ()
    events: tuple[str, ...] = ("INSERT", "UPDATE", "DELETE")


class CreateSQLiteSearchTable(Operation):
    """SQLite only: the FTS5 table `name` with a row per row of `source` (rowid = its id),
    filled from `select` (SQL returning the id and then each of `columns`, with a {where}
    placeholder) for the rows there are, and kept in step by triggers after every write that
    `watch` lists."""

    reversible = True
    reduces_to_sql = False
    # English stemming (as PostgreSQL's english configuration), accents folded.
    TOKENIZE = "porter unicode61 remove_diacritics 2"

    def __init__(self, name: str, source: str, columns: list[str], select: str, watch: list):
        self.name, self.source, self.columns = name, source, columns
        self.select, self.watch = select, watch

    def deconstruct(self):
        kwargs = {
            "name": self.name,
            "source": self.source,
            "columns": self.columns,
            "select": self.select,
            "watch": self.watch,
        }
        return self.__class__.__name__, [], kwargs

    def state_forwards(self, app_label, state) -> None:
        pass

    def describe(self) -> str:
        return f"Create the SQLite full-text table {self.name} (SQLite only)"

    @property
    def migration_name_fragment(self) -> str:
        return f"create_{self.name}"

    def _fill(self, where: str) -> str:
        columns = ", ".join(["rowid", *self.columns])
        return f"INSERT INTO {self.name}({columns}) {self.select.format(where=where)};"

    def _refresh(self, ids: str) -> str:
        return f"DELETE FROM {self.name} WHERE rowid IN ({ids}); " + self._fill(
            f"{self.source}.id IN ({ids})"
        )

    def _triggers(self) -> list[tuple[str, str]]:
        triggers = []
        for watch in self.watch:
            for event in watch.events:
                rows = {"INSERT": ["NEW"], "UPDATE": ["OLD", "NEW"], "DELETE": ["OLD"]}[event]
                body = " ".join(self._refresh(watch.ids.format(row=row)) for row in rows)
                of = (
                    f" OF {', '.join(watch.columns)}" if event == "UPDATE" and watch.columns else ""
                )
                name = f"{self.name}_{watch.table}_{event.lower()}"
                sql = f"CREATE TRIGGER {name} AFTER {event}{of} ON {watch.table} BEGIN {body} END"
                triggers.append((name, sql))
        return triggers

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor != "sqlite":
            return
        columns = ", ".join(self.columns)
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {self.name} USING fts5({columns}, tokenize='{self.TOKENIZE}')"
        )
        schema_editor.execute(self._fill("1 = 1"))
        for _name, sql in self._triggers():
            schema_editor.execute(sql)

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor != "sqlite":
            return
        for name, _sql in self._triggers():
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {self.name}")


def sqlite_search_tables(connection) -> list[CreateSQLiteSearchTable]:
    """The full-text tables the migrations create, read from the migrations themselves."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return [
        operation
        for migration in loader.disk_migrations.values()
        for operation in migration.operations
        if isinstance(operation, CreateSQLiteSearchTable)
    ]


def restore_sqlite_search_triggers(*, using: str = "default") -> list[str]:
    """Recreate the triggers of every existing full-text table that lost some, and refill
    those tables from their source rows. Returns the tables repaired."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {name for (name,) in cursor.fetchall()}
        repaired = []
        for table in sqlite_search_tables(connection):
            if table.name not in present:  # not migrated yet, or migrated back
                continue
            missing = [sql for name, sql in table._triggers() if name not in present]
            if not missing:
                continue
            for sql in missing:
                cursor.execute(sql)
            cursor.execute(f"DELETE FROM {table.name}")
            cursor.execute(table._fill("1 = 1"))
            repaired.append(table.name)
    return repaired


def restore_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """post_migrate receiver (connected for one app, so it runs once per migrate)."""
    restore_sqlite_search_triggers(using=using)
