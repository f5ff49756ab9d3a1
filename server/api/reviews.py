"""Performance reviews: a leader drafts, revises and shares; the member acknowledges."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint

from events.application import Change
from events.review import Review
from projections.reviews import Viewer, list_reviews
from projections.teams import memberships
from server.api.commands import changed, expected_version, history
from server.api.review_schemas import (
    AcknowledgeReviewSchema,
    ReviewQuerySchema,
    ReviewSchema,
    ReviseReviewSchema,
    WriteReviewSchema,
)
from server.api.schemas import HistoryRecordSchema
from server.api.visibility import team_scope
from server.auth import current_actor, current_user
from server.db import db
from server.services import services

PREFIX = "/reviews"
blp = Blueprint("reviews", __name__, description="Performance reviews")


def review_body(r: Review) -> dict[str, Any]:
    """Return a review's current state."""
    return {
        "id": r.id,
        "team_id": r.team_id,
        "user_id": r.user_id,
        "reviewer_id": r.reviewer_id,
        "period": r.period,
        "summary": r.summary,
        "feedback": r.feedback,
        "status": r.status,
        "revision_count": r.revision_count,
        "shared_at": r.shared_at,
        "acknowledged_at": r.acknowledged_at,
        "acknowledgement": r.acknowledgement,
        "created_at": r.created_on,
        "updated_at": r.modified_on,
        "version": r.version,
    }


def _answer(change: Change[Review], status: int = 200) -> Any:
    return changed(change, review_body(change.aggregate), status)


@blp.post("")
@blp.arguments(WriteReviewSchema)
@blp.response(201, ReviewSchema)
def write(data: dict[str, Any]) -> Any:
    """Draft a review of a team member for a month, quarter or year (leaders)."""
    return _answer(services().events.write_review(current_actor(), **data), 201)


@blp.get("")
@blp.arguments(ReviewQuerySchema, location="query")
@blp.response(200, ReviewSchema(many=True))
def list_visible(query: dict[str, Any]) -> list[Any]:
    """List the reviews you may see; by default your own shared reviews."""
    user = current_user()
    if "team_id" in query:
        team_scope(query["team_id"])
    elif "user_id" not in query:
        query["user_id"] = user.id
    # Reviews in archived teams stay readable.
    teams = memberships(db().connection(), user.id, archived=True)
    viewer = Viewer(
        user.id,
        user.is_admin,
        led_team_ids=[t["id"] for t in teams if t["role"] == "leader"],
        member_team_ids=[t["id"] for t in teams],
    )
    return list(list_reviews(db().connection(), viewer, **query))


@blp.get("/<uuid:review_id>")
@blp.response(200, ReviewSchema)
def get(review_id: UUID) -> Any:
    """Return one review."""
    r = services().events.get_review(current_actor(), review_id)
    return review_body(r), {"ETag": f'"{r.version}"'}


@blp.get("/<uuid:review_id>/history")
@blp.response(200, HistoryRecordSchema(many=True))
def review_history(review_id: UUID) -> list[dict[str, Any]]:
    """Return every event ever recorded for the review, oldest first."""
    return history(services().events.review_history(current_actor(), review_id))


@blp.post("/<uuid:review_id>/revise")
@blp.arguments(ReviseReviewSchema)
@blp.response(200, ReviewSchema)
def revise(data: dict[str, Any], review_id: UUID) -> Any:
    """Rewrite a draft's summary or feedback, saying why (reviewer or leader)."""
    return _answer(
        services().events.revise_review(
            current_actor(), review_id, **data, expected_version=expected_version()
        )
    )


@blp.post("/<uuid:review_id>/share")
@blp.response(200, ReviewSchema)
def share(review_id: UUID) -> Any:
    """Share a draft review with the member reviewed (leaders)."""
    return _answer(
        services().events.share_review(current_actor(), review_id, expected_version())
    )


@blp.post("/<uuid:review_id>/acknowledge")
@blp.arguments(AcknowledgeReviewSchema)
@blp.response(200, ReviewSchema)
def acknowledge(data: dict[str, Any], review_id: UUID) -> Any:
    """Acknowledge a shared review of yourself, with an optional comment."""
    return _answer(
        services().events.acknowledge_review(
            current_actor(), review_id, data["comment"], expected_version()
        )
    )
