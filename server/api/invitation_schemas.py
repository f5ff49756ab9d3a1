"""Schemas of invitations and of accepting one."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from events.team import ROLES
from server.api.fields import link_token_field, password_field, text_field
from server.api.schemas import UserSchema


class InvitationRequestSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(1, 254))
    name = text_field(100)
    team_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "A team to join; a leader may invite into theirs."},
    )
    role = fields.String(
        load_default="rep",
        validate=validate.OneOf(ROLES),
        metadata={
            "description": "Their role in the team (only an admin names leader)."
        },
    )


class InvitationSchema(Schema):
    id = fields.UUID(metadata={"description": "The invitation (its link)."})
    user_id = fields.UUID(metadata={"description": "The account, invited until used."})
    url = fields.String(
        metadata={"description": "The one-use link to hand the person: shown once."}
    )
    expires_at = fields.AwareDateTime()
    emailed = fields.Boolean(metadata={"description": "Whether it was also emailed."})


class AcceptInvitationSchema(Schema):
    token = link_token_field("an invitation link")
    password = password_field()


class AcceptedSchema(Schema):
    user = fields.Nested(UserSchema)
    csrf_token = fields.String()
    team_id = fields.UUID(
        allow_none=True, metadata={"description": "The team to show first, if any."}
    )
