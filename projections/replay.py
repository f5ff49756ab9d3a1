"""Time travel: replay the log up to a moment into a private in-memory database.

The same read models that keep the live tables build the past ones, so a board
"as of" a moment is what the live board showed then — never an estimate from
today's rows. A past board of one team replays only the events that can change
that team's rows (``team_of.aggregates_of``): a small team in a large company is
answered from its own history, not the company's.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import ApplicationRecorder, Mapper
from sqlalchemy import Connection, Engine, Table, create_engine
from sqlalchemy.pool import StaticPool

from projections.batch import RowCache
from projections.log_slice import events_of, whole_log
from projections.runner import RUNNER_NAME, ReadModel, apply_events
from projections.schema import metadata, tracked_position
from projections.team_of import aggregates_of, creates_one_of

# Events per batch: in larger ones, rows that many events touch (a member's period
# totals) are written fewer times.
BATCH = 10_000


@dataclass(frozen=True)
class Scope:
    """The aggregates some teams' rows depend on, as the read models knew them."""

    team_ids: frozenset[UUID]
    aggregate_ids: frozenset[UUID]
    # The read models' position when they told: later aggregates are unknown.
    known_to: int


def team_scope(conn: Connection, team_ids: Collection[UUID]) -> Scope:
    """Return what a replay of these teams' rows needs, from the live read models."""
    # The position first: the aggregates read next were known at least that far
    # (on PostgreSQL each statement sees the newest commit; on SQLite, one snapshot).
    known_to = tracked_position(conn, RUNNER_NAME)
    return Scope(
        frozenset(team_ids), frozenset(aggregates_of(conn, team_ids)), known_to
    )


@dataclass(frozen=True)
class Replayed:
    """Read models rebuilt as they were at a moment, and the last position in them."""

    engine: Engine
    position: int


def replay_until(
    recorder: ApplicationRecorder,
    mapper: Mapper[UUID],
    read_models: Sequence[ReadModel],
    moment: datetime,
    scope: Scope | None = None,
    tables: Collection[Table] | None = None,
) -> Replayed:
    """Apply every event that happened at or before ``moment``, in log order.

    Given a ``scope``, only its aggregates' events, and those of aggregates made
    in its teams since: enough for the rows of the teams it was made for.
    Given ``tables``, only those are filled: the ones the caller will query.
    """
    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    metadata.create_all(engine)
    # Never bounded: the rows of the tables left out are only in this cache, so
    # it must stay complete to the end (the replay's database holds no more).
    cache = RowCache(max_rows=sys.maxsize)
    cache.start_empty(0)
    last_applied = 0
    known = set() if scope is None else set(scope.aggregate_ids)
    log = (
        whole_log(recorder, BATCH)
        if scope is None
        else events_of(recorder, scope.aggregate_ids, scope.known_to, BATCH)
    )
    with engine.begin() as conn:
        for notifications in log:
            events = [mapper.to_domain_event(n) for n in notifications]
            happened = [
                (notification, event)
                for notification, event in zip(notifications, events, strict=True)
                if isinstance(event, DomainEvent)
                and event.timestamp <= moment
                and (scope is None or _in_scope(event, scope, known))
            ]
            if happened:
                kept, applied = zip(*happened, strict=True)
                batch = apply_events(conn, cache, kept, applied, read_models, tables)
                batch.keep(kept[-1].id)
                last_applied = kept[-1].id
    return Replayed(engine, last_applied)


def _in_scope(event: DomainEvent, scope: Scope, known: set[UUID]) -> bool:
    """Tell if a scoped replay applies the event.

    Up to ``known_to`` the log was read for the scope's aggregates alone. Past it
    (what the read models had not seen yet) comes the whole log: there, only the
    scope's aggregates and those made in its teams since, whose later events then
    follow. Another team's event would refer to rows this replay never made.
    """
    if event.originator_id in known:
        return True
    if creates_one_of(event, scope.team_ids):
        known.add(event.originator_id)
        return True
    return False
