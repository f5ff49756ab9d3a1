"""Say/do reliability per person, and each team's at-risk list."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from events.errors import NotFoundError, PermissionDeniedError
from projections.at_risk import at_risk, mentees_in_team
from projections.reliability import open_and_overdue, tally_of
from projections.teams import memberships, team_ids_of
from server.accounts import names_of
from server.api.visibility import person_scope
from server.auth import current_actor, current_user
from server.db import db
from server.deactivated import still_active
from server.services import services

# Paths under two roots (/users/... and /teams/...), so the blueprint sits at
# the API's root, like endorsements'.
PREFIX = ""
blp = Blueprint("reliability", __name__, description="Reliability and at-risk signals")


class ReliabilityQuerySchema(Schema):
    team_id = fields.UUID(
        metadata={"description": "One of the user's teams; all of them when absent."}
    )


class ReliabilitySchema(Schema):
    user_id = fields.UUID()
    team_id = fields.UUID(allow_none=True)
    kept = fields.Integer()
    missed = fields.Integer()
    withdrawn = fields.Integer()
    open = fields.Integer()
    overdue = fields.Integer()
    say_do_ratio = fields.Float(
        allow_none=True,
        metadata={"description": "kept / (kept + missed); null before either."},
    )
    streak = fields.Integer(
        metadata={
            "description": "Kept in a row since the last miss (withdrawals aside)."
        }
    )
    best_streak = fields.Integer()
    as_of = fields.AwareDateTime()


class AtRiskItemSchema(Schema):
    kind = fields.String(
        metadata={"enum": ["overdue_commitment", "behind_pace", "no_recent_check_in"]}
    )
    user_id = fields.UUID()
    name = fields.String(allow_none=True)
    subject_id = fields.UUID(
        metadata={"description": "The commitment, target or mentorship concerned."}
    )
    detail = fields.String()
    since = fields.AwareDateTime()


@blp.get("/users/<uuid:user_id>/reliability")
@blp.arguments(ReliabilityQuerySchema, location="query")
@blp.response(200, ReliabilitySchema)
def reliability(query: dict[str, Any], user_id: UUID) -> dict[str, Any]:
    """Return a person's kept, missed and open commitments, ratio and streaks."""
    conn = db().connection()
    person_scope(user_id)
    team_id = query.get("team_id")
    if team_id is not None and team_id not in team_ids_of(conn, user_id):
        raise NotFoundError("Team not found.")
    now = services().events.clock()
    tally = tally_of(conn, user_id, team_id)
    open_count, overdue = open_and_overdue(conn, user_id, team_id, now)
    return {
        **asdict(tally),
        "user_id": user_id,
        "team_id": team_id,
        "open": open_count,
        "overdue": overdue,
        "say_do_ratio": tally.say_do_ratio,
        "as_of": now,
    }


@blp.get("/teams/<uuid:team_id>/at-risk")
@blp.response(200, AtRiskItemSchema(many=True))
def team_at_risk(team_id: UUID) -> list[dict[str, Any]]:
    """List who is at risk in a team (its leader; a mentor sees only mentees)."""
    items = at_risk(
        db().connection(), team_id, services().events.clock(), _mentor_filter(team_id)
    )
    # Someone deactivated is no longer anyone's worry.
    items = still_active(db(), items, lambda item: item.user_id)
    names = names_of(db(), {item.user_id for item in items})
    return [{**asdict(item), "name": names.get(item.user_id)} for item in items]


def _mentor_filter(team_id: UUID) -> UUID | None:
    """Return None for the full list, or the mentor whose mentees alone are shown."""
    caller = current_user()
    conn = db().connection()
    # An archived team's record stays readable by its leader and members.
    roles = {m["id"]: m["role"] for m in memberships(conn, caller.id, archived=True)}
    if caller.is_admin or roles.get(team_id) == "leader":
        services().events.get_team(current_actor(), team_id)  # 404 if unknown
        return None
    if mentees_in_team(conn, caller.id, team_id):
        return caller.id
    if team_id in roles:
        raise PermissionDeniedError("Only the team's leader and mentors see this.")
    raise NotFoundError("Team not found.")
