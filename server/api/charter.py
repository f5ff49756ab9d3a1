"""The team charter: versions published by the leader, acknowledged by members."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from events.charter import CHARTER_MAX, Charter
from server.accounts import names_of
from server.api.commands import changed, expected_version, history
from server.api.fields import text_field
from server.api.schemas import HistoryRecordSchema
from server.auth import current_actor
from server.db import db
from server.services import services

PREFIX = "/teams"
blp = Blueprint("charter", __name__, description="Team charter and sign-off")


class PublishCharterSchema(Schema):
    text = text_field(CHARTER_MAX)


class AcknowledgeSchema(Schema):
    version = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1),
        metadata={"description": "The current version (an older one is 409)."},
    )


class SignatorySchema(Schema):
    user_id = fields.UUID()
    name = fields.String()
    role = fields.String()
    acknowledged_at = fields.AwareDateTime(allow_none=True)


class CharterSchema(Schema):
    team_id = fields.UUID()
    version = fields.Integer(metadata={"description": "The published version number."})
    text = fields.String()
    published_at = fields.AwareDateTime()
    published_by = fields.UUID()
    acknowledged = fields.List(fields.Nested(SignatorySchema))
    pending = fields.List(fields.Nested(SignatorySchema))


def charter_body(charter: Charter) -> dict[str, Any]:
    """Return the current version and who has and has not acknowledged it."""
    team = services().events.get_team(current_actor(), charter.team_id)
    names = names_of(db(), team.members)
    acknowledged, pending = [], []
    for user_id, role in team.members.items():
        person = {"user_id": user_id, "name": names.get(user_id, ""), "role": role}
        if charter.has_acknowledged(user_id):
            at = charter.acknowledged[user_id][1]
            acknowledged.append({**person, "acknowledged_at": at})
        else:
            pending.append({**person, "acknowledged_at": None})
    return {
        "team_id": charter.team_id,
        "version": charter.number,
        "text": charter.text,
        "published_at": charter.published_at,
        "published_by": charter.published_by,
        "acknowledged": sorted(acknowledged, key=lambda p: p["acknowledged_at"]),
        "pending": sorted(pending, key=lambda p: p["name"]),
    }


@blp.post("/<uuid:team_id>/charter")
@blp.arguments(PublishCharterSchema)
@blp.response(201, CharterSchema)
def publish(data: dict[str, Any], team_id: UUID) -> Any:
    """Publish a new charter version (the team's leader); If-Match names the current."""
    change = services().events.publish_charter(
        current_actor(), team_id, data["text"], expected_version()
    )
    return changed(change, charter_body(change.aggregate), 201)


@blp.get("/<uuid:team_id>/charter")
@blp.response(200, CharterSchema)
def get(team_id: UUID) -> Any:
    """Return the current charter with who has acknowledged it and who has not."""
    return charter_body(services().events.get_charter(current_actor(), team_id))


@blp.post("/<uuid:team_id>/charter/acknowledgements")
@blp.arguments(AcknowledgeSchema)
@blp.response(201, CharterSchema)
def acknowledge(data: dict[str, Any], team_id: UUID) -> Any:
    """Acknowledge the current charter version (team members)."""
    change = services().events.acknowledge_charter(
        current_actor(), team_id, data["version"]
    )
    return changed(change, charter_body(change.aggregate), 201)


@blp.get("/<uuid:team_id>/charter/history")
@blp.response(200, HistoryRecordSchema(many=True))
def charter_history(team_id: UUID) -> list[dict[str, Any]]:
    """Return every publication and acknowledgement, oldest first."""
    return history(services().events.charter_history(current_actor(), team_id))
