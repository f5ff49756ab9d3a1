"""Schemas of peer endorsements, the team's limits and the giver's allowance."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from events.endorsement import (
    ALLOWANCE_RANGE,
    MESSAGE_MAX,
    PER_RECEIVER_SKILL_RANGE,
    SKILL_MAX,
)
from server.api import patterns
from server.api.fields import Matches, optional_text_field


class GiveEndorsementSchema(Schema):
    team_id = fields.UUID(required=True)
    to_user_id = fields.UUID(
        required=True,
        metadata={"description": "A member of the team, not you (else 409)."},
    )
    skill = fields.String(
        required=True,
        validate=[
            validate.Length(1, SKILL_MAX),
            Matches(
                patterns.SKILL,
                error="Use letters and digits, with spaces or - + # . & / between.",
            ),
        ],
        metadata={
            "description": "Kept as a tag: lower case, inner spaces as one "
            '"-" (e.g. "Cold calling" → "cold-calling").'
        },
    )
    message = optional_text_field(MESSAGE_MAX)


class EndorsementQuerySchema(Schema):
    team_id = fields.UUID()
    user_id = fields.UUID(metadata={"description": "Endorsements this user received."})
    from_user_id = fields.UUID(metadata={"description": "Endorsements this user gave."})


class EndorsementSchema(Schema):
    id = fields.UUID()
    team_id = fields.UUID()
    from_user_id = fields.UUID()
    to_user_id = fields.UUID()
    skill = fields.String()
    message = fields.String(allow_none=True)
    week = fields.String(metadata={"description": "The giver's ISO week: 2026-W48."})
    given_at = fields.AwareDateTime()


class AllowanceQuerySchema(Schema):
    team_id = fields.UUID(
        metadata={"description": "One of your teams; all of them when left out."}
    )


class GivenThisWeekSchema(Schema):
    to_user_id = fields.UUID()
    skill = fields.String()


class AllowanceSchema(Schema):
    team_id = fields.UUID()
    team_name = fields.String()
    week = fields.String()
    weekly_allowance = fields.Integer()
    used = fields.Integer()
    remaining = fields.Integer()
    per_receiver_skill_weekly = fields.Integer()
    given_this_week = fields.List(fields.Nested(GivenThisWeekSchema))
    renews_on = fields.Date(metadata={"description": "The Monday it starts again."})


class PolicyRequestSchema(Schema):
    weekly_allowance = fields.Integer(
        required=True, strict=True, validate=validate.Range(*ALLOWANCE_RANGE)
    )
    per_receiver_skill_weekly = fields.Integer(
        required=True, strict=True, validate=validate.Range(*PER_RECEIVER_SKILL_RANGE)
    )


class PolicySchema(Schema):
    team_id = fields.UUID()
    weekly_allowance = fields.Integer(
        metadata={"description": "Endorsements each member may give per week."}
    )
    per_receiver_skill_weekly = fields.Integer(
        metadata={"description": "Per giver, receiver and skill, per week."}
    )
    version = fields.Integer(metadata={"description": "0 while the defaults apply."})
    changed_at = fields.AwareDateTime(allow_none=True)
    changed_by = fields.UUID(allow_none=True)
