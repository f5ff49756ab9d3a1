"""Schemas of password changes and reset links."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.api.fields import link_token_field, password_field


class ChangePasswordSchema(Schema):
    current_password = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(1, 1024),
        metadata={"description": "The password now: a wrong one is refused (403)."},
    )
    new_password = password_field()


class ResetLinkSchema(Schema):
    url = fields.String(
        metadata={"description": "The one-use link to hand the person: shown once."}
    )
    expires_at = fields.AwareDateTime()


class ResetPasswordSchema(Schema):
    token = link_token_field("a reset link")
    new_password = password_field()
