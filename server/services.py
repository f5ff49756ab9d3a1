"""The composition root: build the stores, the application and the projections."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from events.application import Wolfpack
from projections.runner import ProjectionRunner
from server import migrate
from server.config import Settings
from server.db import make_engine, session_factory
from server.housekeeping import Housekeeper
from server.realtime import HeldSockets
from server.unavailable import database_unavailable

if TYPE_CHECKING:
    from server.pushes import Pusher

log = logging.getLogger(__name__)

# How long a command's response may wait for the read models to catch up.
READ_YOUR_WRITES_TIMEOUT = 2.0


@dataclass
class Services:
    """Everything a request needs, built once per process from the settings."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    events: Wolfpack
    projections: ProjectionRunner
    pusher: Pusher | None = None
    housekeeper: Housekeeper | None = None
    held_sockets: HeldSockets = field(default_factory=HeldSockets)

    def start_pushes(self, pusher: Pusher) -> None:
        """Announce every batch the runner commits through ``pusher``."""
        if self.pusher is not None:
            self.pusher.stop()
        self.pusher = pusher
        self.projections.on_change = pusher.changed
        pusher.start()

    def wait_for_read_models(self, position: int) -> bool:
        """Wait (briefly) until the read models include ``position``.

        The command is recorded by then: a database that stops answering now
        makes the wait end early, never the command fail.
        """
        try:
            return self._wait_for_read_models(position)
        except Exception as error:
            if not database_unavailable(error):
                raise
            log.warning("Answering before the read models caught up: %s", error)
            return False

    def _wait_for_read_models(self, position: int) -> bool:
        mode = self.settings.projections
        if mode == "inline":
            return self.projections.catch_up() >= position
        if mode == "thread":
            return self.projections.wait_for(position, READ_YOUR_WRITES_TIMEOUT)
        # Another process runs the projections: watch its committed position.
        deadline = time.monotonic() + READ_YOUR_WRITES_TIMEOUT
        while self.projections.stored_position() < position:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def rebuild_read_models(self) -> int:
        """Replay the whole log into fresh read models; return the position reached.

        Live pushes pause meanwhile: a round reading the tables while they are
        dropped would deadlock on PostgreSQL, and what the replay re-announces is
        not news. They resume from the rebuilt tables.
        """
        pusher = self.pusher
        if pusher is not None:
            pusher.stop()
        try:
            return self.projections.rebuild()
        finally:
            if pusher is not None:
                pusher.start()

    def close(self) -> None:
        """Stop the projection thread and pushes, and release connections."""
        self.projections.stop()
        if self.pusher is not None:
            self.pusher.stop()
        if self.housekeeper is not None:
            self.housekeeper.stop()
        self.events.close()
        self.engine.dispose()
        self.projections.engine.dispose()


def build_services(settings: Settings) -> Services:
    """Connect to the stores named by the settings, creating tables as needed."""
    settings.check()
    engine = make_engine(settings)
    # Setting up may wait for another process's turn, and the projection runner's
    # batches may take longer than a request should: both get the longer bound.
    background = make_engine(settings, timeout=settings.projection_timeout)
    with migrate.turn(background, settings):  # processes starting at once take turns
        migrate.upgrade(background)
        events = Wolfpack(env=settings.event_store_env())
        runner = ProjectionRunner(
            events.recorder,
            events.mapper,
            background,
            batch_size=settings.projection_batch_size,
        )
        runner.create_tables()
    if settings.projections == "thread":
        events.save_listeners.append(lambda _position: runner.wake())
        runner.start()
    found = Services(settings, engine, session_factory(engine), events, runner)
    if settings.projections != "inline":  # inline: tests, which purge by hand
        found.housekeeper = Housekeeper(found.sessions, found.held_sockets, events)
        found.housekeeper.start()
    return found


def services() -> Services:
    """Return the services of the current Flask app."""
    found: Services = current_app.extensions["wolfpack"]
    return found
