"""Deal reviews: a rep asks about a deal, teammates give feedback, then it closes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint

from events.application import Change
from events.deal_review import DealReview
from projections.deal_reviews import list_deal_reviews
from server.api.commands import changed, expected_version, history
from server.api.deal_review_schemas import (
    CloseDealReviewSchema,
    DealReviewQuerySchema,
    DealReviewSchema,
    DealReviewSummarySchema,
    FeedbackRequestSchema,
    RequestDealReviewSchema,
)
from server.api.schemas import HistoryRecordSchema
from server.api.visibility import team_scope
from server.auth import current_actor
from server.db import db
from server.services import services

PREFIX = "/deal-reviews"
blp = Blueprint("deal_reviews", __name__, description="Deal reviews")


def deal_review_body(r: DealReview) -> dict[str, Any]:
    """Return a deal review with every piece of feedback, oldest first."""
    return {
        "id": r.id,
        "team_id": r.team_id,
        "requested_by": r.requested_by,
        "deal": r.deal,
        "question": r.question,
        "status": r.status,
        "feedback_count": len(r.feedback),
        "feedback": [
            {
                "id": f.id,
                "from_user_id": f.from_user_id,
                "note": f.note,
                "given_at": f.given_at,
            }
            for f in r.feedback
        ],
        "created_at": r.created_on,
        "closed_by": r.closed_by,
        "closed_at": r.closed_at,
        "version": r.version,
    }


def _answer(change: Change[DealReview], status: int = 200) -> Any:
    return changed(change, deal_review_body(change.aggregate), status)


@blp.post("")
@blp.arguments(RequestDealReviewSchema)
@blp.response(201, DealReviewSchema)
def request_review(data: dict[str, Any]) -> Any:
    """Ask your team for feedback on a deal."""
    change = services().events.request_deal_review(current_actor(), **data)
    return _answer(change, 201)


@blp.get("")
@blp.arguments(DealReviewQuerySchema, location="query")
@blp.response(200, DealReviewSummarySchema(many=True))
def list_visible(query: dict[str, Any]) -> Any:
    """List deal reviews in the caller's teams (all, for admins), newest first."""
    team_ids = team_scope(query.get("team_id"))
    return list_deal_reviews(
        db().connection(),
        team_ids,
        query.get("status"),
        query.get("requested_by"),
        query.get("reviewer_id"),
    )


@blp.get("/<uuid:review_id>")
@blp.response(200, DealReviewSchema)
def get(review_id: UUID) -> Any:
    """Return one deal review with its feedback."""
    r = services().events.get_deal_review(current_actor(), review_id)
    return deal_review_body(r), {"ETag": f'"{r.version}"'}


@blp.get("/<uuid:review_id>/history")
@blp.response(200, HistoryRecordSchema(many=True))
def deal_review_history(review_id: UUID) -> list[dict[str, Any]]:
    """Return every event ever recorded for the deal review, oldest first."""
    return history(services().events.deal_review_history(current_actor(), review_id))


@blp.post("/<uuid:review_id>/feedback")
@blp.arguments(FeedbackRequestSchema)
@blp.response(200, DealReviewSchema)
def feedback(data: dict[str, Any], review_id: UUID) -> Any:
    """Give your feedback on a teammate's open deal review, once."""
    return _answer(
        services().events.give_deal_feedback(
            current_actor(), review_id, data["note"], expected_version()
        )
    )


@blp.post("/<uuid:review_id>/close")
@blp.arguments(CloseDealReviewSchema)
@blp.response(200, DealReviewSchema)
def close(data: dict[str, Any], review_id: UUID) -> Any:
    """Close a deal review (its requester, the team's leader or an admin)."""
    return _answer(
        services().events.close_deal_review(
            current_actor(), review_id, expected_version()
        )
    )
