"""Schemas of deal reviews: what comes in, validated, and what goes out."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from events.deal_review import DEAL_MAX, NOTE_MAX, QUESTION_MAX
from server.api.fields import text_field

DEAL_REVIEW_STATUSES = ("open", "closed")


class RequestDealReviewSchema(Schema):
    team_id = fields.UUID(required=True)
    deal = text_field(DEAL_MAX)
    question = text_field(QUESTION_MAX)


class FeedbackRequestSchema(Schema):
    note = text_field(NOTE_MAX)


class CloseDealReviewSchema(Schema):
    """A close carries no fields; an empty or absent body is fine."""


class DealReviewQuerySchema(Schema):
    team_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(DEAL_REVIEW_STATUSES))
    requested_by = fields.UUID()
    reviewer_id = fields.UUID(
        metadata={"description": "Only reviews this user gave feedback on."}
    )


class FeedbackSchema(Schema):
    id = fields.UUID()
    from_user_id = fields.UUID()
    note = fields.String()
    given_at = fields.AwareDateTime()


class DealReviewSummarySchema(Schema):
    id = fields.UUID()
    team_id = fields.UUID()
    requested_by = fields.UUID()
    deal = fields.String()
    question = fields.String()
    status = fields.String(metadata={"description": "open or closed"})
    feedback_count = fields.Integer()
    created_at = fields.AwareDateTime()
    closed_by = fields.UUID(allow_none=True)
    closed_at = fields.AwareDateTime(allow_none=True)
    version = fields.Integer()


class DealReviewSchema(DealReviewSummarySchema):
    feedback = fields.List(fields.Nested(FeedbackSchema))
