"""Read model of mentorships, for each person's list as mentor or mentee."""

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
    or_,
    select,
)

from events.mentorship import Mentorship
from projections.batch import Batch
from projections.schema import metadata
from projections.sql_types import UtcDateTime

mentorships = Table(
    "mentorship_view",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("mentor_id", Uuid, nullable=False, index=True),
    Column("mentee_id", Uuid, nullable=False, index=True),
    Column("goals", Text),
    Column("status", String(8), nullable=False),
    Column("started_by", Uuid, nullable=False),
    Column("check_in_count", Integer, nullable=False),
    Column("last_check_in_on", Date),
    Column("open_action_item_count", Integer, nullable=False),
    Column("unacknowledged_count", Integer, nullable=False),
    Column("end_reason", Text),
    Column("ended_at", UtcDateTime),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)


def apply(batch: Batch, event: object) -> None:
    """Apply one event to the mentorship table (other events are ignored)."""
    if not isinstance(event, Mentorship.Event):
        return
    if isinstance(event, Mentorship.Created):
        batch.save(
            mentorships,
            {
                "id": event.originator_id,
                "mentor_id": event.mentor_id,
                "mentee_id": event.mentee_id,
                "goals": event.goals,
                "status": "active",
                "started_by": event.actor_id,
                "check_in_count": 0,
                "last_check_in_on": None,
                "open_action_item_count": 0,
                "unacknowledged_count": 0,
                "end_reason": None,
                "ended_at": None,
                "version": event.originator_version,
                "created_at": event.timestamp,
                "updated_at": event.timestamp,
            },
        )
        return
    row = batch.get(mentorships, event.originator_id)
    if row is None:
        return
    values: dict[str, Any] = {
        "version": event.originator_version,
        "updated_at": event.timestamp,
    }
    if isinstance(event, Mentorship.CheckInLogged):
        last = row["last_check_in_on"]
        values.update(
            check_in_count=row["check_in_count"] + 1,
            last_check_in_on=(
                event.held_on if last is None or last < event.held_on else last
            ),
            open_action_item_count=(
                row["open_action_item_count"] + len(event.action_items)
            ),
            unacknowledged_count=row["unacknowledged_count"] + 1,
        )
    elif isinstance(event, Mentorship.ActionItemCompleted):
        values["open_action_item_count"] = row["open_action_item_count"] - 1
    elif isinstance(event, Mentorship.CheckInAcknowledged):
        values["unacknowledged_count"] = row["unacknowledged_count"] - 1
    elif isinstance(event, Mentorship.Ended):
        values.update(status="ended", end_reason=event.reason, ended_at=event.timestamp)
    batch.save(mentorships, {**row, **values})


def list_mentorships(
    conn: Connection, user_id: UUID, status: str | None = None
) -> Sequence[RowMapping]:
    """Return the mentorships the user is mentor or mentee in, newest first."""
    c = mentorships.c
    query = (
        select(mentorships)
        .where(or_(c.mentor_id == user_id, c.mentee_id == user_id))
        .order_by(c.created_at.desc(), c.id)
    )
    if status is not None:
        query = query.where(c.status == status)
    return conn.execute(query).mappings().all()
