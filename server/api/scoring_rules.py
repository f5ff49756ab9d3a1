"""A team's scoring rules: versioned data the leader publishes, defaults until then."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from events.scoring import DEFAULT_RULES, POINTS_LIMIT, RULE_KEYS, ScoringRules
from server.api.commands import changed, expected_version, history
from server.api.fields import optional_text_field
from server.api.schemas import HistoryRecordSchema
from server.auth import current_actor
from server.services import services

PREFIX = "/teams"
blp = Blueprint("scoring_rules", __name__, description="Scoring rules, versioned")


# One field per rule key, each a whole number of points within the limits.
RulePointsSchema = Schema.from_dict(
    {
        key: fields.Integer(
            strict=True, validate=validate.Range(-POINTS_LIMIT, POINTS_LIMIT)
        )
        for key in sorted(RULE_KEYS)
    },
    name="RulePoints",
)


class PublishRulesSchema(Schema):
    points = fields.Nested(
        RulePointsSchema,
        required=True,
        metadata={"description": "Points per rule key; keys left out keep defaults."},
    )
    note = optional_text_field(2000)


class RulesSchema(Schema):
    team_id = fields.UUID()
    version = fields.Integer(metadata={"description": "0 while the defaults apply."})
    points = fields.Dict(keys=fields.String(), values=fields.Integer())
    note = fields.String(allow_none=True)
    published_at = fields.AwareDateTime(allow_none=True)
    published_by = fields.UUID(allow_none=True)


def rules_body(team_id: UUID, rules: ScoringRules | None) -> dict[str, Any]:
    """Return the rules in force: the published version, else the defaults."""
    if rules is None:
        return {"team_id": team_id, "version": 0, "points": dict(DEFAULT_RULES)}
    return {
        "team_id": team_id,
        "version": rules.number,
        "points": rules.points,
        "note": rules.note,
        "published_at": rules.published_at,
        "published_by": rules.published_by,
    }


@blp.get("/<uuid:team_id>/scoring-rules")
@blp.response(200, RulesSchema)
def get(team_id: UUID) -> Any:
    """Return the team's scoring rules in force."""
    rules = services().events.get_scoring_rules(current_actor(), team_id)
    return rules_body(team_id, rules)


@blp.post("/<uuid:team_id>/scoring-rules")
@blp.arguments(PublishRulesSchema)
@blp.response(201, RulesSchema)
def publish(data: dict[str, Any], team_id: UUID) -> Any:
    """Publish a new version (the team's leader); If-Match names the current one."""
    change = services().events.publish_scoring_rules(
        current_actor(), team_id, data["points"], data["note"], expected_version()
    )
    return changed(change, rules_body(team_id, change.aggregate), 201)


@blp.get("/<uuid:team_id>/scoring-rules/history")
@blp.response(200, HistoryRecordSchema(many=True))
def rules_history(team_id: UUID) -> list[dict[str, Any]]:
    """Return every published version, oldest first."""
    return history(services().events.scoring_rules_history(current_actor(), team_id))
