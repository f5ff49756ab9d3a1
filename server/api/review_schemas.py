"""Schemas of performance reviews: what comes in, validated, and what goes out."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from events.errors import InvalidValueError
from events.periods import parse_period
from events.review import (
    COMMENT_MAX,
    FEEDBACK_MAX,
    REASON_MAX,
    REVIEW_PERIODS,
    SUMMARY_MAX,
)

PERIOD_HELP = {"description": "A month (2026-11), quarter (2026-Q4) or year (2026)."}


def review_period(value: str) -> None:
    """Refuse a period that is not a month, quarter or year."""
    try:
        parse_period(value, REVIEW_PERIODS)
    except InvalidValueError as error:
        raise ValidationError(error.message) from None


class WriteReviewSchema(Schema):
    team_id = fields.UUID(required=True)
    user_id = fields.UUID(required=True)
    period = fields.String(required=True, metadata=PERIOD_HELP)
    summary = fields.String(required=True, validate=validate.Length(1, SUMMARY_MAX))
    feedback = fields.String(required=True, validate=validate.Length(1, FEEDBACK_MAX))


class ReviseReviewSchema(Schema):
    summary = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(1, SUMMARY_MAX)
    )
    feedback = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(1, FEEDBACK_MAX)
    )
    reason = fields.String(required=True, validate=validate.Length(1, REASON_MAX))


class AcknowledgeReviewSchema(Schema):
    comment = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=COMMENT_MAX)
    )


class ReviewQuerySchema(Schema):
    team_id = fields.UUID()
    user_id = fields.UUID()
    period = fields.String(validate=review_period, metadata=PERIOD_HELP)


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
