"""Read model of performance reviews, for listings by member, team and period."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Integer,
    RowMapping,
    String,
    Table,
    Text,
    Uuid,
    and_,
    or_,
    select,
)

from events.review import Review
from projections.batch import Batch
from projections.schema import metadata
from projections.sql_types import UtcDateTime

reviews = Table(
    "review_view",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("team_id", Uuid, nullable=False, index=True),
    Column("user_id", Uuid, nullable=False, index=True),
    Column("reviewer_id", Uuid, nullable=False),
    Column("period", String(10), nullable=False, index=True),
    Column("summary", Text, nullable=False),
    Column("feedback", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("revision_count", Integer, nullable=False),
    Column("shared_at", UtcDateTime),
    Column("acknowledged_at", UtcDateTime),
    Column("acknowledgement", Text),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)


@dataclass(frozen=True)
class Viewer:
    """Who is asking, as the listing's visibility rule needs them."""

    user_id: UUID
    is_admin: bool = False
    led_team_ids: Sequence[UUID] = field(default_factory=list)
    member_team_ids: Sequence[UUID] = field(default_factory=list)


def apply(batch: Batch, event: object) -> None:
    """Apply one event to the review table (other events are ignored)."""
    if not isinstance(event, Review.Event):
        return
    if isinstance(event, Review.Created):
        batch.save(
            reviews,
            {
                "id": event.originator_id,
                "team_id": event.team_id,
                "user_id": event.user_id,
                "reviewer_id": event.actor_id,
                "period": event.period,
                "summary": event.summary,
                "feedback": event.feedback,
                "status": "draft",
                "revision_count": 0,
                "shared_at": None,
                "acknowledged_at": None,
                "acknowledgement": None,
                "version": event.originator_version,
                "created_at": event.timestamp,
                "updated_at": event.timestamp,
            },
        )
        return
    row = batch.get(reviews, event.originator_id)
    if row is None:
        return
    values: dict[str, Any] = {
        "version": event.originator_version,
        "updated_at": event.timestamp,
    }
    if isinstance(event, Review.Revised):
        values.update(
            summary=event.summary,
            feedback=event.feedback,
            revision_count=row["revision_count"] + 1,
        )
    elif isinstance(event, Review.Shared):
        values.update(status="shared", shared_at=event.timestamp)
    elif isinstance(event, Review.Acknowledged):
        values.update(acknowledged_at=event.timestamp, acknowledgement=event.comment)
    batch.save(reviews, {**row, **values})


def list_reviews(
    conn: Connection,
    viewer: Viewer,
    team_id: UUID | None = None,
    user_id: UUID | None = None,
    period: str | None = None,
) -> Sequence[RowMapping]:
    """Return the reviews the viewer may see, filtered, oldest first.

    The same rule as ``Review.visible_to``: the reviewed member sees shared
    reviews of themself; leaders see their teams'; reviewers what they wrote.
    """
    c = reviews.c
    query = select(reviews).order_by(c.created_at, c.id)
    if not viewer.is_admin:
        query = query.where(_visible(viewer))
    if team_id is not None:
        query = query.where(c.team_id == team_id)
    if user_id is not None:
        query = query.where(c.user_id == user_id)
    if period is not None:
        query = query.where(c.period == period)
    return conn.execute(query).mappings().all()


def _visible(viewer: Viewer) -> ColumnElement[bool]:
    c = reviews.c
    return or_(
        and_(c.user_id == viewer.user_id, c.status == "shared"),
        and_(
            c.user_id != viewer.user_id,
            or_(
                c.team_id.in_(viewer.led_team_ids),
                and_(
                    c.reviewer_id == viewer.user_id,
                    c.team_id.in_(viewer.member_team_ids),
                ),
            ),
        ),
    )
