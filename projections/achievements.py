"""Read model of achievements, for filtered listings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Column,
    Connection,
    Date,
    Integer,
    RowMapping,
    String,
    Table,
    Text,
    Uuid,
    select,
)

from events.achievement import REF_MAX, Achievement
from projections.batch import Batch
from projections.schema import metadata
from projections.sql_types import UtcDateTime

# Amounts are kept as the exact strings they were recorded with ("12500.00"):
# no float, and no database's own rounding of numerics, ever touches money.
achievements = Table(
    "achievement_view",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("team_id", Uuid, nullable=False, index=True),
    Column("user_id", Uuid, nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("value", String(40), nullable=False),
    Column("currency", String(3)),
    Column("note", Text),
    Column("occurred_on", Date, nullable=False),
    Column("external_ref", String(REF_MAX)),
    Column("status", String(16), nullable=False),
    Column("verified_by", Uuid),
    Column("verified_at", UtcDateTime),
    Column("retracted_by", Uuid),
    Column("retracted_at", UtcDateTime),
    Column("retraction_reason", Text),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)


def apply(batch: Batch, event: object) -> None:
    """Apply one event to the achievement table (other events are ignored)."""
    if not isinstance(event, Achievement.Event):
        return
    if isinstance(event, Achievement.Created):
        batch.save(
            achievements,
            {
                "id": event.originator_id,
                "team_id": event.team_id,
                "user_id": event.user_id,
                "kind": event.kind,
                "value": str(event.value),
                "currency": event.currency,
                "note": event.note,
                "occurred_on": event.occurred_on,
                "external_ref": event.external_ref,
                "status": "recorded",
                "verified_by": None,
                "verified_at": None,
                "retracted_by": None,
                "retracted_at": None,
                "retraction_reason": None,
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
    if isinstance(event, Achievement.Verified):
        values.update(
            status="verified", verified_by=event.actor_id, verified_at=event.timestamp
        )
    elif isinstance(event, Achievement.Retracted):
        values.update(
            status="retracted",
            retracted_by=event.actor_id,
            retracted_at=event.timestamp,
            retraction_reason=event.reason,
        )
    batch.update(achievements, event.originator_id, **values)


def list_achievements(
    conn: Connection,
    team_ids: Sequence[UUID] | None,
    user_id: UUID | None = None,
    kind: str | None = None,
    status: str | None = None,
) -> Sequence[RowMapping]:
    """Return achievements in the given teams (all teams when None), newest first."""
    a = achievements.c
    query = select(achievements).order_by(
        a.occurred_on.desc(), a.created_at.desc(), a.id
    )
    if team_ids is not None:
        query = query.where(a.team_id.in_(team_ids))
    if user_id is not None:
        query = query.where(a.user_id == user_id)
    if kind is not None:
        query = query.where(a.kind == kind)
    if status is not None:
        query = query.where(a.status == status)
    return conn.execute(query).mappings().all()
