"""Migration operations for search, each doing its work on one database vendor only.

The search indexes differ by database (fansite.search.postgres, fansite.search.sqlite): GIN
indexes and a text search configuration on PostgreSQL, FTS5 tables kept in step by triggers on
SQLite. None of it is in the models' state, so `makemigrations` never sees it.
"""

from dataclasses import dataclass

from django.db import migrations
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
