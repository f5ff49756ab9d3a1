"""Teams and their members."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint

from events.team import Team
from projections.teams import list_teams
from server.accounts import AccountDeactivatedError, names_of, referenced_user
from server.api.commands import changed, expected_version, history
from server.api.schemas import (
    AddMemberSchema,
    ChangeRoleSchema,
    HistoryRecordSchema,
    TeamChangeSchema,
    TeamQuerySchema,
    TeamRequestSchema,
    TeamSchema,
    TeamSummarySchema,
)
from server.auth import current_actor, current_user
from server.db import db
from server.services import services

PREFIX = "/teams"
blp = Blueprint("teams", __name__, description="Teams and members")


def team_body(team: Team) -> dict[str, Any]:
    """Return a team with its members' names, leaders first."""
    names = names_of(db(), team.members)
    members = sorted(
        team.members.items(), key=lambda m: (m[1] != "leader", names.get(m[0], ""))
    )
    return {
        "id": team.id,
        "name": team.name,
        "timezone": team.timezone,
        "currency": team.currency,
        "archived": team.archived,
        "version": team.version,
        "members": [
            {"user_id": uid, "name": names.get(uid, ""), "role": role}
            for uid, role in members
        ],
    }


@blp.post("")
@blp.arguments(TeamRequestSchema)
@blp.response(201, TeamSchema)
def create(data: dict[str, Any]) -> Any:
    """Create a team (admins only)."""
    change = services().events.create_team(
        current_actor(), data["name"], data["timezone"]
    )
    return changed(change, team_body(change.aggregate), 201)


@blp.get("")
@blp.arguments(TeamQuerySchema, location="query")
@blp.response(200, TeamSummarySchema(many=True))
def list_visible(query: dict[str, Any]) -> list[Any]:
    """List the caller's teams (every team, for admins), by name.

    Archived teams are left out unless ``archived=true``.
    """
    user = current_user()
    conn = db().connection()
    mine = None if user.is_admin else user.id
    return list(list_teams(conn, mine, archived=query["archived"]))


@blp.get("/<uuid:team_id>")
@blp.response(200, TeamSchema)
def get(team_id: UUID) -> Any:
    """Return a team with its members."""
    team = services().events.get_team(current_actor(), team_id)
    return team_body(team), {"ETag": f'"{team.version}"'}


@blp.patch("/<uuid:team_id>")
@blp.arguments(TeamChangeSchema)
@blp.response(200, TeamSchema)
def update(data: dict[str, Any], team_id: UUID) -> Any:
    """Rename the team or change its time zone or currency (admins only).

    Send only the fields to change. What is already so records nothing (and the
    version stays). With If-Match, a team at another version is 409.
    """
    change = services().events.update_team(
        current_actor(),
        team_id,
        data.get("name"),
        data.get("timezone"),
        data.get("currency"),
        expected_version(),
    )
    return changed(change, team_body(change.aggregate))


@blp.post("/<uuid:team_id>/archive")
@blp.response(200, TeamSchema)
def archive(team_id: UUID) -> Any:
    """Archive the team (admins only); 409 ``already_archived`` if it is.

    It leaves team lists and /me, and takes no new members (409 ``team_archived``);
    its members, history, boards and audit log stay readable.
    """
    change = services().events.archive_team(
        current_actor(), team_id, expected_version()
    )
    return changed(change, team_body(change.aggregate))


@blp.post("/<uuid:team_id>/restore")
@blp.response(200, TeamSchema)
def restore(team_id: UUID) -> Any:
    """Bring an archived team back (admins only); 409 ``not_archived`` if it is not."""
    change = services().events.restore_team(
        current_actor(), team_id, expected_version()
    )
    return changed(change, team_body(change.aggregate))


@blp.get("/<uuid:team_id>/history")
@blp.response(200, HistoryRecordSchema(many=True))
def team_history(team_id: UUID) -> list[dict[str, Any]]:
    """Return every event of the team, oldest first."""
    return history(services().events.team_history(current_actor(), team_id))


@blp.post("/<uuid:team_id>/members")
@blp.arguments(AddMemberSchema)
@blp.response(201, TeamSchema)
def add_member(data: dict[str, Any], team_id: UUID) -> Any:
    """Add a user to the team; leaders add reps, admins add anyone.

    An archived team takes no one: 409 ``team_archived``.
    """
    services().events.get_team(current_actor(), team_id)  # 404 before 422
    user = referenced_user(db(), data["user_id"], "user_id")
    if not user.active:
        raise AccountDeactivatedError("A deactivated account cannot join a team.")
    change = services().events.add_team_member(
        current_actor(), team_id, user.id, data["role"], expected_version()
    )
    return changed(change, team_body(change.aggregate), 201)


@blp.patch("/<uuid:team_id>/members/<uuid:user_id>")
@blp.arguments(ChangeRoleSchema)
@blp.response(200, TeamSchema)
def change_role(data: dict[str, Any], team_id: UUID, user_id: UUID) -> Any:
    """Change a member's role (admins only)."""
    change = services().events.change_member_role(
        current_actor(), team_id, user_id, data["role"], expected_version()
    )
    return changed(change, team_body(change.aggregate))


@blp.delete("/<uuid:team_id>/members/<uuid:user_id>")
@blp.response(200, TeamSchema)
def remove_member(team_id: UUID, user_id: UUID) -> Any:
    """Remove a member; leaders remove reps, admins remove anyone."""
    change = services().events.remove_team_member(
        current_actor(), team_id, user_id, expected_version()
    )
    return changed(change, team_body(change.aggregate))
