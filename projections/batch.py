"""A batch of read-model writes, read back before they are written.

Read models apply events to rows by primary key through a ``Batch``: ``get`` sees
every write made earlier in the batch, by any model, and the writes go to the
database at the end of the batch as one ``executemany`` per table and kind. A
statement per event is what made replaying a long log slow (see
docs/BENCHMARKS.md); a statement per table per batch is what makes it fast.

Rows the runner has read or written stay in a ``RowCache`` between batches: they
are valid as long as this runner is the only one writing (the runner checks that
the stored position is the one it left) and the batch that wrote them committed
(the runner forgets them all when a batch fails). After a rebuild the cache starts out
*complete*: the tables were empty, so a key the cache does not know has no row,
and nothing is read from the database at all.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Dialect,
    Insert,
    Select,
    Table,
    and_,
    bindparam,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite

Key = tuple[Any, ...]
Row = dict[str, Any]


class RowCache:
    """Read-model rows by table and primary key, kept between batches.

    A batch writes into the cache as it goes: the runner forgets the whole cache
    when a batch fails, so what remains after a commit is what the tables hold.
    Past ``max_rows`` it starts over, incomplete: a bound on memory.
    """

    def __init__(self, max_rows: int = 2_000_000) -> None:
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

    def put(self, table: Table, key: Key, row: Row | None) -> None:
        """Remember a row as read or written (None: known to be absent)."""
        rows = self.known(table)
        before = len(rows)
        rows[key] = row
        self._size += len(rows) - before

    def committed(self, at: int) -> None:
        """Say the rows are now those committed at ``at``; start over past the bound."""
        self.position = at
        if self._size > self.max_rows:
            self.forget()


class Batch:
    """One transaction's read-model writes, by primary key, written in bulk."""

    def __init__(
        self,
        conn: Connection,
        cache: RowCache | None = None,
        tables: Collection[Table] | None = None,
    ) -> None:
        self.conn = conn
        self.cache = cache if cache is not None else RowCache()
        # The tables written to the database (None: all). A replay whose cache is
        # complete reads nothing back, so it writes only what its caller queries.
        if tables is not None and not self.cache.complete:
            raise ValueError("Leaving tables out needs a complete cache")
        self.tables = tables
        # The log position of the event being applied (for rows keyed by it).
        self.position = 0
        # Keys written since the last flush, per table, in first-write order.
        self._dirty: dict[Table, dict[Key, None]] = {}
        self._appended: dict[Table, list[Row]] = {}

    def get(self, table: Table, *key: Any) -> Mapping[str, Any] | None:
        """Return the row with this primary key, as this batch has left it."""
        found = self.cache.known(table).get(key, _UNKNOWN)
        if found is not _UNKNOWN:
            return cast(Row | None, found)
        if self.cache.complete:
            return None
        writer = _writer(table, self.conn.dialect)
        params = {_KEY + name: value for name, value in writer.key_row(key).items()}
        found = self.conn.execute(writer.load, params).first()
        row = dict(found._mapping) if found is not None else None
        self.cache.put(table, key, row)
        return row

    def require(self, table: Table, *key: Any) -> Mapping[str, Any]:
        """Return the row with this primary key; LookupError if there is none."""
        row = self.get(table, *key)
        if row is None:
            raise LookupError(f"No {table.name} row {key}")
        return row

    def save(self, table: Table, row: Row) -> None:
        """Insert or replace the row with ``row``'s primary key (give every column)."""
        names = _key_names.get(table)
        if names is None:
            names = _key_names[table] = tuple(c.name for c in table.primary_key)
        self._write(table, tuple(row[name] for name in names), row)

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
        if self.tables is not None and table not in self.tables:
            return
        rows = self._appended.get(table)
        if rows is None:
            rows = self._appended[table] = []
        rows.append(row)

    def flush(self) -> None:
        """Write the pending rows: deletes, then upserts, then appends, per table."""
        dialect = self.conn.dialect
        for table, keys in self._dirty.items():
            if self.tables is not None and table not in self.tables:
                continue
            writer = _writer(table, dialect)
            written = self.cache.known(table)
            gone = [key for key in keys if written[key] is None]
            rows = [row for key in keys if (row := written[key]) is not None]
            if gone:
                writer.delete.run(self.conn, [writer.key_row(key) for key in gone])
            if rows:
                writer.upsert.run(self.conn, rows)
        self._dirty = {}
        for table, appended in self._appended.items():
            _writer(table, dialect).insert.run(self.conn, appended)
        self._appended = {}

    def keep(self, position: int) -> None:
        """Tell the cache that this batch's rows are now committed at ``position``."""
        self.cache.committed(position)

    def _write(self, table: Table, key: Key, row: Row | None) -> None:
        self.cache.put(table, key, row)
        dirty = self._dirty.get(table)
        if dirty is None:
            dirty = self._dirty[table] = {}
        dirty[key] = None


class _Bulk:
    """A statement compiled once for a dialect, run through the driver's executemany.

    SQLAlchemy's own executemany passes each row through several layers (about
    5 µs a row); converting each value with its type's bind processor here, and
    handing the driver the finished parameters, costs a fraction of that.
    """

    def __init__(self, statement: Any, dialect: Dialect, columns: list[str]) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=columns)
        self.sql = compiled.string
        names = compiled.positiontup if compiled.positional else list(compiled.binds)
        self.positional = bool(compiled.positional)
        self.steps = [
            (
                name,
                name.removeprefix(_KEY),
                compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect),
            )
            for name in names or ()
        ]

    def run(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Execute the statement once per row (values read by column name)."""
        steps = self.steps
        if self.positional:
            params: list[Any] = [
                tuple(row[c] if p is None else p(row[c]) for _, c, p in steps)
                for row in rows
            ]
        else:
            params = [
                {n: row[c] if p is None else p(row[c]) for n, c, p in steps}
                for row in rows
            ]
        conn.exec_driver_sql(self.sql, params)


@dataclass(frozen=True)
class _Writer:
    """What a batch needs to read and write one table on one kind of database."""

    keys: tuple[str, ...]
    load: Select[Any]
    delete: _Bulk
    upsert: _Bulk
    insert: _Bulk

    def key_row(self, key: Key) -> dict[str, Any]:
        """Return the primary key as a row of its columns."""
        return dict(zip(self.keys, key, strict=True))


_KEY = "key_"
_UNKNOWN = object()  # a key the cache knows nothing of
_key_names: dict[Table, tuple[str, ...]] = {}
# Built once per table and dialect: building a statement costs more than running it.
_writers: dict[tuple[Table, str], _Writer] = {}


def _writer(table: Table, dialect: Dialect) -> _Writer:
    found = _writers.get((table, dialect.name))
    if found is None:
        keys = tuple(c.name for c in table.primary_key)
        where = and_(*(c == bindparam(f"{_KEY}{c.name}") for c in table.primary_key))
        every = [c.name for c in table.c]
        given = [c.name for c in table.c if c is not table.autoincrement_column]
        found = _writers[(table, dialect.name)] = _Writer(
            keys=keys,
            load=select(table).where(where),
            delete=_Bulk(table.delete().where(where), dialect, []),
            upsert=_Bulk(_upsert(table, dialect.name), dialect, every),
            insert=_Bulk(table.insert(), dialect, given),
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
