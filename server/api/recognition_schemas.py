"""Schemas of recognition awards: what comes in, validated, and what goes out."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from events.recognition import MESSAGE_MAX, REASON_MAX, TITLE_MAX
from server.api.fields import text_field

RECOGNITION_STATUSES = ("given", "withdrawn")


class GiveRecognitionSchema(Schema):
    team_id = fields.UUID(required=True)
    to_user_id = fields.UUID(
        required=True,
        metadata={"description": "A member of the team, not you (else 409)."},
    )
    title = text_field(TITLE_MAX)
    message = text_field(MESSAGE_MAX)


class WithdrawRecognitionSchema(Schema):
    reason = text_field(REASON_MAX)


class RecognitionQuerySchema(Schema):
    team_id = fields.UUID()
    user_id = fields.UUID(metadata={"description": "Only awards this user received."})
    from_user_id = fields.UUID(metadata={"description": "Only awards this user gave."})
    status = fields.String(validate=validate.OneOf(RECOGNITION_STATUSES))


class RecognitionSchema(Schema):
    id = fields.UUID()
    team_id = fields.UUID()
    from_user_id = fields.UUID()
    to_user_id = fields.UUID()
    title = fields.String()
    message = fields.String()
    status = fields.String(metadata={"description": "given or withdrawn"})
    given_at = fields.AwareDateTime()
    withdrawn_by = fields.UUID(allow_none=True)
    withdrawn_at = fields.AwareDateTime(allow_none=True)
    withdrawal_reason = fields.String(allow_none=True)
    version = fields.Integer()
