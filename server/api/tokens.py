"""API tokens for scripts and integrations, issued by admins."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import g
from flask_smorest import Blueprint
from sqlalchemy import select

from server.accounts import ApiToken, issue_token, referenced_user, revoke_token
from server.api.commands import publish_records
from server.api.schemas import NewTokenSchema, TokenRequestSchema, TokenSchema
from server.auth import require_admin
from server.db import db
from server.realtime import LiveSocket, disconnect_sockets

PREFIX = "/tokens"
blp = Blueprint("tokens", __name__, description="API tokens")


@blp.post("")
@blp.arguments(TokenRequestSchema)
@blp.response(201, NewTokenSchema)
def create(data: dict[str, Any]) -> Any:
    """Issue a token for a user (the caller by default); the secret is shown once."""
    admin = require_admin()
    owner = admin
    if data["user_id"] is not None:
        owner = referenced_user(db(), data["user_id"], "user_id")
    token, secret = issue_token(
        db(), owner, data["name"], admin.id, g.get("request_id")
    )
    headers = publish_records()
    fields = ("id", "name", "user_id", "created_at", "revoked_at")
    return {**{f: getattr(token, f) for f in fields}, "token": secret}, headers


@blp.get("")
@blp.response(200, TokenSchema(many=True))
def list_tokens() -> list[ApiToken]:
    """List every token, live and revoked, without secrets (admins only)."""
    require_admin()
    return list(db().scalars(select(ApiToken).order_by(ApiToken.created_at)))


@blp.delete("/<uuid:token_id>")
@blp.response(204)
def revoke(token_id: UUID) -> Any:
    """Revoke a token; requests with it are refused from now on (admins only).

    The sockets it opened are closed too.
    """
    admin = require_admin()
    revoke_token(db(), token_id, admin.id)
    headers = publish_records()
    disconnect_sockets(db(), LiveSocket.api_token_id == token_id)
    return "", 204, headers
