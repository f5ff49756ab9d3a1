"""Schemas of territory plans: what comes in, validated, and what goes out."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from events.territory_plan import ACCOUNTS_MAX, NAME_MAX, SEGMENT_MAX, SUMMARY_MAX
from server.api import patterns
from server.api.fields import optional_text_field, text_field

POTENTIAL = {
    "pattern": patterns.POTENTIAL,
    "description": "A decimal string from 0 to below 10^15, with at most 2 "
    "decimal places.",
    "example": "125000.00",
}


class AccountSchema(Schema):
    name = text_field(NAME_MAX)
    segment = optional_text_field(SEGMENT_MAX)
    potential = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(1, 40),
        metadata=POTENTIAL,
    )


class SubmitPlanSchema(Schema):
    team_id = fields.UUID(required=True)
    summary = text_field(SUMMARY_MAX)
    accounts = fields.List(
        fields.Nested(AccountSchema),
        load_default=list,
        validate=validate.Length(max=ACCOUNTS_MAX),
    )


class ApprovePlanSchema(Schema):
    version = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=validate.Range(min=1),
        metadata={"description": "The plan version approved; the current if absent."},
    )


class PlanQuerySchema(Schema):
    team_id = fields.UUID()
    user_id = fields.UUID()


class PlanVersionSchema(Schema):
    number = fields.Integer()
    submitted_at = fields.AwareDateTime()


class PlanSummarySchema(Schema):
    id = fields.UUID()
    team_id = fields.UUID()
    owner_id = fields.UUID()
    current_version = fields.Integer()
    summary = fields.String()
    account_count = fields.Integer()
    submitted_at = fields.AwareDateTime(allow_none=True)
    approved_version = fields.Integer(allow_none=True)
    approved_by = fields.UUID(allow_none=True)
    approved_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    version = fields.Integer()


class PlanSchema(PlanSummarySchema):
    accounts = fields.List(fields.Nested(AccountSchema))
    versions = fields.List(fields.Nested(PlanVersionSchema))
