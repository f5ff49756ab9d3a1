"""Read model of commitments, for filtered listings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    JSON,
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

from events.commitment import Commitment
from projections.batch import Batch
from projections.schema import metadata
from projections.sql_types import UtcDateTime

commitments = Table(
    "commitment_view",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("team_id", Uuid, nullable=False, index=True),
    Column("owner_id", Uuid, nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("description", Text),
    Column("status", String(16), nullable=False, index=True),
    Column("due_at", UtcDateTime, nullable=False),
    Column("witness_ids", JSON, nullable=False),
    Column("evidence", Text),
    Column("closing_reason", Text),
    Column("closed_at", UtcDateTime),
    Column("progress_count", Integer, nullable=False),
    Column("renegotiation_count", Integer, nullable=False),
    Column("call_out_count", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

_CLOSING = {
    Commitment.Kept: "kept",
    Commitment.Missed: "missed",
    Commitment.Withdrawn: "withdrawn",
}


def apply(batch: Batch, event: object) -> None:
    """Apply one event to the commitment table (other events are ignored)."""
    if not isinstance(event, Commitment.Event):
        return
    if isinstance(event, Commitment.Created):
        batch.save(
            commitments,
            {
                "id": event.originator_id,
                "team_id": event.team_id,
                "owner_id": event.owner_id,
                "title": event.title,
                "description": event.description,
                "status": "open",
                "due_at": event.due_at,
                "witness_ids": [str(w) for w in event.witness_ids],
                "evidence": None,
                "closing_reason": None,
                "closed_at": None,
                "progress_count": 0,
                "renegotiation_count": 0,
                "call_out_count": 0,
                "version": event.originator_version,
                "created_at": event.timestamp,
                "updated_at": event.timestamp,
            },
        )
        return
    row = batch.get(commitments, event.originator_id)
    if row is None:
        return
    values: dict[str, Any] = {
        "version": event.originator_version,
        "updated_at": event.timestamp,
    }
    if isinstance(event, Commitment.ProgressReported):
        values["progress_count"] = row["progress_count"] + 1
    elif isinstance(event, Commitment.Renegotiated):
        values.update(
            due_at=event.due_at, renegotiation_count=row["renegotiation_count"] + 1
        )
    elif isinstance(event, Commitment.CalledOut):
        values["call_out_count"] = row["call_out_count"] + 1
    elif isinstance(event, Commitment.Kept):
        values.update(evidence=event.evidence)
    elif isinstance(event, Commitment.Missed | Commitment.Withdrawn):
        values.update(closing_reason=event.reason)
    status = _CLOSING.get(type(event))
    if status is not None:
        values.update(status=status, closed_at=event.timestamp)
    batch.save(commitments, {**row, **values})


def list_commitments(
    conn: Connection,
    team_ids: Sequence[UUID] | None,
    owner_id: UUID | None = None,
    status: str | None = None,
    now: datetime | None = None,
) -> Sequence[RowMapping]:
    """Return commitments in the given teams (all teams when None), soonest due first.

    ``status`` is open, kept, missed, withdrawn, or overdue (open and past due).
    """
    c = commitments.c
    query = select(commitments).order_by(c.due_at, c.id)
    if team_ids is not None:
        query = query.where(c.team_id.in_(team_ids))
    if owner_id is not None:
        query = query.where(c.owner_id == owner_id)
    if status == "overdue":
        query = query.where(c.status == "open", c.due_at < now)
    elif status is not None:
        query = query.where(c.status == status)
    return conn.execute(query).mappings().all()
