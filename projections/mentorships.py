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
    case,
    or_,
    select,
)

from events.mentorship import Mentorship
from projections.schema import UtcDateTime, metadata

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


def apply(conn: Connection, event: object) -> None:
    """Apply one event to the mentorship table (other events are ignored)."""
    if not isinstance(event, Mentorship.Event):
        return
    if isinstance(event, Mentorship.Created):
        conn.execute(
            mentorships.insert().values(
                id=event.originator_id,
                mentor_id=event.mentor_id,
                mentee_id=event.mentee_id,
                goals=event.goals,
                status="active",
                started_by=event.actor_id,
                check_in_count=0,
                open_action_item_count=0,
                unacknowledged_count=0,
                version=event.originator_version,
                created_at=event.timestamp,
                updated_at=event.timestamp,
            )
        )
        return
    c = mentorships.c
    values: dict[str, Any] = {
        "version": event.originator_version,
        "updated_at": event.timestamp,
    }
    if isinstance(event, Mentorship.CheckInLogged):
        later = c.last_check_in_on.is_(None) | (c.last_check_in_on < event.held_on)
        values.update(
            check_in_count=c.check_in_count + 1,
            last_check_in_on=case((later, event.held_on), else_=c.last_check_in_on),
            open_action_item_count=c.open_action_item_count + len(event.action_items),
            unacknowledged_count=c.unacknowledged_count + 1,
        )
    elif isinstance(event, Mentorship.ActionItemCompleted):
        values["open_action_item_count"] = c.open_action_item_count - 1
    elif isinstance(event, Mentorship.CheckInAcknowledged):
        values["unacknowledged_count"] = c.unacknowledged_count - 1
    elif isinstance(event, Mentorship.Ended):
        values.update(status="ended", end_reason=event.reason, ended_at=event.timestamp)
    conn.execute(mentorships.update().where(c.id == event.originator_id).values(values))


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
