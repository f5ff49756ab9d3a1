"""Badge definitions, and the badges a person earned, now or as of a past moment."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from projections import badges
from projections.badge_rules import BADGES, COUNTERS
from server.api.fields import Moment
from server.api.time_travel import PastView, read_models_as_of
from server.api.visibility import person_scope

# Paths under two roots (/badges and /users/...), so the blueprint sits at the root.
PREFIX = ""
blp = Blueprint("badges", __name__, description="Badges: definitions and awards")

# What a past badge list is replayed through: badges keep their own record of
# teams and sources, so they need no other read model; the list reads awards.
BADGE = PastView(read_models=(badges,), tables=(badges.awards,))


class BadgeDefinitionSchema(Schema):
    key = fields.String()
    name = fields.String()
    description = fields.String()
    kind = fields.String(
        metadata={"enum": ["first_time", "count", "threshold", "streak"]}
    )
    counter = fields.String(metadata={"description": "What the badge counts."})
    counts = fields.String(metadata={"description": "The counter, explained."})
    tiers = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        allow_none=True,
        metadata={"description": "Values for bronze, silver and gold; or null."},
    )
    threshold = fields.Integer(
        allow_none=True,
        metadata={"description": "The one value needed, for an untiered badge."},
    )


class BadgeQuerySchema(Schema):
    team_id = fields.UUID(
        metadata={"description": "One team; else every team the caller can see."}
    )
    as_of = Moment(
        metadata={"description": "Replay up to this moment (one after now is 409)."}
    )


class AwardSchema(Schema):
    badge = fields.String()
    name = fields.String()
    tier = fields.String(
        allow_none=True, metadata={"enum": ["bronze", "silver", "gold", None]}
    )
    awarded_at = fields.AwareDateTime(
        metadata={"description": "When the event that earned it happened."}
    )
    team_id = fields.UUID()
    source_ids = fields.List(
        fields.UUID(), metadata={"description": "The things that earned it."}
    )


@blp.get("/badges")
@blp.response(200, BadgeDefinitionSchema(many=True))
def badge_definitions() -> list[dict[str, Any]]:
    """List every badge that can be earned, with its tiers or threshold."""
    return [{**asdict(b), "counts": COUNTERS[b.counter]} for b in BADGES]


@blp.get("/users/<uuid:user_id>/badges")
@blp.arguments(BadgeQuerySchema, location="query")
@blp.response(200, AwardSchema(many=True))
def user_badges(query: dict[str, Any], user_id: UUID) -> list[dict[str, Any]]:
    """List a person's badges, earliest first, in the teams the caller may see."""
    team_ids = person_scope(user_id, query.get("team_id"))
    with read_models_as_of(query.get("as_of"), BADGE, team_ids) as (conn, _):
        return badges.awards_of(conn, user_id, team_ids)
