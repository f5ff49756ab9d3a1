"""A stand-in event log for read-model tests: numbered events into ``apply``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from eventsourcing.domain import Aggregate
from sqlalchemy import Connection, create_engine

from events.base import Actor
from events.team import Team
from projections import audit, feed, team_of, teams
from projections.batch import Batch
from projections.runner import ReadModel
from projections.schema import metadata
from tests.unit.support import person

NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)

# The models the feed and audit need, in the runner's order.
FEED_AND_AUDIT: tuple[ReadModel, ...] = (teams, team_of, audit, feed)


def project(
    conn: Connection,
    models: Sequence[ReadModel],
    events: Iterable[object],
    position: int = 0,
) -> int:
    """Apply events numbered after ``position`` as the runner does; return the last."""
    batch = Batch(conn)
    for event in events:
        position += 1
        batch.position = position
        for model in models:
            model.apply(batch, event)
    batch.flush()
    return position


class EventLog:
    """Read models on an in-memory SQLite database, fed events as the runner does."""

    def __init__(self, models: tuple[ReadModel, ...] = FEED_AND_AUDIT) -> None:
        self.engine = create_engine("sqlite://")
        metadata.create_all(self.engine)
        self.models = models
        self.position = 0

    def record(self, *aggregates: Aggregate) -> list[int]:
        """Apply the aggregates' new events, one position each; return them."""
        positions = []
        for aggregate in aggregates:
            for event in aggregate.collect_events():
                with self.engine.begin() as conn:
                    self.position = project(conn, self.models, [event], self.position)
                positions.append(self.position)
        return positions

    def skip(self, count: int) -> None:
        """Leave a gap in the positions, as a rolled-back save does in the store."""
        self.position += count

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """Yield a connection for the read models' queries."""
        with self.engine.connect() as conn:
            yield conn


@dataclass
class Crew:
    """North (leader, rep, peer) and South (the outsider), recorded in a log."""

    log: EventLog
    admin: Actor
    leader: Actor
    rep: Actor
    peer: Actor
    outsider: Actor
    north: Team
    south: Team


def recorded_crew() -> Crew:
    """Record two teams and their people in a fresh log."""
    admin = person(is_admin=True)
    leader, rep, peer, outsider = (person() for _ in range(4))
    north = Team.create(admin, "North", "UTC", NOW)
    north.add_member(admin, leader.user_id, "leader", NOW)
    for member in (rep, peer):
        north.add_member(admin, member.user_id, "rep", NOW)
    south = Team.create(admin, "South", "UTC", NOW)
    south.add_member(admin, outsider.user_id, "rep", NOW)
    log = EventLog()
    log.record(north, south)
    return Crew(log, admin, leader, rep, peer, outsider, north, south)
