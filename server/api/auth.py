"""Signing in and out, and who am I."""

from __future__ import annotations

from typing import Any

from flask import g, session
from flask_smorest import Blueprint
from sqlalchemy import select

from projections.teams import memberships
from server.accounts import User, check_credentials, end_session, start_session
from server.api.schemas import (
    LoginSchema,
    MeSchema,
    SessionSchema,
    SetupStateSchema,
)
from server.auth import current_user
from server.db import db
from server.errors import ApiError
from server.realtime import LiveSocket, disconnect_sockets
from server.throttle import forget_failures

PREFIX = ""
blp = Blueprint("auth", __name__, description="Sign in, sign out, who am I")


@blp.post("/auth/login")
@blp.arguments(LoginSchema)
@blp.response(200, SessionSchema)
def login(credentials: dict[str, str]) -> dict[str, Any]:
    """Sign in with email and password; the response carries the CSRF token."""
    user = check_credentials(db(), credentials["email"], credentials["password"])
    if user is None:
        raise ApiError(401, "invalid_credentials", "Wrong email or password.")
    if not user.active:
        raise ApiError(
            403,
            "account_deactivated",
            "This account is deactivated: ask an admin if you need it again.",
        )
    forget_failures()
    if g.login is not None:
        end_session(db(), g.login.id)
    login_session = start_session(db(), user)
    session.clear()
    session["sid"] = login_session.id
    session.permanent = True
    return {"user": user, "csrf_token": login_session.csrf_token}


@blp.post("/auth/logout")
@blp.response(204)
def logout() -> None:
    """Sign out this session; its cookie stops working at once."""
    if g.login is not None:
        # Its open sockets go too: they were let in by this session.
        disconnect_sockets(db(), LiveSocket.login_id == g.login.id)
        end_session(db(), g.login.id)
    session.clear()


@blp.get("/me")
@blp.response(200, MeSchema)
def me() -> dict[str, Any]:
    """Return the signed-in user, their CSRF token and their teams with roles."""
    user = current_user()
    teams = [dict(row) for row in memberships(db().connection(), user.id)]
    csrf = g.login.csrf_token if g.login is not None else None
    return {"user": user, "csrf_token": csrf, "teams": teams}


@blp.get("/auth/setup-state")
@blp.response(200, SetupStateSchema)
def setup_state() -> dict[str, bool]:
    """Tell whether any account exists yet (no sign-in needed).

    On a new workspace, the sign-in page explains how to create the first admin.
    """
    return {"has_users": db().scalar(select(User.id).limit(1)) is not None}
