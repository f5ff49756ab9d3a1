"""Wake the runner the moment PostgreSQL reports a save (LISTEN/NOTIFY).

psycopg is an optional extra, so it is imported only when the store is PostgreSQL.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from eventsourcing.persistence import ApplicationRecorder, PersistenceError

log = logging.getLogger(__name__)

# Seconds before listening again after the connection dropped, doubling up to
# the last after each failed attempt.
FIRST_RETRY = 0.1
LAST_RETRY = 5.0


def listens(recorder: ApplicationRecorder) -> bool:
    """Tell whether saves to this store can be heard (PostgreSQL), not polled."""
    return any(
        cls.__module__ == "eventsourcing.postgres" for cls in type(recorder).__mro__
    )


class SaveListener:
    """Calls ``on_save`` whenever any process saves events, until ``stopped``.

    The library's PostgreSQL recorder sends NOTIFY on its events table's channel
    with every insert; every process LISTENing hears it, wherever the save was.
    A dropped connection is replaced, with a growing pause between attempts.
    """

    def __init__(
        self,
        recorder: ApplicationRecorder,
        on_save: Callable[[], None],
        stopped: threading.Event,
    ) -> None:
        self.recorder = recorder
        self.on_save = on_save
        self.stopped = stopped
        self.listening = False
        self.lost = 0  # times the connection dropped

    def run(self) -> None:
        """Listen until stopped, listening again whenever the connection drops."""
        from psycopg import Error

        retry = FIRST_RETRY
        while not self.stopped.is_set():
            try:
                self._listen()
            except (PersistenceError, Error) as error:
                if self.listening:
                    self.listening = False
                    self.lost += 1
                    retry = FIRST_RETRY
                    log.warning("LISTEN connection lost: %s", error)
                log.warning("Listening for saves again in %.1f s", retry)
                self.stopped.wait(retry)
                retry = min(retry * 2, LAST_RETRY)
        self.listening = False

    def _listen(self) -> None:
        from eventsourcing.postgres import PostgresApplicationRecorder
        from psycopg.sql import SQL, Identifier

        recorder = self.recorder
        assert isinstance(recorder, PostgresApplicationRecorder)
        with recorder.datastore.get_connection() as conn:
            conn.execute(SQL("LISTEN {0}").format(Identifier(recorder.channel_name)))
            if self.lost:
                log.warning("Listening for saves again (%s drops so far)", self.lost)
            self.listening = True
            # Saves made while nobody listened were not heard: look for them now.
            self.on_save()
            while not self.stopped.is_set():
                # Wake at least twice a second so that a stop is noticed promptly.
                for _ in conn.notifies(timeout=0.5, stop_after=1):
                    self.on_save()
