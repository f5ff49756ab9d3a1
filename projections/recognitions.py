"""Read model of recognition awards, for a team's or a person's wall."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    RowMapping,
    String,
    Table,
    Text,
    Uuid,
    select,
)

from events.recognition import TITLE_MAX, Recognition
from projections.batch import Batch
from projections.schema import metadata
from projections.sql_types import UtcDateTime

recognitions = Table(
    "recognition_view",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("team_id", Uuid, nullable=False, index=True),
    Column("from_user_id", Uuid, nullable=False, index=True),
    Column("to_user_id", Uuid, nullable=False, index=True),
    Column("title", String(TITLE_MAX), nullable=False),
    Column("message", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("given_at", UtcDateTime, nullable=False),
    Column("withdrawn_by", Uuid),
    Column("withdrawn_at", UtcDateTime),
    Column("withdrawal_reason", Text),
    Column("version", Integer, nullable=False),
)


def apply(batch: Batch, event: object) -> None:
    """Apply one event to the recognition table (other events are ignored)."""
    if isinstance(event, Recognition.Created):
        batch.save(
            recognitions,
            {
                "id": event.originator_id,
                "team_id": event.team_id,
                "from_user_id": event.from_user_id,
                "to_user_id": event.to_user_id,
                "title": event.title,
                "message": event.message,
                "status": "given",
                "given_at": event.timestamp,
                "withdrawn_by": None,
                "withdrawn_at": None,
                "withdrawal_reason": None,
                "version": event.originator_version,
            },
        )
    elif isinstance(event, Recognition.Withdrawn):
        batch.update(
            recognitions,
            event.originator_id,
            status="withdrawn",
            withdrawn_by=event.actor_id,
            withdrawn_at=event.timestamp,
            withdrawal_reason=event.reason,
            version=event.originator_version,
        )


def list_recognitions(
    conn: Connection,
    team_ids: Sequence[UUID] | None,
    to_user_id: UUID | None = None,
    from_user_id: UUID | None = None,
    status: str | None = None,
) -> Sequence[RowMapping]:
    """Return recognitions in the given teams (all teams when None), newest first."""
    r = recognitions.c
    query = select(recognitions).order_by(r.given_at.desc(), r.id)
    if team_ids is not None:
        query = query.where(r.team_id.in_(team_ids))
    if to_user_id is not None:
        query = query.where(r.to_user_id == to_user_id)
    if from_user_id is not None:
        query = query.where(r.from_user_id == from_user_id)
    if status is not None:
        query = query.where(r.status == status)
    return conn.execute(query).mappings().all()
