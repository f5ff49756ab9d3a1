"""Forget what has expired: sign-ins, reset links, idempotency claims, dead sockets."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from server import accounts, idempotency, passwords, realtime
from server.realtime import HeldSockets

log = logging.getLogger(__name__)

PURGE_EVERY = timedelta(hours=1)


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
    """A thread that purges expired rows every ``PURGE_EVERY``, from the start."""

    def __init__(self, sessions: sessionmaker[Session], held: HeldSockets) -> None:
        self._sessions = sessions
        self._held = held
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
        while not self._stopped.is_set():
            try:
                purged = purge_expired(self._sessions, accounts.utc_now(), self._held)
                log.info("Purged expired rows: %s", purged)
            except Exception:  # a database hiccup: try again next time
                log.exception("Purging expired rows failed")
            self._stopped.wait(PURGE_EVERY.total_seconds())
