"""The admin log: every account, token, screen and team change, with who and when."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from projections.admin_log import admin_log_page
from projections.teams import teams as team_view
from server.accounts import ApiToken, names_of
from server.api.feed_schemas import AUDIT_LIMIT_MAX
from server.api.fields import POSITIONS, Moment
from server.api.paging import next_page, next_page_header
from server.auth import require_admin
from server.db import db
from server.screen_tokens import ScreenToken

PREFIX = "/admin"
blp = Blueprint("admin_log", __name__, description="The admin log")

# The actor of changes made from the command line, the demo or an upgrade.
SYSTEM = "The system"


class AdminLogQuerySchema(Schema):
    start = Moment(data_key="from", metadata={"description": "From this time on."})
    end = Moment(data_key="to", metadata={"description": "Before this time."})
    actor_id = fields.UUID(metadata={"description": "Only what this person did."})
    subject_id = fields.UUID(
        metadata={"description": "Only changes to this person, team or token."}
    )
    after = fields.Integer(
        load_default=0,
        validate=POSITIONS,
        metadata={"description": "Only entries after this position (next page)."},
    )
    limit = fields.Integer(
        load_default=100, validate=validate.Range(1, AUDIT_LIMIT_MAX)
    )


class AdminLogEntrySchema(Schema):
    position = fields.Integer(metadata={"description": "Event-store position."})
    at = fields.AwareDateTime()
    actor_id = fields.UUID()
    actor_name = fields.String()
    action = fields.String(metadata={"description": "Such as user.deactivated."})
    subject_type = fields.String(metadata={"enum": ["user", "team", "token", "screen"]})
    subject_id = fields.UUID()
    subject_name = fields.String()
    team_id = fields.UUID(allow_none=True)
    team_name = fields.String(allow_none=True)
    text = fields.String()
    data = fields.Dict()


@blp.get("/log")
@blp.arguments(AdminLogQuerySchema, location="query")
@blp.response(
    200, AdminLogEntrySchema(many=True), headers=next_page_header("admin/log")
)
def log(query: dict[str, Any]) -> Any:
    """Return the admin log, oldest first (admins only); kept for good.

    A page holds at most ``limit`` entries; a full one links to the next.
    """
    require_admin()
    rows = admin_log_page(db().connection(), **query)
    return _described(rows), next_page(
        "admin_log.log", AdminLogQuerySchema(), query, rows
    )


def _described(rows: Any) -> list[dict[str, Any]]:
    """Return the rows with today's names and a sentence each."""
    people = names_of(
        db(),
        {r["actor_id"] for r in rows}
        | {r["subject_id"] for r in rows if r["subject_type"] == "user"}
        | {UUID(r["data"]["user_id"]) for r in rows if "user_id" in r["data"]},
    )
    team_ids = {r["team_id"] for r in rows if r["team_id"]}
    teams = dict(
        db()
        .execute(
            select(team_view.c.id, team_view.c.name).where(team_view.c.id.in_(team_ids))
        )
        .all()
    )
    entries = []
    for row in rows:
        actor = people.get(row["actor_id"], SYSTEM)
        team = teams.get(row["team_id"])
        subject = _subject_name(row, people, team)
        entries.append(
            {
                **row,
                "actor_name": actor,
                "subject_name": subject,
                "team_name": team,
                "text": f"{actor} {_what(row, subject, team, people)}",
            }
        )
    return entries


def _subject_name(row: Any, people: dict[UUID, str], team: str | None) -> str:
    kind, data = row["subject_type"], row["data"]
    if kind == "user":
        return people.get(row["subject_id"], "someone")
    if kind == "team":
        return team or data.get("name", "a team")
    return data.get("name") or _token_name(kind, row["subject_id"])


def _token_name(kind: str, token_id: UUID) -> str:
    model = ApiToken if kind == "token" else ScreenToken
    return db().scalar(select(model.name).where(model.id == token_id)) or "a token"


def _what(row: Any, subject: str, team: str | None, people: dict[UUID, str]) -> str:
    """Return what happened, as the end of a sentence whose subject is the actor."""
    data = row["data"]
    match row["action"]:
        case "user.created":
            admin = " (admin)" if data.get("is_admin") else ""
            return f"created the account of {subject}{admin}"
        case "user.updated":
            return f"changed {subject}'s account: {_changes(data['changes'])}"
        case "user.deactivated":
            return f"deactivated {subject}"
        case "user.reactivated":
            return f"reactivated {subject}"
        case "user.password_set":
            return _password_text(subject, data.get("how"))
        case "user.password_reset_issued":
            return f"issued a password-reset link for {subject}"
        case "user.invited":
            into = f" to {team} as {data.get('role') or 'rep'}" if team else ""
            return f"invited {subject}{into}"
        case "token.issued":
            owner = people.get(UUID(data["user_id"]), "someone")
            return f"issued the API token “{subject}” for {owner}"
        case "token.revoked":
            return f"revoked the API token “{subject}”"
        case "screen.issued":
            return f"issued the screen token “{subject}” for {team}"
        case "screen.revoked":
            return f"revoked the screen token “{subject}”"
        case "team.created":
            return f"created the team {subject}"
        case "team.archived":
            return f"archived the team {subject}"
        case "team.restored":
            return f"restored the team {subject}"
        case "member.added":
            return f"added {subject} to {team} as {data.get('role')}"
        case "member.role_changed":
            return f"made {subject} a {data.get('role')} of {team}"
        case "member.removed":
            return f"removed {subject} from {team}"
        case _:  # team.updated
            settings = {key: value for key, value in data.items() if value is not None}
            return f"changed the team {subject}: {_changes(settings)}"


def _changes(changes: dict[str, Any]) -> str:
    return ", ".join(_change(field, value) for field, value in changes.items())


def _change(field: str, value: Any) -> str:
    if field == "is_admin":
        return "made an admin" if value else "no longer an admin"
    return f"{field} → {value}"


def _password_text(subject: str, how: str | None) -> str:
    return {
        "own": "changed their password",
        "reset_link": "set a new password with a reset link",
        "invitation": "accepted their invitation and set a password",
    }.get(how or "", f"set {subject}'s password")
