"""Which database errors mean "not now, retry" (503) rather than a bug (500)."""

from __future__ import annotations

import sqlite3

import pytest
from eventsourcing.persistence import ConnectionUnavailableError
from eventsourcing.persistence import OperationalError as StoreOperationalError
from sqlalchemy.exc import OperationalError as SqlOperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from server.unavailable import database_unavailable


def sqlite_error(sql: str, locked: bool = False) -> sqlite3.Error:
    """Return the error SQLite itself raises for ``sql`` (on a locked file if told)."""
    first = sqlite3.connect("file:faults?mode=memory&cache=shared", uri=True)
    second = sqlite3.connect(
        "file:faults?mode=memory&cache=shared", uri=True, timeout=0
    )
    try:
        first.execute("CREATE TABLE IF NOT EXISTS t (x)")
        if locked:
            first.execute("BEGIN EXCLUSIVE")
            first.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(sqlite3.Error) as raised:
            second.execute(sql)
        return raised.value
    finally:
        second.close()
        first.close()


def wrapped(error: BaseException) -> SqlOperationalError:
    """Wrap a driver's error as SQLAlchemy does."""
    with pytest.raises(SqlOperationalError) as raised:
        raise SqlOperationalError("SELECT 1", {}, error) from error
    return raised.value


def in_the_store(error: BaseException) -> StoreOperationalError:
    """Wrap a driver's error as eventsourcing does."""
    with pytest.raises(StoreOperationalError) as raised:
        raise StoreOperationalError(str(error)) from error
    return raised.value


def test_a_locked_sqlite_database_is_unavailable_not_a_bug():
    locked = sqlite_error("SELECT * FROM t", locked=True)

    assert database_unavailable(wrapped(locked))


def test_a_missing_sqlite_table_is_a_bug_not_an_outage():
    missing = sqlite_error("SELECT * FROM no_such_table")

    assert not database_unavailable(wrapped(missing))


def test_the_event_stores_errors_wrapping_a_lock_or_an_empty_pool_are_unavailable():
    locked = sqlite_error("SELECT * FROM t", locked=True)

    assert database_unavailable(in_the_store(locked))
    assert database_unavailable(ConnectionUnavailableError("no connection in time"))
    assert database_unavailable(PoolTimeoutError("QueuePool limit reached"))


def test_anything_else_is_not_the_databases_fault():
    assert not database_unavailable(ValueError("bad value"))
    assert not database_unavailable(KeyError("missing"))
