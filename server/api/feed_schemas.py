"""Schemas of the team feed and the team audit log."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.api.fields import POSITIONS, Moment

FEED_LIMIT_MAX = 200
AUDIT_LIMIT_MAX = 500


class FeedQuerySchema(Schema):
    before = fields.Integer(
        validate=validate.Range(min=1, max=POSITIONS.max),
        metadata={"description": "Only items before this position (next page)."},
    )
    limit = fields.Integer(load_default=50, validate=validate.Range(1, FEED_LIMIT_MAX))


class FeedItemSchema(Schema):
    position = fields.Integer(metadata={"description": "Event-store position."})
    type = fields.String()
    actor_id = fields.UUID()
    actor_name = fields.String()
    subject_id = fields.UUID(allow_none=True)
    text = fields.String()
    at = fields.AwareDateTime()


class AuditQuerySchema(Schema):
    start = Moment(
        data_key="from", metadata={"description": "From this time on (inclusive)."}
    )
    end = Moment(
        data_key="to",
        metadata={
            "description": "Before this time (exclusive): a window that ends "
            "where it starts, or earlier, holds no events."
        },
    )
    actor_id = fields.UUID()
    event_type = fields.String(
        data_key="type",
        validate=validate.Length(1, 64),
        metadata={"description": "An event type, such as CommitmentKept."},
    )
    after = fields.Integer(
        load_default=0,
        validate=POSITIONS,
        metadata={"description": "Only events after this position (next page)."},
    )
    limit = fields.Integer(
        load_default=100, validate=validate.Range(1, AUDIT_LIMIT_MAX)
    )


class AuditRecordSchema(Schema):
    position = fields.Integer(metadata={"description": "Event-store position."})
    type = fields.String()
    aggregate_id = fields.UUID()
    version = fields.Integer()
    at = fields.AwareDateTime()
    actor_id = fields.UUID(allow_none=True)
    data = fields.Dict()
