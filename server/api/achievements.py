"""Achievements: recorded by team members, verified or retracted by their leader."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint

from events.achievement import Achievement
from events.application import Change
from projections.achievements import list_achievements
from projections.teams import team_ids_of
from server.api.achievement_schemas import (
    AchievementQuerySchema,
    AchievementSchema,
    RecordAchievementSchema,
    RetractSchema,
)
from server.api.commands import changed, expected_version, history
from server.api.schemas import HistoryRecordSchema
from server.auth import current_actor, current_user
from server.db import db
from server.services import services

PREFIX = "/achievements"
blp = Blueprint("achievements", __name__, description="Achievements")


def achievement_body(a: Achievement) -> dict[str, Any]:
    """Return an achievement's current state."""
    return {
        "id": a.id,
        "team_id": a.team_id,
        "user_id": a.user_id,
        "kind": a.kind,
        "value": a.value,
        "currency": a.currency,
        "note": a.note,
        "occurred_on": a.occurred_on,
        "external_ref": a.external_ref,
        "status": a.status,
        "verified_by": a.verified_by,
        "verified_at": a.verified_at,
        "retracted_by": a.retracted_by,
        "retracted_at": a.retracted_at,
        "retraction_reason": a.retraction_reason,
        "created_at": a.created_on,
        "updated_at": a.modified_on,
        "version": a.version,
    }


def _answer(change: Change[Achievement], status: int = 200) -> Any:
    return changed(change, achievement_body(change.aggregate), status)


@blp.post("")
@blp.arguments(RecordAchievementSchema)
@blp.response(201, AchievementSchema)
@blp.alt_response(
    200,
    schema=AchievementSchema,
    description="The external_ref was already recorded in the team: nothing new.",
    success=True,
)
def record(data: dict[str, Any]) -> Any:
    """Record an achievement of yours; a known external_ref returns the first one."""
    change = services().events.record_achievement(current_actor(), **data)
    return _answer(change, 201 if change.is_new else 200)


@blp.get("")
@blp.arguments(AchievementQuerySchema, location="query")
@blp.response(200, AchievementSchema(many=True))
def list_visible(query: dict[str, Any]) -> Any:
    """List achievements in the caller's teams, newest first."""
    user = current_user()
    conn = db().connection()
    team_ids = None if user.is_admin else team_ids_of(conn, user.id)
    if "team_id" in query:
        services().events.get_team(current_actor(), query["team_id"])
        team_ids = [query["team_id"]]
    return list_achievements(
        conn, team_ids, query.get("user_id"), query.get("kind"), query.get("status")
    )


@blp.get("/<uuid:achievement_id>")
@blp.response(200, AchievementSchema)
def get(achievement_id: UUID) -> Any:
    """Return one achievement."""
    a = services().events.get_achievement(current_actor(), achievement_id)
    return achievement_body(a), {"ETag": f'"{a.version}"'}


@blp.get("/<uuid:achievement_id>/history")
@blp.response(200, HistoryRecordSchema(many=True))
def achievement_history(achievement_id: UUID) -> list[dict[str, Any]]:
    """Return every event ever recorded for the achievement, oldest first."""
    return history(
        services().events.achievement_history(current_actor(), achievement_id)
    )


@blp.post("/<uuid:achievement_id>/verify")
@blp.response(200, AchievementSchema)
def verify(achievement_id: UUID) -> Any:
    """Verify a recorded achievement (the team's leader, not their own; or an admin)."""
    return _answer(
        services().events.verify_achievement(
            current_actor(), achievement_id, expected_version()
        )
    )


@blp.post("/<uuid:achievement_id>/retract")
@blp.arguments(RetractSchema)
@blp.response(200, AchievementSchema)
def retract(data: dict[str, Any], achievement_id: UUID) -> Any:
    """Retract an achievement for good, saying why (its owner, the leader, an admin)."""
    return _answer(
        services().events.retract_achievement(
            current_actor(), achievement_id, data["reason"], expected_version()
        )
    )
