"""A batch of read-model writes, read back before they are written.

Read models apply events to rows by primary key through a ``Batch``: ``get`` sees
every write made earlier in the batch, by any model, and the writes go to the
database at the end of the batch as one ``executemany`` per table and kind. A
statement per event is what made replaying a long log slow (see
docs/BENCHMARKS.md); a statement per table per batch is what makes it fast.

Rows the runner has read or written stay in a ``RowCache`` between batches: they
are valid as long as this runner is the only one writing (the runner checks that
the stored position is the one it left). After a rebuild the cache starts out
*complete*: the tables were empty, so a key the cache does not know has no row,
and nothing is read from the database at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Delete,
    Insert,
    Result,
    Select,
    Table,
    and_,
    bindparam,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite

Key = tuple[Any, ...]
Row = dict[str, Any]

# More rows than this and the cache starts over (incomplete): a memory bound.
MAX_CACHED_ROWS = 2_000_000


class RowCache:
    """Committed read-model rows by table and primary key, kept between batches."""

    def __init__(self, max_rows: int = MAX_CACHED_ROWS) -> None:
        self.max_rows = max_rows
        # The log position the cached rows reflect; None when nothing is known.
        self.position: int | None = None
        # True when every row of every table is here: an unknown key has no row.
        self.complete = False
        self.tables: dict[Table, dict[Key, Row | None]] = {}
        self._size = 0

    def start_empty(self, position: int) -> None:
        """Say the tables are empty at ``position``: the cache knows every row."""
        self.forget()
        self.position = position
        self.complete = True

    def forget(self) -> None:
        """Drop everything (another writer moved the tables, or a batch failed)."""
        self.tables = {}
        self._size = 0
        self.position = None
        self.complete = False

    def known(self, table: Table) -> dict[Key, Row | None]:
        """Return the cached rows of ``table`` (None marks a key known to be absent)."""
        rows = self.tables.get(table)
        if rows is None:
            rows = self.tables[table] = {}
        return rows

    def remember(self, table: Table, key: Key, row: Row | None) -> None:
        """Cache a row read from the database."""
        rows = self.known(table)
        if key not in rows:
            self._size += 1
        rows[key] = row

    def commit(
        self, written: Mapping[Table, Mapping[Key, Row | None]], at: int
    ) -> None:
        """Take in a committed batch's writes; start over past the memory bound."""
        for table, rows in written.items():
            known = self.known(table)
            before = len(known)
            known.update(rows)
            self._size += len(known) - before
        self.position = at
        if self._size > self.max_rows:
            self.forget()


class Batch:
    """One transaction's read-model writes, by primary key, written in bulk."""

    def __init__(self, conn: Connection, cache: RowCache | None = None) -> None:
        self.conn = conn
        self.cache = cache if cache is not None else RowCache()
        # The log position of the event being applied (for rows keyed by it).
        self.position = 0
        # Every row written in this batch (None: deleted), flushed or not.
        self._written: dict[Table, dict[Key, Row | None]] = {}
        # Keys written since the last flush, per table, in first-write order.
        self._dirty: dict[Table, dict[Key, None]] = {}
        self._appended: dict[Table, list[Row]] = {}

    def get(self, table: Table, *key: Any) -> Mapping[str, Any] | None:
        """Return the row with this primary key, as this batch has left it."""
        written = self._written.get(table)
        if written is not None and key in written:
            return written[key]
        known = self.cache.known(table)
        if key in known:
            return known[key]
        if self.cache.complete:
            return None
        load = _statements(table, self.conn.dialect.name).load
        found = self.conn.execute(load, _key_params(table, key)).first()
        row = dict(found._mapping) if found is not None else None
        self.cache.remember(table, key, row)
        return row

    def save(self, table: Table, row: Row) -> None:
        """Insert or replace the row with ``row``'s primary key (give every column)."""
        self._write(table, tuple(row[name] for name in _key_names(table)), row)

    def update(self, table: Table, *key: Any, **values: Any) -> bool:
        """Change some columns of an existing row; False if there is no such row."""
        row = self.get(table, *key)
        if row is None:
            return False
        self._write(table, key, {**row, **values})
        return True

    def delete(self, table: Table, *key: Any) -> None:
        """Delete the row with this primary key, if there is one."""
        self._write(table, key, None)

    def append(self, table: Table, row: Row) -> None:
        """Insert a row that no model reads back by key (a log, a ledger)."""
        rows = self._appended.get(table)
        if rows is None:
            rows = self._appended[table] = []
        rows.append(row)

    def select(self, query: Select[Any]) -> Result[Any]:
        """Run a query the keys cannot answer, after writing what is pending."""
        self.flush()
        return self.conn.execute(query)

    def flush(self) -> None:
        """Write the pending rows: deletes, then upserts, then appends, per table."""
        dialect = self.conn.dialect.name
        for table, keys in self._dirty.items():
            statements = _statements(table, dialect)
            written = self._written[table]
            gone = [_key_params(table, key) for key in keys if written[key] is None]
            rows = [row for key in keys if (row := written[key]) is not None]
            if gone:
                self.conn.execute(statements.delete, gone)
            if rows:
                self.conn.execute(statements.upsert, rows)
        self._dirty = {}
        for table, appended in self._appended.items():
            self.conn.execute(_statements(table, dialect).insert, appended)
        self._appended = {}

    def keep(self, position: int) -> None:
        """Let the cache keep this batch's rows, now committed at ``position``."""
        self.cache.commit(self._written, position)
        self._written = {}

    def _write(self, table: Table, key: Key, row: Row | None) -> None:
        written = self._written.get(table)
        if written is None:
            written = self._written[table] = {}
            self._dirty[table] = {}
        elif table not in self._dirty:
            self._dirty[table] = {}
        written[key] = row
        self._dirty[table][key] = None


_key_names_of: dict[Table, tuple[str, ...]] = {}


def _key_names(table: Table) -> tuple[str, ...]:
    names = _key_names_of.get(table)
    if names is None:
        names = _key_names_of[table] = tuple(c.name for c in table.primary_key)
    return names


def _key_params(table: Table, key: Key) -> dict[str, Any]:
    columns = table.primary_key
    return {f"key_{c.name}": value for c, value in zip(columns, key, strict=True)}


def _key_clause(table: Table) -> ColumnElement[bool]:
    return and_(*(c == bindparam(f"key_{c.name}") for c in table.primary_key))


@dataclass(frozen=True)
class _Statements:
    load: Select[Any]
    delete: Delete
    insert: Insert
    upsert: Insert


# Built once per table: building a statement costs far more than running it.
_built: dict[tuple[Table, str], _Statements] = {}


def _statements(table: Table, dialect: str) -> _Statements:
    found = _built.get((table, dialect))
    if found is None:
        found = _built[(table, dialect)] = _Statements(
            load=select(table).where(_key_clause(table)),
            delete=table.delete().where(_key_clause(table)),
            insert=table.insert(),
            upsert=_upsert(table, dialect),
        )
    return found


def _upsert(table: Table, dialect: str) -> Insert:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table)
    keys = [c.name for c in table.primary_key]
    rest = {c.name: statement.excluded[c.name] for c in table.c if c.name not in keys}
    if not rest:
        return statement.on_conflict_do_nothing(index_elements=keys)
    return statement.on_conflict_do_update(index_elements=keys, set_=rest)
