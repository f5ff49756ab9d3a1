"""Read model of territory plans, for listings by team and owner."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    RowMapping,
    Table,
    Text,
    Uuid,
    select,
)

from events.territory_plan import TerritoryPlan
from projections.batch import Batch
from projections.schema import metadata
from projections.sql_types import UtcDateTime

territory_plans = Table(
    "territory_plan_view",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("team_id", Uuid, nullable=False, index=True),
    Column("owner_id", Uuid, nullable=False, index=True),
    Column("current_version", Integer, nullable=False),
    Column("summary", Text, nullable=False),
    Column("account_count", Integer, nullable=False),
    Column("submitted_at", UtcDateTime),
    Column("approved_version", Integer),
    Column("approved_by", Uuid),
    Column("approved_at", UtcDateTime),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)


def apply(batch: Batch, event: object) -> None:
    """Apply one event to the territory plan table (other events are ignored)."""
    if not isinstance(event, TerritoryPlan.Event):
        return
    if isinstance(event, TerritoryPlan.Created):
        batch.save(
            territory_plans,
            {
                "id": event.originator_id,
                "team_id": event.team_id,
                "owner_id": event.owner_id,
                "current_version": 0,
                "summary": "",
                "account_count": 0,
                "submitted_at": None,
                "approved_version": None,
                "approved_by": None,
                "approved_at": None,
                "version": event.originator_version,
                "created_at": event.timestamp,
                "updated_at": event.timestamp,
            },
        )
        return
    values: dict[str, Any] = {
        "version": event.originator_version,
        "updated_at": event.timestamp,
    }
    if isinstance(event, TerritoryPlan.Submitted):
        values.update(
            current_version=event.number,
            summary=event.summary,
            account_count=len(event.accounts),
            submitted_at=event.timestamp,
            approved_version=None,
            approved_by=None,
            approved_at=None,
        )
    elif isinstance(event, TerritoryPlan.Approved):
        values.update(
            approved_version=event.number,
            approved_by=event.actor_id,
            approved_at=event.timestamp,
        )
    batch.update(territory_plans, event.originator_id, **values)


def list_territory_plans(
    conn: Connection,
    team_ids: Sequence[UUID] | None,
    owner_id: UUID | None = None,
) -> Sequence[RowMapping]:
    """Return plans in the given teams (all teams when None), oldest first."""
    c = territory_plans.c
    query = select(territory_plans).order_by(c.created_at, c.id)
    if team_ids is not None:
        query = query.where(c.team_id.in_(team_ids))
    if owner_id is not None:
        query = query.where(c.owner_id == owner_id)
    return conn.execute(query).mappings().all()
