"""Forget what has expired (sign-ins, reset links, idempotency claims, dead sockets)
and put on record the account changes a process died before recording."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from events.application import Wolfpack
from server import accounts, idempotency, passwords, realtime
from server.admin_records import publish_pending
from server.realtime import HeldSockets

log = logging.getLogger(__name__)

PURGE_EVERY = timedelta(hours=1)
# Account changes left pending (their process died after committing them) wait
# at most this long for the event log.
PUBLISH_EVERY = timedelta(seconds=30)


def purge_expired(
    sessions: sessionmaker[Session], now: datetime, held: HeldSockets | None = None
) -> dict[str, int]:
    """Delete every expired row; return how many went, per table.

    ``held``: the sockets this process holds, whose rows it vouches for first.
    """
    with sessions() as session:
        if held is not None:
            realtime.vouch_for_sockets(session, held.sids(), now)
        purged = {
            "login_sessions": accounts.purge_expired_sessions(session, now),
            "password_resets": passwords.purge_expired_resets(session, now),
            "idempotency_records": idempotency.purge_expired(session, now),
            "live_sockets": realtime.purge_stale_sockets(session, now),
        }
        session.commit()
    return purged


class Housekeeper:
    """A thread that purges expired rows every ``PURGE_EVERY``, from the start,
    and publishes pending account records every ``PUBLISH_EVERY``."""

    def __init__(
        self, sessions: sessionmaker[Session], held: HeldSockets, app: Wolfpack
    ) -> None:
        self._sessions = sessions
        self._held = held
        self._app = app
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="wolfpack-housekeeping", daemon=True
        )

    def start(self) -> None:
        """Start purging in the background."""
        self._thread.start()

    def stop(self) -> None:
        """Stop purging, after the purge under way if there is one."""
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        rounds = int(PURGE_EVERY / PUBLISH_EVERY)
        turn = 0
        while not self._stopped.is_set():
            try:
                with self._sessions() as session:
                    if published := publish_pending(session, self._app):
                        log.info("Recorded %d pending account changes", published)
                if turn % rounds == 0:
                    now = accounts.utc_now()
                    purged = purge_expired(self._sessions, now, self._held)
                    log.info("Purged expired rows: %s", purged)
            except Exception:  # a database hiccup: try again next time
                log.exception("Housekeeping failed")
            turn += 1
            self._stopped.wait(PUBLISH_EVERY.total_seconds())
