"""Schemas of performance reviews: what comes in, validated, and what goes out."""

from __future__ import annotations

from marshmallow import Schema, fields

from events.review import (
    COMMENT_MAX,
    FEEDBACK_MAX,
    REASON_MAX,
    REVIEW_PERIODS,
    SUMMARY_MAX,
)
from server.api.fields import optional_text_field, period_field, text_field


class WriteReviewSchema(Schema):
    team_id = fields.UUID(required=True)
    user_id = fields.UUID(
        required=True,
        metadata={"description": "A member of the team, not you (else 409)."},
    )
    period = period_field(REVIEW_PERIODS, required=True)
    summary = text_field(SUMMARY_MAX)
    feedback = text_field(FEEDBACK_MAX)


class ReviseReviewSchema(Schema):
    """A new summary, new feedback or both; changing neither is 409."""

    summary = text_field(SUMMARY_MAX, load_default=None, allow_none=True)
    feedback = text_field(FEEDBACK_MAX, load_default=None, allow_none=True)
    reason = text_field(REASON_MAX)


class AcknowledgeReviewSchema(Schema):
    comment = optional_text_field(COMMENT_MAX)


class ReviewQuerySchema(Schema):
    team_id = fields.UUID()
    user_id = fields.UUID()
    period = period_field(REVIEW_PERIODS)


class ReviewSchema(Schema):
    id = fields.UUID()
    team_id = fields.UUID()
    user_id = fields.UUID(metadata={"description": "The member reviewed."})
    reviewer_id = fields.UUID(metadata={"description": "Who drafted the review."})
    period = fields.String()
    summary = fields.String()
    feedback = fields.String()
    status = fields.String(metadata={"description": "draft or shared"})
    revision_count = fields.Integer()
    shared_at = fields.AwareDateTime(allow_none=True)
    acknowledged_at = fields.AwareDateTime(allow_none=True)
    acknowledgement = fields.String(
        allow_none=True, metadata={"description": "The member's comment, if any."}
    )
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    version = fields.Integer()
