"""Read model of each team's audit log: every event that belongs to the team.

One row per (team, position), in log order, with the event's history record, so
a leader can page through years of a team's record without loading aggregates.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Connection,
    Index,
    Integer,
    RowMapping,
    String,
    Table,
    Uuid,
    select,
)

from events.base import WolfpackEvent
from events.history import event_data, event_kind
from projections.batch import Batch
from projections.schema import metadata
from projections.sql_types import UtcDateTime
from projections.team_of import teams_of

audit_log = Table(
    "team_audit_view",
    metadata,
    # The primary key is the (team_id, position) index every query walks.
    Column("team_id", Uuid, primary_key=True),
    Column("position", BigInteger, primary_key=True),
    Column("type", String(64), nullable=False),
    Column("aggregate_id", Uuid, nullable=False),
    Column("version", Integer, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("actor_id", Uuid),
    Column("data", JSON, nullable=False),
    Index("ix_team_audit_view_actor", "team_id", "actor_id", "position"),
    Index("ix_team_audit_view_type", "team_id", "type", "position"),
    # For narrow time windows; wide ones walk the primary key (the planner picks).
    Index("ix_team_audit_view_at", "team_id", "at"),
)


def apply(batch: Batch, event: object) -> None:
    """Add the event to the audit log of every team it belongs to."""
    if not isinstance(event, WolfpackEvent):
        return
    team_ids = teams_of(batch, event)
    if not team_ids:
        return
    row = {
        "position": batch.position,
        "type": event_kind(event),
        "aggregate_id": event.originator_id,
        "version": event.originator_version,
        "at": event.timestamp,
        "actor_id": event.actor_id,
        "data": event_data(event),
    }
    for team_id in team_ids:
        batch.append(audit_log, {"team_id": team_id, **row})


def team_audit_log(
    conn: Connection,
    team_id: UUID,
    *,
    after: int = 0,
    limit: int = 100,
    start: datetime | None = None,
    end: datetime | None = None,
    actor_id: UUID | None = None,
    event_type: str | None = None,
) -> Sequence[RowMapping]:
    """Return the team's events after a position, oldest first, filtered.

    ``start`` is inclusive and ``end`` exclusive, so windows can be chained.
    """
    c = audit_log.c
    query = (
        select(audit_log)
        .where(c.team_id == team_id, c.position > after)
        .order_by(c.position)
        .limit(limit)
    )
    if start is not None:
        query = query.where(c.at >= start)
    if end is not None:
        query = query.where(c.at < end)
    if actor_id is not None:
        query = query.where(c.actor_id == actor_id)
    if event_type is not None:
        query = query.where(c.type == event_type)
    return conn.execute(query).mappings().all()
