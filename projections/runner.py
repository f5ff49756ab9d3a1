"""Follows the event log and keeps the read models exactly once, resumably.

Each batch of notifications is applied to the read-model tables and the new
position is stored in ONE transaction, so a crash at any moment leaves the
tables either before or after the whole batch: never half, never twice.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
import traceback
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from typing import Protocol
from uuid import UUID

from eventsourcing import persistence
from eventsourcing.persistence import ApplicationRecorder, Mapper, Notification
from sqlalchemy import Connection, Engine, Index, Table, exc, func, select

from projections import (
    achievements,
    admin_log,
    audit,
    badges,
    commitments,
    deal_reviews,
    endorsements,
    feed,
    mentorships,
    points,
    preferences,
    recognitions,
    reliability,
    reviews,
    targets,
    team_of,
    teams,
    territory_plans,
)
from projections.batch import Batch, RowCache
from projections.listen import SaveListener, listens
from projections.schema import (
    SHAPE,
    ensure_tracking_row,
    failures,
    lock_position,
    metadata,
    record_position,
    record_shape,
    shape,
    stored_shape,
    tracked_position,
    tracking,
)

log = logging.getLogger(__name__)

RUNNER_NAME = "read_models"
# The database's own failures (unreachable, a dropped connection, a timeout), in
# the read models' tables or in the event log: a batch that meets one is retried
# as it is, never taken for an event that cannot be applied.
DATABASE_ERRORS = (
    exc.OperationalError,
    exc.InterfaceError,
    exc.TimeoutError,
    persistence.OperationalError,
    persistence.InterfaceError,
)
# Seconds between attempts while the database fails, doubling up to the last.
FIRST_RETRY = 0.2
LAST_RETRY = 5.0
# Rows a runner remembers between batches: a web process follows with a modest
# cache (misses are read by key); a rebuild may keep every row it writes.
LIVE_CACHE_ROWS = 200_000
REBUILD_CACHE_ROWS = 2_000_000


class ReadModel(Protocol):
    """A module that owns some tables and applies events to them."""

    def apply(self, batch: Batch, event: object) -> None:
        """Apply one event (ignoring those it does not care about)."""


READ_MODELS: Sequence[ReadModel] = (
    teams,
    team_of,
    audit,
    feed,
    commitments,
    reliability,
    targets,
    recognitions,
    deal_reviews,
    achievements,
    mentorships,
    reviews,
    territory_plans,
    endorsements,
    points,
    badges,
    preferences,
    admin_log,
)


def apply_events(
    conn: Connection,
    cache: RowCache,
    notifications: Sequence[Notification],
    events: Sequence[object],
    read_models: Sequence[ReadModel],
    tables: Collection[Table] | None = None,
) -> Batch:
    """Apply events to the read models; write their rows in ``conn``'s transaction.

    Only to ``tables``, if given (see ``Batch``).
    """
    batch = Batch(conn, cache, tables)
    for notification, event in zip(notifications, events, strict=True):
        batch.position = notification.id
        for model in read_models:
            model.apply(batch, event)
    batch.flush()
    return batch


def _start_over(conn: Connection) -> None:
    """Drop every read model and make it anew, empty, at position 0.

    The runner's position row (which holds its lock) and the shape stay.
    """
    kept = (tracking, shape)
    metadata.drop_all(conn, [t for t in metadata.sorted_tables if t not in kept])
    metadata.create_all(conn)
    record_position(conn, RUNNER_NAME, 0)


def secondary_indexes() -> list[Index]:
    """Return the read-model indexes that are not keys or unique constraints."""
    return [index for table in metadata.sorted_tables for index in table.indexes]


class ProjectionRunner:
    """Applies new events to the read models, in batches, from the tracked position."""

    def __init__(
        self,
        recorder: ApplicationRecorder,
        mapper: Mapper[UUID],
        engine: Engine,
        read_models: Sequence[ReadModel] = READ_MODELS,
        batch_size: int = 500,
        rebuild_batch_size: int = 5000,
        on_change: Callable[[int, Sequence[object]], None] | None = None,
    ) -> None:
        self.recorder = recorder
        self.mapper = mapper
        self.engine = engine
        self.read_models = read_models
        self.batch_size = batch_size
        # Replaying history, larger batches mean fewer, fuller executemany calls.
        self.rebuild_batch_size = rebuild_batch_size
        self.on_change = on_change
        self._lock = threading.Lock()
        self._reached = threading.Condition()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.listener: SaveListener | None = None
        self.position = 0
        self._attempted = 0
        self.cache = RowCache(LIVE_CACHE_ROWS)

    def create_tables(self) -> None:
        """Create the read-model tables and indexes that do not exist yet.

        Tables of an earlier shape (see ``schema.SHAPE``) are emptied first: the
        runner then replays the whole log into them, as after a rebuild.
        """
        metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            ensure_tracking_row(conn, RUNNER_NAME)
            # Under the runner's lock: a second process starting meanwhile waits.
            position = lock_position(conn, RUNNER_NAME)
            recorded = stored_shape(conn)
            # Tables with rows and no shape recorded predate shapes: shape 1.
            was = recorded or (1 if position else SHAPE)
            if was != SHAPE:
                log.warning("Read models of shape %s: replaying the log", was)
                _start_over(conn)
                position = 0
            if recorded != SHAPE:
                record_shape(conn)
            # A rebuild interrupted before its last step left its indexes out.
            for index in secondary_indexes():
                index.create(conn, checkfirst=True)
            if position == 0:
                # Rows are only ever written with a position past 0: none exist.
                self.cache.start_empty(0)

    def stored_position(self) -> int:
        """Return the position committed in the database."""
        with self.engine.connect() as conn:
            return tracked_position(conn, RUNNER_NAME)

    def catch_up(self, batch_size: int | None = None) -> int:
        """Apply every event recorded so far; return the position reached."""
        with self._lock:
            while self._apply_next_batch(batch_size or self.batch_size):
                pass
            return self.position

    def _apply_next_batch(self, limit: int) -> bool:
        """Apply the next batch after the stored position; tell if more may follow.

        When a batch fails for any reason but the database's (those are retried as
        they are), its events are applied one at a time, and the one that no read
        model can take is set aside, with the error, so that the log moves on.
        """
        try:
            return self._apply_batch(limit)
        except DATABASE_ERRORS:
            raise
        except Exception as error:
            if limit > 1:
                log.warning("Projection batch failed; applying it event by event")
                return all(self._apply_next_batch(1) for _ in range(limit))
            self._set_aside(self._attempted, error)
            return True

    def _apply_batch(self, limit: int) -> bool:
        """Apply the next batch in one transaction; tell if more may follow.

        The position is read inside the batch's own transaction, so a second runner
        (another process) that got there first is noticed, never repeated.
        """
        stored = self.stored_position()
        if (self.recorder.max_notification_id() or 0) <= stored:
            self._reached_position(stored)
            return False
        try:
            with self.engine.begin() as conn:
                start = lock_position(conn, RUNNER_NAME)
                self._attempted = start + 1
                if start != self.cache.position:
                    # Another runner wrote since: what this one remembers is stale.
                    self.cache.forget()
                notifications = self.recorder.select_notifications(
                    start=start + 1, limit=limit
                )
                events = [self.mapper.to_domain_event(n) for n in notifications]
                batch = apply_events(
                    conn, self.cache, notifications, events, self.read_models
                )
                last = notifications[-1].id if notifications else start
                if notifications:
                    record_position(conn, RUNNER_NAME, last)
        except BaseException:
            self.cache.forget()
            raise
        batch.keep(last)
        self._reached_position(last)
        if events and self.on_change is not None:
            self.on_change(last, events)
        return len(notifications) == limit

    def _set_aside(self, position: int, error: Exception) -> None:
        """Record the event at ``position`` as failed and move past it."""
        with self.engine.begin() as conn:
            if lock_position(conn, RUNNER_NAME) != position - 1:
                return  # another runner moved on meanwhile: nothing to set aside
            [notification] = self.recorder.select_notifications(start=position, limit=1)
            conn.execute(
                failures.insert().values(
                    position=notification.id,
                    topic=notification.topic,
                    originator_id=notification.originator_id,
                    originator_version=notification.originator_version,
                    error="".join(traceback.format_exception_only(error))[:2000],
                    at=datetime.now(UTC),
                )
            )
            record_position(conn, RUNNER_NAME, notification.id)
        log.error(
            "Set aside event %s (%s): %s", notification.id, notification.topic, error
        )
        self.cache.forget()
        self._reached_position(notification.id)

    def _reached_position(self, position: int) -> None:
        with self._reached:
            self.position = position
            self._reached.notify_all()

    def wake(self) -> None:
        """Ask the background thread to look for new events now."""
        self._wake.set()

    def start(self, poll_interval: float = 1.0) -> None:
        """Follow the log in a daemon thread (see ``follow``)."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self.follow, args=(poll_interval,), name="projections", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop following after the current batch (the thread, or ``follow``)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
            # The thread is gone: this runner may follow again, here or anew.
            self._stop.clear()

    def follow(self, poll_interval: float = 1.0) -> None:
        """Apply new events as they come, until ``stop``: woken by saves, else polling.

        Saves in this process wake it through ``wake``; on PostgreSQL, a LISTEN
        thread hears saves from every other process too. While the database
        fails, attempts come further apart (up to ``LAST_RETRY`` seconds).
        """
        listening: threading.Thread | None = None
        if listens(self.recorder):
            self.listener = SaveListener(self.recorder, self.wake, self._stop)
            listening = threading.Thread(
                target=self.listener.run, name="projections-listen", daemon=True
            )
            listening.start()
        pause = FIRST_RETRY
        try:
            while not self._stop.is_set():
                self._wake.clear()
                if self._caught_up(pause):
                    pause = FIRST_RETRY
                    self._wake.wait(poll_interval)
                else:
                    self._stop.wait(pause)
                    pause = min(pause * 2, LAST_RETRY)
        finally:
            if listening is not None:
                listening.join(timeout=10)

    def _caught_up(self, retry_in: float) -> bool:
        """Catch up; tell whether that went well (a failed batch rolled back)."""
        try:
            self.catch_up()
        except DATABASE_ERRORS as error:
            log.warning("The database failed (%s); retrying in %.1f s", error, retry_in)
            return False
        except Exception:
            log.exception("Projection batch failed; retrying in %.1f s", retry_in)
            return False
        return True

    @property
    def listening(self) -> bool | None:
        """Tell whether saves are heard at once (None: this runner only polls)."""
        return None if self.listener is None else self.listener.listening

    def rebuild(self) -> int:
        """Drop every read model and replay the whole log; return the position.

        Secondary indexes are built once at the end, from sorted data, rather than
        kept up to date row by row; the cyclic garbage collector's full passes,
        which would walk the whole row cache again and again, wait until the end.
        """
        self.create_tables()
        with self._lock:
            self.position = 0
            # Replaying, the cache may hold everything; following, far less.
            self.cache = RowCache(REBUILD_CACHE_ROWS)
            with self.engine.begin() as conn:
                lock_position(conn, RUNNER_NAME)  # no other runner writes meanwhile
                _start_over(conn)
                for index in secondary_indexes():
                    index.drop(conn)
            self.cache.start_empty(0)
        collecting = gc.isenabled()
        gc.disable()
        try:
            with self._lock:
                try:
                    while self._apply_next_batch(self.rebuild_batch_size):
                        gc.collect(1)  # each batch's young garbage, not the cache
                    position = self.position
                finally:
                    self.cache = RowCache(LIVE_CACHE_ROWS)
        finally:
            if collecting:
                gc.enable()
        with self.engine.begin() as conn:
            for index in secondary_indexes():
                index.create(conn)
        return position

    def status(self) -> dict[str, int]:
        """Return the applied position, the log's head, the lag and events set aside."""
        position = self.stored_position()
        head = self.recorder.max_notification_id() or 0
        with self.engine.connect() as conn:
            counted = conn.scalar(select(func.count()).select_from(failures))
        return {
            "position": position,
            "head": head,
            "lag": head - position,
            "set_aside": int(counted or 0),
        }

    def wait_for(self, position: int, timeout: float) -> bool:
        """Wait until the read models reach ``position``; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._reached:
            while self.position < position:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._reached.wait(remaining)
        return True
