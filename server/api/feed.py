"""A team's feed (for everyone in it) and its audit log (for its leader)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint

from events.errors import PermissionDeniedError
from projections.audit import team_audit_log
from projections.feed import team_feed
from projections.feed_text import UNKNOWN, feed_text, person_ids
from projections.preferences import ANONYMOUS, hidden_on_team_screen
from server.accounts import names_of
from server.api.feed_schemas import (
    AuditQuerySchema,
    AuditRecordSchema,
    FeedItemSchema,
    FeedQuerySchema,
)
from server.api.paging import next_page, next_page_header
from server.auth import current_actor
from server.db import db
from server.services import services

PREFIX = "/teams"
blp = Blueprint("feed", __name__, description="Team feed and audit log")


@blp.get("/<uuid:team_id>/feed")
@blp.arguments(FeedQuerySchema, location="query")
@blp.response(200, FeedItemSchema(many=True))
def feed(query: dict[str, Any], team_id: UUID) -> list[dict[str, Any]]:
    """Return what happened in the team, newest first (members and admins)."""
    services().events.get_team(current_actor(), team_id)
    return feed_body(team_id, query.get("before"), query["limit"])


def feed_body(
    team_id: UUID, before: int | None, limit: int, hidden_masked: bool = False
) -> list[dict[str, Any]]:
    """Return a team's feed items with names, newest first, to a caller allowed them.

    With ``hidden_masked`` (the team screen), members who asked are not named.
    """
    rows = team_feed(db().connection(), team_id, before=before, limit=limit)
    names = names_of(db(), person_ids(rows))
    if hidden_masked:
        hidden = hidden_on_team_screen(db().connection(), names)
        names.update(dict.fromkeys(hidden, ANONYMOUS))
    return [
        {
            **row,
            "actor_name": names.get(row["actor_id"], UNKNOWN),
            "text": feed_text(row, names),
        }
        for row in rows
    ]


@blp.get("/<uuid:team_id>/audit")
@blp.arguments(AuditQuerySchema, location="query")
@blp.response(
    200, AuditRecordSchema(many=True), headers=next_page_header("teams/{id}/audit")
)
def audit(query: dict[str, Any], team_id: UUID) -> Any:
    """Return every event of the team in log order (its leader or an admin).

    A page holds at most ``limit`` events; a full one links to the next.
    """
    actor = current_actor()
    team = services().events.get_team(actor, team_id)
    if not team.can_lead(actor):
        raise PermissionDeniedError(
            "Only the team's leader or an admin can read its audit log."
        )
    rows = team_audit_log(db().connection(), team_id, **query)
    return rows, next_page(
        "feed.audit", AuditQuerySchema(), query, rows, team_id=team_id
    )
