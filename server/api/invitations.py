"""Invitations: an admin (or a leader, into their team) asks someone to join."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import request, session
from flask_smorest import Blueprint

from projections.teams import memberships
from server.accounts import start_session
from server.api.commands import publish_records
from server.api.invitation_schemas import (
    AcceptedSchema,
    AcceptInvitationSchema,
    InvitationRequestSchema,
    InvitationSchema,
)
from server.api.schemas import ErrorSchema
from server.auth import current_actor
from server.db import db
from server.invitations import invite
from server.passwords import redeem_link

PREFIX = ""
blp = Blueprint("invitations", __name__, description="Inviting people to join")


@blp.post("/invitations")
@blp.arguments(InvitationRequestSchema)
@blp.response(201, InvitationSchema)
@blp.alt_response(409, schema=ErrorSchema, description="The email has an account.")
def create(data: dict[str, Any]) -> Any:
    """Invite someone by email, optionally into a team in a role; the link lasts 7 days.

    Their account is made at once, invited until they set a password through the
    link (shown once; also emailed when email is set up). An admin may invite
    anyone; a team's leader may invite reps into their team. Inviting again
    someone who has not joined yet sends a fresh link (the old one stops working).
    """
    made = invite(
        current_actor(),
        data["email"],
        data["name"],
        data["team_id"],
        data["role"],
        request.host_url,
    )
    body = {
        "id": made.id,
        "user_id": made.user.id,
        "url": made.url,
        "expires_at": made.expires_at,
        "emailed": made.emailed,
    }
    return body, publish_records()


@blp.post("/auth/accept-invitation")
@blp.arguments(AcceptInvitationSchema)
@blp.response(200, AcceptedSchema)
@blp.alt_response(410, schema=ErrorSchema, description="Expired, used or unknown.")
def accept(data: dict[str, str]) -> dict[str, Any]:
    """Set one's first password with an invitation's token, and be signed in."""
    user = redeem_link(db(), data["token"], data["password"], "invitation")
    publish_records()
    login = start_session(db(), user)
    session.clear()
    session["sid"] = login.id
    session.permanent = True
    teams = memberships(db().connection(), user.id)
    team_id: UUID | None = teams[0]["id"] if teams else None
    return {"user": user, "csrf_token": login.csrf_token, "team_id": team_id}
