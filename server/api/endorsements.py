"""Peer endorsements, each giver's weekly allowance, and the team's limits."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint

from events.endorsement import (
    DEFAULT_LIMITS,
    Allowance,
    Endorsement,
    EndorsementPolicy,
)
from events.errors import NotFoundError
from projections.endorsements import find_endorsement, list_endorsements
from projections.teams import memberships
from server.accounts import AccountDeactivatedError, inactive_ids
from server.api.commands import changed, expected_version, history
from server.api.endorsement_schemas import (
    AllowanceQuerySchema,
    AllowanceSchema,
    EndorsementQuerySchema,
    EndorsementSchema,
    GiveEndorsementSchema,
    PolicyRequestSchema,
    PolicySchema,
)
from server.api.schemas import HistoryRecordSchema
from server.api.visibility import team_scope
from server.auth import current_actor, current_user
from server.db import db
from server.services import services

# Paths under three roots (/endorsements, /me/..., /teams/.../endorsement-policy),
# so the blueprint sits at the API's root, like auth's.
PREFIX = ""
blp = Blueprint("endorsements", __name__, description="Peer endorsements")


def endorsement_body(e: Endorsement) -> dict[str, Any]:
    """Return one endorsement as the API shows it."""
    return {
        "id": e.id,
        "team_id": e.team_id,
        "from_user_id": e.from_user_id,
        "to_user_id": e.to_user_id,
        "skill": e.skill,
        "message": e.message,
        "week": e.week,
        "given_at": e.given_at,
    }


def allowance_body(a: Allowance) -> dict[str, Any]:
    """Return a giver's allowance in one team this week."""
    return {
        "team_id": a.team_id,
        "team_name": a.team_name,
        "week": a.week,
        "weekly_allowance": a.limits.weekly_allowance,
        "used": a.used,
        "remaining": a.remaining,
        "per_receiver_skill_weekly": a.limits.per_receiver_skill_weekly,
        "given_this_week": [
            {"to_user_id": e.to_user_id, "skill": e.skill} for e in a.given
        ],
        "renews_on": a.renews_on,
    }


def policy_body(team_id: UUID, policy: EndorsementPolicy | None) -> dict[str, Any]:
    """Return a team's limits: the defaults (version 0) until its leader sets them."""
    if policy is None:
        return {
            "team_id": team_id,
            "weekly_allowance": DEFAULT_LIMITS.weekly_allowance,
            "per_receiver_skill_weekly": DEFAULT_LIMITS.per_receiver_skill_weekly,
            "version": 0,
            "changed_at": None,
            "changed_by": None,
        }
    return {
        "team_id": team_id,
        "weekly_allowance": policy.limits.weekly_allowance,
        "per_receiver_skill_weekly": policy.limits.per_receiver_skill_weekly,
        "version": policy.version,
        "changed_at": policy.modified_on,
        "changed_by": policy.changed_by,
    }


@blp.post("/endorsements")
@blp.arguments(GiveEndorsementSchema)
@blp.response(201, EndorsementSchema)
def give(data: dict[str, Any]) -> Any:
    """Endorse a teammate's skill, within your team's weekly limits.

    Someone deactivated can no longer be endorsed (409 ``account_deactivated``).
    """
    if inactive_ids(db(), [data["to_user_id"]]):
        raise AccountDeactivatedError("That person's account is deactivated.")
    given = services().events.give_endorsement(current_actor(), **data)
    return changed(given.change, endorsement_body(given.endorsement), 201)


@blp.get("/endorsements")
@blp.arguments(EndorsementQuerySchema, location="query")
@blp.response(200, EndorsementSchema(many=True))
def list_visible(query: dict[str, Any]) -> Any:
    """List endorsements in your teams, newest first: all, received or given."""
    return list_endorsements(
        db().connection(),
        team_scope(query.get("team_id")),
        query.get("user_id"),
        query.get("from_user_id"),
    )


@blp.get("/endorsements/<uuid:endorsement_id>")
@blp.response(200, EndorsementSchema)
def get(endorsement_id: UUID) -> Any:
    """Return one endorsement given in one of your teams."""
    row = find_endorsement(db().connection(), endorsement_id)
    scope = team_scope()
    if row is None or (scope is not None and row["team_id"] not in scope):
        raise NotFoundError("Endorsement not found.")
    return row


@blp.get("/me/endorsement-allowance")
@blp.arguments(AllowanceQuerySchema, location="query")
@blp.response(200, AllowanceSchema(many=True))
def allowance(query: dict[str, Any]) -> list[dict[str, Any]]:
    """Return what you may still give this week, in each of your teams or one."""
    if "team_id" in query:
        team_ids = [query["team_id"]]
    else:
        team_ids = [t["id"] for t in memberships(db().connection(), current_user().id)]
    actor = current_actor()
    return [
        allowance_body(services().events.endorsement_allowance(actor, team_id))
        for team_id in team_ids
    ]


@blp.get("/teams/<uuid:team_id>/endorsement-policy")
@blp.response(200, PolicySchema)
def get_policy(team_id: UUID) -> Any:
    """Return the team's endorsement limits (team members and admins)."""
    policy = services().events.get_endorsement_policy(current_actor(), team_id)
    body = policy_body(team_id, policy)
    return body, {"ETag": f'"{body["version"]}"'}


@blp.put("/teams/<uuid:team_id>/endorsement-policy")
@blp.arguments(PolicyRequestSchema)
@blp.response(200, PolicySchema)
def set_policy(data: dict[str, Any], team_id: UUID) -> Any:
    """Set the team's endorsement limits (its leader or an admin)."""
    change = services().events.set_endorsement_policy(
        current_actor(), team_id, **data, expected_version=expected_version()
    )
    return changed(change, policy_body(team_id, change.aggregate))


@blp.get("/teams/<uuid:team_id>/endorsement-policy/history")
@blp.response(200, HistoryRecordSchema(many=True))
def policy_history(team_id: UUID) -> list[dict[str, Any]]:
    """Return every change of the team's endorsement limits, oldest first."""
    return history(
        services().events.endorsement_policy_history(current_actor(), team_id)
    )
