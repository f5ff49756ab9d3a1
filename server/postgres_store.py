"""eventsourcing's PostgreSQL event store, with every wait bounded.

The library bounds the wait for a pooled connection (``POSTGRES_CONNECT_TIMEOUT``)
and for the lock on its table when inserting (``POSTGRES_LOCK_TIMEOUT``), but not
connecting, statements, or locks met while reading; and it tries each call ten
times, so one bounded wait could become ten. Here connections carry
``connect_timeout``, ``statement_timeout``, ``lock_timeout`` and an
``application_name``, and a failed call is tried again only while its first
attempt is younger than the bound: a dropped connection is replaced at once, a
server that does not answer is given up on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from eventsourcing.persistence import (
    ApplicationRecorder,
    InterfaceError,
    OperationalError,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresFactory
from eventsourcing.utils import Environment, EnvType

from server.db import KEEPALIVES

F = TypeVar("F", bound=Callable[..., Any])
RETRY_PAUSE = 0.05  # between attempts: long enough to let a dead pool turn over
RECONNECT_WITHIN = 2  # bounds: how long the pool keeps trying to replace a connection


def _retried_within_bound(method: F) -> F:
    """Retry ``method`` (undecorated) on connection trouble, within the bound."""
    plain = getattr(method, "__wrapped__", method)

    @wraps(plain)
    def retried(self: BoundedApplicationRecorder, *args: Any, **kwargs: Any) -> Any:
        give_up_at = time.monotonic() + self.retry_within
        while True:
            try:
                return plain(self, *args, **kwargs)
            except (InterfaceError, OperationalError):
                if time.monotonic() + RETRY_PAUSE >= give_up_at:
                    raise
                time.sleep(RETRY_PAUSE)

    return cast(F, retried)


class BoundedApplicationRecorder(PostgresApplicationRecorder):
    """The library's recorder, retrying only within ``retry_within`` seconds."""

    retry_within: float = 5.0

    insert_events = _retried_within_bound(PostgresApplicationRecorder.insert_events)
    select_events = _retried_within_bound(PostgresApplicationRecorder.select_events)
    select_notifications = _retried_within_bound(
        PostgresApplicationRecorder.select_notifications
    )
    max_notification_id = _retried_within_bound(
        PostgresApplicationRecorder.max_notification_id
    )


class BoundedPostgresFactory(PostgresFactory):
    """The library's PostgreSQL factory, with connection settings that bound waits."""

    POSTGRES_STATEMENT_TIMEOUT = "POSTGRES_STATEMENT_TIMEOUT"
    POSTGRES_APPLICATION_NAME = "POSTGRES_APPLICATION_NAME"

    application_recorder_class = BoundedApplicationRecorder

    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        bound = int(self.env.get(self.POSTGRES_CONNECT_TIMEOUT) or 30)
        statements = int(self.env.get(self.POSTGRES_STATEMENT_TIMEOUT) or 0)
        locks = int(self.env.get(self.POSTGRES_LOCK_TIMEOUT) or 0)
        self.retry_within = float(bound)
        # Read by psycopg for each new connection; the pool has not opened yet.
        pool = self.datastore.pool
        # The pool retries a lost connection with growing pauses, for five minutes
        # by default: after a long outage, the next attempt could come long after
        # the server is back. Giving up sooner lets the next request start afresh.
        pool.reconnect_timeout = RECONNECT_WITHIN * bound
        kwargs = pool.kwargs
        assert isinstance(kwargs, dict)  # the library always passes a dict
        kwargs.update(
            connect_timeout=bound,
            application_name=self.env.get(self.POSTGRES_APPLICATION_NAME) or "",
            options=f"-c statement_timeout={statements}s -c lock_timeout={locks}s",
            **KEEPALIVES,
        )

    def application_recorder(self) -> ApplicationRecorder:
        """Return the recorder, told how long it may keep trying."""
        recorder = super().application_recorder()
        if isinstance(recorder, BoundedApplicationRecorder):
            recorder.retry_within = self.retry_within
        return recorder
