"""Targets: proposed by reps for themselves, agreed or revised by leaders."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from events.periods import parse_period
from events.target import METRICS, Target
from projections.targets import list_targets
from server.api import patterns
from server.api.commands import changed, expected_version, history
from server.api.fields import period_field, text_field
from server.api.schemas import HistoryRecordSchema
from server.api.visibility import team_scope
from server.auth import current_actor
from server.db import db
from server.services import services

PREFIX = "/targets"
blp = Blueprint("targets", __name__, description="Targets, planned bottom-up")

PERIODS = ("month", "quarter", "year")
# Sent as a string: a float may lose cents on the way in (a number is taken too).
VALUE = {
    "type": "string",
    "pattern": patterns.AMOUNT,
    "description": 'A decimal, such as "12500.00": more than 0, at most 10^12, '
    "at most 4 decimal places.",
}


class ProposeTargetSchema(Schema):
    team_id = fields.UUID(required=True)
    metric = fields.String(required=True, validate=validate.OneOf(METRICS))
    period = period_field(PERIODS, required=True)
    value = fields.Decimal(
        required=True, as_string=True, allow_nan=False, metadata=VALUE
    )


class ReviseTargetSchema(Schema):
    value = fields.Decimal(
        required=True,
        as_string=True,
        allow_nan=False,
        metadata={**VALUE, "description": VALUE["description"] + " A new one."},
    )
    reason = text_field(2000)


class TargetQuerySchema(Schema):
    team_id = fields.UUID()
    user_id = fields.UUID()
    period = period_field(PERIODS)


class TargetSchema(Schema):
    id = fields.UUID()
    team_id = fields.UUID()
    user_id = fields.UUID()
    metric = fields.String()
    period = fields.String()
    proposed_value = fields.String()
    value = fields.String()
    status = fields.String(metadata={"description": "proposed or agreed"})
    revision_count = fields.Integer()
    decided_by = fields.UUID(allow_none=True)
    decided_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    version = fields.Integer()


def target_body(t: Target) -> dict[str, Any]:
    """Return a target's current state."""
    decided = t.status == "agreed"
    return {
        "id": t.id,
        "team_id": t.team_id,
        "user_id": t.user_id,
        "metric": t.metric,
        "period": t.period,
        "proposed_value": str(t.proposed_value),
        "value": str(t.value),
        "status": t.status,
        "revision_count": t.revision_count,
        "decided_by": t.decided_by if decided else None,
        "decided_at": t.modified_on if decided else None,
        "created_at": t.created_on,
        "updated_at": t.modified_on,
        "version": t.version,
    }


@blp.post("")
@blp.arguments(ProposeTargetSchema)
@blp.response(201, TargetSchema)
def propose(data: dict[str, Any]) -> Any:
    """Propose a target for yourself; your leader agrees or revises it."""
    change = services().events.propose_target(current_actor(), **data)
    return changed(change, target_body(change.aggregate), 201)


@blp.get("")
@blp.arguments(TargetQuerySchema, location="query")
@blp.response(200, TargetSchema(many=True))
def list_visible(query: dict[str, Any]) -> list[Any]:
    """List targets in your teams, by period."""
    team_ids = team_scope(query.get("team_id"))
    period = query.get("period")
    if period is not None:
        period = parse_period(period, PERIODS).name
    rows = list_targets(db().connection(), team_ids, query.get("user_id"), period)
    return list(rows)


@blp.get("/<uuid:target_id>")
@blp.response(200, TargetSchema)
def get(target_id: UUID) -> Any:
    """Return one target."""
    return target_body(services().events.get_target(current_actor(), target_id))


@blp.get("/<uuid:target_id>/history")
@blp.response(200, HistoryRecordSchema(many=True))
def target_history(target_id: UUID) -> list[dict[str, Any]]:
    """Return every event of the target, oldest first."""
    return history(services().events.target_history(current_actor(), target_id))


@blp.post("/<uuid:target_id>/agree")
@blp.response(200, TargetSchema)
def agree(target_id: UUID) -> Any:
    """Agree a proposed target (the team's leader)."""
    change = services().events.agree_target(
        current_actor(), target_id, expected_version()
    )
    return changed(change, target_body(change.aggregate))


@blp.post("/<uuid:target_id>/revise")
@blp.arguments(ReviseTargetSchema)
@blp.response(200, TargetSchema)
def revise(data: dict[str, Any], target_id: UUID) -> Any:
    """Set a different value with a reason; the revised value is agreed (leader)."""
    change = services().events.revise_target(
        current_actor(), target_id, data["value"], data["reason"], expected_version()
    )
    return changed(change, target_body(change.aggregate))
