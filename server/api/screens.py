"""Team-screen tokens: read-only credentials for a team's board on a TV."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint

from events.errors import PermissionDeniedError
from events.team import Team
from server.api.commands import publish_records
from server.api.screen_schemas import (
    NewScreenTokenSchema,
    ScreenTokenRequestSchema,
    ScreenTokenSchema,
)
from server.auth import current_actor
from server.db import db
from server.realtime import LiveSocket, disconnect_sockets
from server.screen_tokens import (
    ScreenToken,
    issue_screen_token,
    revoke_screen_token,
    screen_tokens_of,
)
from server.services import services

PREFIX = "/teams"
blp = Blueprint("screens", __name__, description="Team-screen tokens")

FIELDS = ("id", "team_id", "name", "created_at", "revoked_at")


def _led_team(team_id: UUID) -> Team:
    """Return the team if the caller leads it (or is an admin); hide it from others."""
    actor = current_actor()
    team = services().events.get_team(actor, team_id)
    if not team.can_lead(actor):
        raise PermissionDeniedError(
            "Only the team's leader or an admin can manage its screens."
        )
    return team


@blp.post("/<uuid:team_id>/screen-tokens")
@blp.arguments(ScreenTokenRequestSchema)
@blp.response(201, NewScreenTokenSchema)
def create(data: dict[str, Any], team_id: UUID) -> Any:
    """Issue a screen token for the team; the secret is shown once."""
    team = _led_team(team_id)
    actor = current_actor()
    token, secret = issue_screen_token(
        db(), team.id, data["name"], actor.user_id, actor.request_id
    )
    headers = publish_records()
    return {**{f: getattr(token, f) for f in FIELDS}, "token": secret}, headers


@blp.get("/<uuid:team_id>/screen-tokens")
@blp.response(200, ScreenTokenSchema(many=True))
def list_screen_tokens(team_id: UUID) -> list[ScreenToken]:
    """List the team's screen tokens, live and revoked, without secrets."""
    team = _led_team(team_id)
    return screen_tokens_of(db(), team.id)


@blp.delete("/<uuid:team_id>/screen-tokens/<uuid:token_id>")
@blp.response(204)
def revoke(team_id: UUID, token_id: UUID) -> Any:
    """Revoke a screen token and close the screens connected with it."""
    team = _led_team(team_id)
    token = revoke_screen_token(db(), team.id, token_id, current_actor().user_id)
    headers = publish_records()
    disconnect_sockets(db(), LiveSocket.screen_token_id == token.id)
    return "", 204, headers
