"""Wake the runner the moment PostgreSQL reports a save (LISTEN/NOTIFY).

psycopg is an optional extra, so it is imported only when the store is PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from eventsourcing.persistence import ApplicationRecorder


def listens(recorder: ApplicationRecorder) -> bool:
    """Tell whether saves to this store can be heard (PostgreSQL), not polled."""
    return type(recorder).__module__ == "eventsourcing.postgres"


def listen_for_saves(
    recorder: ApplicationRecorder,
    on_save: Callable[[], None],
    stopped: threading.Event,
) -> None:
    """Call ``on_save`` whenever any process saves events, until ``stopped``.

    The library's PostgreSQL recorder sends NOTIFY on its events table's channel
    with every insert; every process LISTENing hears it, wherever the save was.
    """
    from eventsourcing.postgres import PostgresApplicationRecorder
    from psycopg.sql import SQL, Identifier

    assert isinstance(recorder, PostgresApplicationRecorder)
    with recorder.datastore.get_connection() as conn:
        conn.execute(SQL("LISTEN {0}").format(Identifier(recorder.channel_name)))
        while not stopped.is_set():
            # Wake at least twice a second so that a stop is noticed promptly.
            for _ in conn.notifies(timeout=0.5, stop_after=1):
                on_save()
