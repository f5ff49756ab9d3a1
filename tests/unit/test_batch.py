"""The Batch: reads see earlier writes, writes land in bulk, the cache stays true."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from uuid import uuid4

import pytest
from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
    create_engine,
    select,
)

from projections.batch import Batch, RowCache
from projections.sql_types import UtcDateTime

metadata = MetaData()
things = Table(
    "things",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(20), nullable=False),
    Column("at", UtcDateTime),
    Column("tags", JSON, nullable=False),
)
pairs = Table(
    "pairs",
    metadata,
    Column("left", Uuid, primary_key=True),
    Column("right", String(10), primary_key=True),
    Column("count", Integer, nullable=False),
)
lines = Table(
    "lines",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("text", String(20), nullable=False),
)
AT = datetime(2030, 3, 4, 9, 0, tzinfo=timezone(timedelta(hours=2)))


@pytest.fixture
def conn() -> Iterator[Connection]:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as connection:
        yield connection


def thing(name: str = "a", **changes: object) -> dict[str, object]:
    return {"id": uuid4(), "name": name, "at": AT, "tags": ["x"], **changes}


def stored(conn: Connection, table: Table) -> list[dict[str, object]]:
    return [dict(row._mapping) for row in conn.execute(select(table))]


def test_a_read_sees_every_earlier_write_of_the_batch(conn: Connection):
    batch = Batch(conn)
    row = thing()
    batch.save(things, row)
    assert batch.get(things, row["id"]) == row
    assert batch.update(things, row["id"], name="b")
    assert batch.get(things, row["id"])["name"] == "b"  # type: ignore[index]
    batch.delete(things, row["id"])
    assert batch.get(things, row["id"]) is None
    assert not batch.update(things, row["id"], name="c")


def test_nothing_reaches_the_database_before_the_flush(conn: Connection):
    batch = Batch(conn)
    batch.save(things, thing())
    batch.append(lines, {"text": "one"})
    assert stored(conn, things) == []
    assert stored(conn, lines) == []
    batch.flush()
    assert len(stored(conn, things)) == 1
    assert stored(conn, lines) == [{"id": 1, "text": "one"}]


def test_the_flush_writes_each_row_as_the_batch_left_it(conn: Connection):
    kept, changed, gone = thing("kept"), thing("changed"), thing("gone")
    first = Batch(conn)
    for row in (kept, changed, gone):
        first.save(things, row)
    first.flush()
    second = Batch(conn)
    second.update(things, changed["id"], name="now", tags=["y", "z"])
    second.delete(things, gone["id"])
    second.save(things, thing("new"))
    second.delete(things, uuid4())  # never there: nothing to do
    second.flush()
    names = {row["name"]: row["tags"] for row in stored(conn, things)}
    assert names == {"kept": ["x"], "now": ["y", "z"], "new": ["x"]}


def test_values_come_back_as_their_column_types(conn: Connection):
    row = thing()
    batch = Batch(conn)
    batch.save(things, row)
    batch.flush()
    [back] = stored(conn, things)
    assert back == {**row, "at": AT.astimezone(UTC)}
    assert back["at"] == AT


def test_appended_rows_keep_their_order_and_numbers(conn: Connection):
    batch = Batch(conn)
    for text in ("one", "two", "three"):
        batch.append(lines, {"text": text})
    batch.flush()
    batch.append(lines, {"text": "four"})
    batch.flush()
    rows = stored(conn, lines)
    assert [(r["id"], r["text"]) for r in rows] == [
        (1, "one"),
        (2, "two"),
        (3, "three"),
        (4, "four"),
    ]


def test_composite_keys_are_read_and_written_by_every_column(conn: Connection):
    left = uuid4()
    batch = Batch(conn)
    batch.save(pairs, {"left": left, "right": "a", "count": 1})
    batch.save(pairs, {"left": left, "right": "b", "count": 2})
    batch.update(pairs, left, "a", count=5)
    assert batch.get(pairs, left, "b") == {"left": left, "right": "b", "count": 2}
    batch.flush()
    assert sorted((r["right"], r["count"]) for r in stored(conn, pairs)) == [
        ("a", 5),
        ("b", 2),
    ]


def test_a_cache_that_is_not_complete_reads_misses_from_the_database(
    conn: Connection,
):
    row = thing()
    conn.execute(things.insert(), [row])
    batch = Batch(conn, RowCache())
    assert batch.get(things, row["id"]) == {**row, "at": AT.astimezone(UTC)}
    assert batch.get(things, uuid4()) is None


def test_kept_rows_serve_the_next_batch_without_reading_the_database(
    conn: Connection,
):
    cache = RowCache()
    cache.start_empty(0)
    row = thing()
    first = Batch(conn, cache)
    first.save(things, row)
    first.flush()
    first.keep(1)
    assert cache.position == 1
    conn.execute(things.delete())  # what the next batch reads comes from the cache
    assert Batch(conn, cache).get(things, row["id"]) == row


def test_the_cache_starts_over_past_its_bound(conn: Connection):
    cache = RowCache(max_rows=2)
    cache.start_empty(0)
    batch = Batch(conn, cache)
    for _ in range(3):
        batch.save(things, thing())
    batch.flush()
    batch.keep(1)
    assert not cache.complete
    assert cache.tables == {}
    assert cache.position is None


def test_a_batch_told_its_tables_writes_only_those_and_still_reads_the_rest(
    conn: Connection,
):
    cache = RowCache()
    cache.start_empty(0)
    batch = Batch(conn, cache, tables=[things])
    kept, left_out = thing(), {"left": uuid4(), "right": "a", "count": 1}
    batch.save(things, kept)
    batch.save(pairs, left_out)
    batch.append(lines, {"text": "left out"})
    batch.flush()

    assert [r["id"] for r in stored(conn, things)] == [kept["id"]]
    assert stored(conn, pairs) == stored(conn, lines) == []
    assert batch.get(pairs, left_out["left"], "a") == left_out


def test_leaving_tables_out_needs_a_cache_that_knows_every_row(conn: Connection):
    with pytest.raises(ValueError, match="complete cache"):
        Batch(conn, RowCache(), tables=[things])
