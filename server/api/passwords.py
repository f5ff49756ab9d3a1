"""Passwords: one's own change, and an admin's one-use reset link."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import g, request
from flask_smorest import Blueprint

from events.errors import RuleViolationError
from server.accounts import get_user
from server.api.commands import publish_records
from server.api.password_schemas import (
    ChangePasswordSchema,
    ResetLinkSchema,
    ResetPasswordSchema,
)
from server.api.schemas import ErrorSchema
from server.auth import current_user, require_admin
from server.db import db
from server.passwords import RESET_PAGE, change_password, issue_link, redeem_link

PREFIX = ""
blp = Blueprint("passwords", __name__, description="Changing and resetting passwords")


@blp.post("/me/password")
@blp.arguments(ChangePasswordSchema)
@blp.response(204)
@blp.alt_response(403, schema=ErrorSchema, description="Wrong current password.")
def change(data: dict[str, str]) -> None:
    """Change one's own password; every other sign-in of the caller ends."""
    login_id = g.login.id if g.login is not None else None
    change_password(
        db(), current_user(), data["current_password"], data["new_password"], login_id
    )
    publish_records()


@blp.post("/users/<uuid:user_id>/password-reset")
@blp.response(201, ResetLinkSchema)
def issue(user_id: UUID) -> Any:
    """Issue a one-use link, good for 24 hours, to set a password (admins only).

    An earlier link for the same person stops working.
    """
    admin = require_admin()
    user = get_user(db(), user_id)
    if user.status == "invited":
        raise RuleViolationError(
            "That person has not joined yet: send them a new invitation instead."
        )
    link, token = issue_link(db(), user, "reset", admin.id, g.get("request_id"))
    headers = publish_records()
    url = request.host_url + RESET_PAGE + token
    return {"url": url, "expires_at": link.expires_at}, headers


@blp.post("/auth/reset-password")
@blp.arguments(ResetPasswordSchema)
@blp.response(204)
@blp.alt_response(410, schema=ErrorSchema, description="Expired, used or unknown.")
def reset(data: dict[str, str]) -> None:
    """Set a password with a reset link's token (no sign-in needed); it works once.

    Every sign-in of the person ends; they then sign in with the new password.
    """
    redeem_link(db(), data["token"], data["new_password"], "reset")
    publish_records()
