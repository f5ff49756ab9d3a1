"""Read model of endorsements, for listings by team, receiver and giver."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import (
    Column,
    Connection,
    RowMapping,
    String,
    Table,
    Text,
    Uuid,
    select,
)

from events.endorsement import SKILL_MAX, EndorsementLedger
from projections.batch import Batch
from projections.schema import metadata
from projections.sql_types import UtcDateTime

endorsements = Table(
    "endorsement_view",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("team_id", Uuid, nullable=False, index=True),
    Column("from_user_id", Uuid, nullable=False, index=True),
    Column("to_user_id", Uuid, nullable=False, index=True),
    Column("skill", String(SKILL_MAX), nullable=False),
    Column("message", Text),
    Column("week", String(8), nullable=False),
    Column("given_at", UtcDateTime, nullable=False),
)


def apply(batch: Batch, event: object) -> None:
    """Apply one event to the endorsement table (other events are ignored).

    Appended, not saved by key: no read model reads an endorsement back while
    applying events (the API finds them by id with its own query).
    """
    if not isinstance(event, EndorsementLedger.Given):
        return
    batch.append(
        endorsements,
        {
            "id": event.endorsement_id,
            "team_id": event.team_id,
            "from_user_id": event.from_user_id,
            "to_user_id": event.to_user_id,
            "skill": event.skill,
            "message": event.message,
            "week": event.week,
            "given_at": event.timestamp,
        },
    )


def list_endorsements(
    conn: Connection,
    team_ids: Sequence[UUID] | None,
    to_user_id: UUID | None = None,
    from_user_id: UUID | None = None,
) -> Sequence[RowMapping]:
    """Return endorsements in the given teams (all teams when None), newest first."""
    c = endorsements.c
    query = select(endorsements).order_by(c.given_at.desc(), c.id)
    if team_ids is not None:
        query = query.where(c.team_id.in_(team_ids))
    if to_user_id is not None:
        query = query.where(c.to_user_id == to_user_id)
    if from_user_id is not None:
        query = query.where(c.from_user_id == from_user_id)
    return conn.execute(query).mappings().all()


def find_endorsement(conn: Connection, endorsement_id: UUID) -> RowMapping | None:
    """Return one endorsement, or None when there is none with this id."""
    query = select(endorsements).where(endorsements.c.id == endorsement_id)
    return conn.execute(query).mappings().first()
