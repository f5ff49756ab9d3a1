"""eventsourcing's SQLite event store, with its wait for a connection bounded too.

The library bounds the wait for SQLite's lock (``SQLITE_LOCK_TIMEOUT``) but not
the wait for a connection from its own pool, where a writer queues behind the
one writer at a time: ``SQLITE_POOL_TIMEOUT`` bounds that (see ``Settings``).
"""

from __future__ import annotations

from eventsourcing.sqlite import SQLiteFactory
from eventsourcing.utils import Environment, EnvType


class BoundedSQLiteFactory(SQLiteFactory):
    """The library's SQLite factory; its pool gives up after SQLITE_POOL_TIMEOUT."""

    SQLITE_POOL_TIMEOUT = "SQLITE_POOL_TIMEOUT"

    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        seconds = self.env.get(self.SQLITE_POOL_TIMEOUT)
        if seconds:
            self.datastore.pool.pool_timeout = float(seconds)
