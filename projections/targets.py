"""Read model of targets, for listings by team, person and period."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    RowMapping,
    String,
    Table,
    Uuid,
    select,
)

from events.target import Target
from projections.batch import Batch
from projections.schema import metadata
from projections.sql_types import UtcDateTime

targets = Table(
    "target_view",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("team_id", Uuid, nullable=False, index=True),
    Column("user_id", Uuid, nullable=False, index=True),
    Column("metric", String(40), nullable=False),
    Column("period", String(10), nullable=False, index=True),
    # Decimals as text: exact on every database (SQLite has no decimal type).
    Column("proposed_value", String(40), nullable=False),
    Column("value", String(40), nullable=False),
    Column("status", String(16), nullable=False),
    Column("revision_count", Integer, nullable=False),
    Column("decided_by", Uuid),
    Column("decided_at", UtcDateTime),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)


def apply(batch: Batch, event: object) -> None:
    """Apply one event to the target table (other events are ignored)."""
    if not isinstance(event, Target.Event):
        return
    if isinstance(event, Target.Created):
        value = str(event.value)
        batch.save(
            targets,
            {
                "id": event.originator_id,
                "team_id": event.team_id,
                "user_id": event.user_id,
                "metric": event.metric,
                "period": event.period,
                "proposed_value": value,
                "value": value,
                "status": "proposed",
                "revision_count": 0,
                "decided_by": None,
                "decided_at": None,
                "version": event.originator_version,
                "created_at": event.timestamp,
                "updated_at": event.timestamp,
            },
        )
        return
    row = batch.get(targets, event.originator_id)
    if row is None:
        return
    values: dict[str, Any] = {
        "status": "agreed",
        "decided_by": event.actor_id,
        "decided_at": event.timestamp,
        "version": event.originator_version,
        "updated_at": event.timestamp,
    }
    if isinstance(event, Target.Revised):
        values.update(value=str(event.value), revision_count=row["revision_count"] + 1)
    batch.save(targets, {**row, **values})


def list_targets(
    conn: Connection,
    team_ids: Sequence[UUID] | None,
    user_id: UUID | None = None,
    period: str | None = None,
) -> Sequence[RowMapping]:
    """Return targets in the given teams (all when None), by period then metric."""
    c = targets.c
    query = select(targets).order_by(c.period, c.user_id, c.metric)
    if team_ids is not None:
        query = query.where(c.team_id.in_(team_ids))
    if user_id is not None:
        query = query.where(c.user_id == user_id)
    if period is not None:
        query = query.where(c.period == period)
    return conn.execute(query).mappings().all()
