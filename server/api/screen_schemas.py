"""Schemas of team-screen tokens."""

from __future__ import annotations

from marshmallow import Schema, fields

from server.api.fields import text_field


class ScreenTokenRequestSchema(Schema):
    name = text_field(100)


class ScreenTokenSchema(Schema):
    id = fields.UUID()
    team_id = fields.UUID()
    name = fields.String()
    created_at = fields.AwareDateTime()
    revoked_at = fields.AwareDateTime(allow_none=True)


class NewScreenTokenSchema(ScreenTokenSchema):
    token = fields.String(metadata={"description": "The secret: shown only once."})
