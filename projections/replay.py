"""Time travel: replay the log up to a moment into a private in-memory database.

The same read models that keep the live tables build the past ones, so a board
"as of" a moment is what the live board showed then — never an estimate from
today's rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import ApplicationRecorder, Mapper
from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import StaticPool

from projections.batch import RowCache
from projections.runner import ReadModel, apply_events
from projections.schema import metadata

BATCH = 1000


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
) -> Replayed:
    """Apply every event that happened at or before ``moment``, in log order."""
    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    metadata.create_all(engine)
    cache = RowCache()
    cache.start_empty(0)
    position = last_applied = 0
    with engine.begin() as conn:
        while notifications := recorder.select_notifications(
            start=position + 1, limit=BATCH
        ):
            events = [mapper.to_domain_event(n) for n in notifications]
            happened = [
                (notification, event)
                for notification, event in zip(notifications, events, strict=True)
                if isinstance(event, DomainEvent) and event.timestamp <= moment
            ]
            if happened:
                kept, applied = zip(*happened, strict=True)
                apply_events(conn, cache, kept, applied, read_models).keep(kept[-1].id)
                last_applied = kept[-1].id
            position = notifications[-1].id
    return Replayed(engine, last_applied)
