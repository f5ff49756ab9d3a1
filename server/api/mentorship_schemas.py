"""Marshmallow schemas of mentorships, their check-ins and action items."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from events.mentorship import CONFIDENCE, ITEM_MAX, ITEMS_MAX, TEXT_MAX
from server.api.fields import Day, optional_text_field, text_field

STATUSES = ("active", "ended")


class StartMentorshipSchema(Schema):
    mentor_id = fields.UUID(required=True)
    mentee_id = fields.UUID(
        required=True, metadata={"description": "Not the mentor (else 409)."}
    )
    goals = optional_text_field(TEXT_MAX)


class LogCheckInSchema(Schema):
    held_on = Day(
        required=True, metadata={"description": "Today or earlier (else 409)."}
    )
    notes = text_field(TEXT_MAX)
    confidence = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(CONFIDENCE.start, CONFIDENCE.stop - 1),
    )
    action_items = fields.List(
        text_field(ITEM_MAX),
        load_default=list,
        validate=validate.Length(max=ITEMS_MAX),
    )


class EndMentorshipSchema(Schema):
    reason = text_field(TEXT_MAX)


class MentorshipQuerySchema(Schema):
    user_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(STATUSES))


class ActionItemSchema(Schema):
    id = fields.UUID()
    text = fields.String()
    done = fields.Boolean()
    done_at = fields.AwareDateTime(allow_none=True)
    done_by = fields.UUID(allow_none=True)


class CheckInSchema(Schema):
    id = fields.UUID()
    mentorship_id = fields.UUID()
    held_on = fields.Date()
    notes = fields.String()
    confidence = fields.Integer()
    action_items = fields.List(fields.Nested(ActionItemSchema))
    acknowledged_at = fields.AwareDateTime(allow_none=True)
    logged_at = fields.AwareDateTime()


class MentorshipSummarySchema(Schema):
    id = fields.UUID()
    mentor_id = fields.UUID()
    mentee_id = fields.UUID()
    goals = fields.String(allow_none=True)
    status = fields.String()
    started_by = fields.UUID()
    check_in_count = fields.Integer()
    last_check_in_on = fields.Date(allow_none=True)
    open_action_item_count = fields.Integer()
    unacknowledged_count = fields.Integer()
    end_reason = fields.String(allow_none=True)
    ended_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    version = fields.Integer()


class MentorshipSchema(MentorshipSummarySchema):
    ended_by = fields.UUID(allow_none=True)
    check_ins = fields.List(fields.Nested(CheckInSchema))
