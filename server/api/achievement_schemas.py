"""Schemas of the achievements API: money travels as strings, never as floats."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from events.achievement import (
    KINDS,
    MONEY_KINDS,
    NOTE_MAX,
    REASON_MAX,
    REF_MAX,
    STATUSES,
)
from server.api import patterns
from server.api.fields import Day, optional_text_field, text_field

AMOUNT_MAX_LENGTH = 40


class Amount(fields.Field[Decimal]):
    """A decimal sent as a string ("12500.00") or a whole number, returned as a string.

    A JSON float is refused: it may already have lost cents on the way in.
    """

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValidationError('Send the amount as a string, such as "12500.00".')
        if isinstance(value, str) and not 0 < len(value) <= AMOUNT_MAX_LENGTH:
            raise ValidationError(f"Must be 1 to {AMOUNT_MAX_LENGTH} characters.")
        try:
            amount = Decimal(value)
        except InvalidOperation:
            raise ValidationError("Must be a number.") from None
        if not amount.is_finite():
            raise ValidationError("Must be a number.")
        return amount

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else str(value)


class RecordAchievementSchema(Schema):
    """A money achievement has an amount and a currency; a count, neither or a count.

    Which fields a kind needs is stated as ``oneOf`` (by kind) in the document.
    """

    OPENAPI = {
        "oneOf": [
            {
                "properties": {
                    "kind": {"type": "string", "enum": sorted(MONEY_KINDS)},
                    "value": {"type": "string", "pattern": patterns.AMOUNT},
                    "currency": {"type": "string", "pattern": patterns.CURRENCY},
                },
                "required": ["value", "currency"],
            },
            {
                "properties": {
                    "kind": {
                        "type": "string",
                        "enum": [k for k in KINDS if k not in MONEY_KINDS],
                    },
                    "value": {
                        "type": "string",
                        "nullable": True,
                        "pattern": patterns.COUNT,
                    },
                    "currency": {"type": "string", "nullable": True, "enum": [None]},
                },
            },
        ]
    }

    team_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    value = Amount(
        load_default=None,
        allow_none=True,
        metadata={
            "type": "string",
            "pattern": patterns.AMOUNT,
            "description": "Money kinds (deal_won, revenue): the amount, as a "
            'string such as "12500.00", more than 0, at most 10^12, at most 4 '
            "decimal places. Other kinds: a count from 1 to 1000, 1 by default.",
        },
    )
    currency = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(
            patterns.CURRENCY, error="Must be a code such as EUR."
        ),
        metadata={"description": "ISO 4217 code; money kinds only."},
    )
    note = optional_text_field(NOTE_MAX)
    occurred_on = Day(
        load_default=None,
        allow_none=True,
        metadata={"description": "Defaults to today (UTC); a later day is 409."},
    )
    external_ref = optional_text_field(
        REF_MAX,
        metadata={
            "description": "A CRM's id for it: sent again (by anyone in the team), "
            "it records nothing and answers 200 with the first achievement."
        },
    )


class RetractSchema(Schema):
    reason = text_field(REASON_MAX)


class AchievementQuerySchema(Schema):
    team_id = fields.UUID()
    user_id = fields.UUID()
    kind = fields.String(validate=validate.OneOf(KINDS))
    status = fields.String(validate=validate.OneOf(STATUSES))


class AchievementSchema(Schema):
    id = fields.UUID()
    team_id = fields.UUID()
    user_id = fields.UUID()
    kind = fields.String()
    value = Amount(metadata={"type": "string", "example": "12500.00"})
    currency = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    occurred_on = fields.Date()
    external_ref = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": list(STATUSES)})
    verified_by = fields.UUID(allow_none=True)
    verified_at = fields.AwareDateTime(allow_none=True)
    retracted_by = fields.UUID(allow_none=True)
    retracted_at = fields.AwareDateTime(allow_none=True)
    retraction_reason = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    version = fields.Integer()
