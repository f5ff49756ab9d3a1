"""Tell a database that cannot answer now (503, retry later) from a bug (500).

Unreachable, locked, a connection dropped, a statement or a pool that timed out:
the same request may well succeed in a moment, so the client is told when to
retry. The errors come wrapped by SQLAlchemy or eventsourcing; their causes say
what happened. On SQLite, only "busy", "locked" and a file that cannot be opened
or written count: its other operational errors (a missing table) are bugs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from eventsourcing import persistence
from sqlalchemy import exc

SQLITE_UNAVAILABLE = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR")
UNAVAILABLE: tuple[type[BaseException], ...] = (
    exc.OperationalError,
    exc.InterfaceError,
    exc.TimeoutError,  # no free connection in SQLAlchemy's pool
    persistence.OperationalError,
    persistence.InterfaceError,
)
try:
    import psycopg
except ImportError:  # SQLite only: psycopg is the postgres extra
    pass
else:
    UNAVAILABLE += (psycopg.OperationalError, psycopg.InterfaceError)


def database_unavailable(error: BaseException) -> bool:
    """Tell whether ``error`` means the database cannot answer right now."""
    causes = list(_causes(error))
    sqlite_errors = [e for e in causes if isinstance(e, sqlite3.Error)]
    if sqlite_errors:
        name = getattr(sqlite_errors[-1], "sqlite_errorname", None) or ""
        return name.startswith(SQLITE_UNAVAILABLE)
    return any(isinstance(e, UNAVAILABLE) for e in causes)


def _causes(error: BaseException) -> Iterator[BaseException]:
    """Yield ``error`` and what it wraps, outermost first."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        wrapped = getattr(current, "orig", None)  # SQLAlchemy's DBAPI error
        current = wrapped if isinstance(wrapped, BaseException) else current.__cause__
