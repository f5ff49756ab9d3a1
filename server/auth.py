"""Who is calling: a session cookie (plus CSRF header) or a Bearer token."""

from __future__ import annotations

import hmac

from flask import g, request, session

from events.base import Actor
from server.accounts import LoginSession, User, live_session
from server.db import db
from server.errors import ApiError
from server.screen_tokens import ScreenToken, holder_of

API_PREFIX = "/api/v1/"
# Endpoints anyone may call; everything else under the API needs a user.
PUBLIC_ENDPOINTS = frozenset(
    {"auth.login", "auth.setup_state", "passwords.reset", "invitations.accept"}
)
# Endpoints for a team screen (a screen token): no user behind those.
SCREEN_ENDPOINTS = frozenset({"team_screen.screen"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def authenticate() -> None:
    """Identify the caller of an API request, refusing what cannot be trusted."""
    g.user = None
    g.login = None
    g.screen = None
    g.request_id = None
    if not request.path.startswith(API_PREFIX):
        return
    header = request.headers.get("Authorization")
    if header is not None:
        _load_bearer(header)
    else:
        _load_session()
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return
    if request.endpoint in SCREEN_ENDPOINTS:
        if g.screen is None:
            raise ApiError(401, "unauthorized", "Open the screen with a screen token.")
        return
    if g.user is None:
        raise ApiError(401, "unauthorized", "Please sign in.")
    if g.login is not None and request.method not in SAFE_METHODS:
        _check_csrf(g.login)


def bearer_secret(header: str) -> str | None:
    """Return the secret of an ``Authorization: Bearer <secret>`` header, if any."""
    scheme, _, secret = header.partition(" ")
    return secret.strip() or None if scheme.lower() == "bearer" else None


def _load_bearer(header: str) -> None:
    secret = bearer_secret(header)
    if secret is None:
        raise ApiError(401, "unauthorized", "Use 'Authorization: Bearer <token>'.")
    holder = holder_of(db(), secret)
    if isinstance(holder, ScreenToken):
        g.screen = holder  # opens the team screen's view, and nothing else
        return
    user = None if holder is None else db().get(User, holder.user_id)
    g.user = user if user is not None and user.active else None
    if g.user is None:
        raise ApiError(401, "unauthorized", "That token is not valid.")


def _load_session() -> None:
    session_id = session.get("sid")
    if not isinstance(session_id, str):
        return
    login = live_session(db(), session_id)
    if login is None:
        session.clear()
        return
    user = db().get(User, login.user_id)
    if user is None or not user.active:  # its sign-ins end with deactivation
        session.clear()
        return
    g.login = login
    g.user = user


def _check_csrf(login: LoginSession) -> None:
    sent = request.headers.get("X-CSRF-Token", "")
    if not hmac.compare_digest(sent.encode(), login.csrf_token.encode()):
        raise ApiError(403, "csrf_failed", "Missing or wrong X-CSRF-Token header.")


def current_user() -> User:
    """Return the signed-in user of this request."""
    user: User | None = g.get("user")
    if user is None:
        raise ApiError(401, "unauthorized", "Please sign in.")
    return user


def current_actor() -> Actor:
    """Return the caller as the write side knows them, with this request's id."""
    user = current_user()
    return Actor(user.id, user.is_admin, g.get("request_id"))


def require_admin() -> User:
    """Return the caller if they are a workspace admin; refuse otherwise."""
    user = current_user()
    if not user.is_admin:
        raise ApiError(403, "forbidden", "Only an admin can do that.")
    return user
