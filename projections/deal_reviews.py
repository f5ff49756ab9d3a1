"""Read model of deal reviews and the feedback each reviewer gave."""

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
    Text,
    Uuid,
    select,
)

from events.deal_review import DEAL_MAX, DealReview
from projections.batch import Batch
from projections.schema import metadata
from projections.sql_types import UtcDateTime

deal_reviews = Table(
    "deal_review_view",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("team_id", Uuid, nullable=False, index=True),
    Column("requested_by", Uuid, nullable=False, index=True),
    Column("deal", String(DEAL_MAX), nullable=False),
    Column("question", Text, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("feedback_count", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("closed_by", Uuid),
    Column("closed_at", UtcDateTime),
    Column("version", Integer, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# One row per reviewer per review: who helped whom, for recognition and points.
deal_feedback = Table(
    "deal_review_feedback_view",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("review_id", Uuid, nullable=False, index=True),
    Column("team_id", Uuid, nullable=False, index=True),
    Column("requested_by", Uuid, nullable=False),
    Column("reviewer_id", Uuid, nullable=False, index=True),
    Column("note", Text, nullable=False),
    Column("given_at", UtcDateTime, nullable=False),
)


def apply(batch: Batch, event: object) -> None:
    """Apply one event to the deal-review tables (other events are ignored)."""
    if not isinstance(event, DealReview.Event):
        return
    if isinstance(event, DealReview.Created):
        batch.save(
            deal_reviews,
            {
                "id": event.originator_id,
                "team_id": event.team_id,
                "requested_by": event.requested_by,
                "deal": event.deal,
                "question": event.question,
                "status": "open",
                "feedback_count": 0,
                "created_at": event.timestamp,
                "closed_by": None,
                "closed_at": None,
                "version": event.originator_version,
                "updated_at": event.timestamp,
            },
        )
        return
    row = batch.get(deal_reviews, event.originator_id)
    values: dict[str, Any] = {
        "version": event.originator_version,
        "updated_at": event.timestamp,
    }
    if isinstance(event, DealReview.FeedbackGiven):
        # Keyed by an id no model looks up during apply: appended, not saved.
        batch.append(
            deal_feedback,
            {
                "id": event.feedback_id,
                "review_id": event.originator_id,
                "team_id": event.team_id,
                "requested_by": event.requested_by,
                "reviewer_id": event.actor_id,
                "note": event.note,
                "given_at": event.timestamp,
            },
        )
        if row is not None:
            values["feedback_count"] = row["feedback_count"] + 1
    elif isinstance(event, DealReview.Closed):
        values.update(
            status="closed", closed_by=event.actor_id, closed_at=event.timestamp
        )
    if row is not None:
        batch.save(deal_reviews, {**row, **values})


def list_deal_reviews(
    conn: Connection,
    team_ids: Sequence[UUID] | None,
    status: str | None = None,
    requested_by: UUID | None = None,
    reviewer_id: UUID | None = None,
) -> Sequence[RowMapping]:
    """Return deal reviews in the given teams (all teams when None), newest first.

    ``reviewer_id`` keeps only the reviews that user gave feedback on.
    """
    d = deal_reviews.c
    query = select(deal_reviews).order_by(d.created_at.desc(), d.id)
    if team_ids is not None:
        query = query.where(d.team_id.in_(team_ids))
    if status is not None:
        query = query.where(d.status == status)
    if requested_by is not None:
        query = query.where(d.requested_by == requested_by)
    if reviewer_id is not None:
        f = deal_feedback.c
        reviewed = select(f.review_id).where(f.reviewer_id == reviewer_id)
        query = query.where(d.id.in_(reviewed))
    return conn.execute(query).mappings().all()
