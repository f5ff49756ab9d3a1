"""Accounts: admins create, find and change them; teammates look each other up."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import g
from flask_smorest import Blueprint
from sqlalchemy import ColumnElement, Select, func, or_, select

from events.errors import NotFoundError
from projections.mentorships import list_mentorships
from projections.teams import memberships, teammate_ids
from server.account_admin import update_account
from server.accounts import NO_PASSWORD, User, create_user, get_user
from server.api.commands import expected_version, publish_records
from server.api.schemas import UserChangeSchema, UserQuerySchema, UserSchema
from server.auth import current_user, require_admin
from server.db import db
from server.password_policy import check_new_password

PREFIX = "/users"
blp = Blueprint("users", __name__, description="User accounts")

TOTAL = {
    "X-Total-Count": {
        "description": "How many accounts match, over all pages.",
        "schema": {"type": "integer"},
    }
}


@blp.post("")
@blp.arguments(UserSchema)
@blp.response(201, UserSchema)
def create(data: dict[str, Any]) -> Any:
    """Create an account with a password (admins only); see also invitations."""
    admin = require_admin()
    # The policy is checked here, not in create_user: the demo's logins predate it.
    check_new_password("password", data["password"])
    user = create_user(
        db(),
        data["email"],
        data["name"],
        data["password"],
        data["is_admin"],
        actor_id=admin.id,
        request_id=g.get("request_id"),
    )
    return user, publish_records()


@blp.get("")
@blp.arguments(UserQuerySchema, location="query")
@blp.response(200, UserSchema(many=True), headers=TOTAL)
def list_users(query: dict[str, Any]) -> Any:
    """List accounts by name, filtered and paged: all for admins; else teammates.

    A team's leader also finds every active account, to add someone to their team.
    """
    user = current_user()
    found = _filtered(select(User), query)
    conn = db().connection()
    if not user.is_admin:
        mine: ColumnElement[bool] = User.id.in_(teammate_ids(conn, user.id))
        if any(team["role"] == "leader" for team in memberships(conn, user.id)):
            mine = or_(mine, User.active)
        found = found.where(mine)
    total = db().scalar(select(func.count()).select_from(found.subquery()))
    page = found.order_by(User.name, User.id).limit(query["limit"])
    rows = list(db().scalars(page.offset(query["offset"])))
    return rows, {"X-Total-Count": str(total)}


def _filtered(found: Select[tuple[User]], query: dict[str, Any]) -> Select[tuple[User]]:
    if text := (query.get("q") or "").strip():
        found = found.where(
            or_(
                User.name.icontains(text, autoescape=True),
                User.email.icontains(text, autoescape=True),
            )
        )
    if "active" in query:
        found = found.where(User.active.is_(query["active"]))
    status = query.get("status")
    if status == "deactivated":
        found = found.where(User.active.is_(False))
    elif status is not None:
        invited = User.password_hash == NO_PASSWORD
        found = found.where(User.active, invited if status == "invited" else ~invited)
    return found


@blp.get("/<uuid:user_id>")
@blp.response(200, UserSchema)
def get(user_id: UUID) -> User:
    """Return one account: one's own, a teammate's, a mentoring partner's, or any."""
    user = current_user()
    conn = db().connection()
    partners = {
        partner
        for m in list_mentorships(conn, user.id, status="active")
        for partner in (m["mentor_id"], m["mentee_id"])
    }
    if not (user.is_admin or user_id in teammate_ids(conn, user.id) | partners):
        raise NotFoundError("User not found.")
    return get_user(db(), user_id)


@blp.patch("/<uuid:user_id>")
@blp.arguments(UserChangeSchema)
@blp.response(200, UserSchema)
def change(data: dict[str, Any], user_id: UUID) -> Any:
    """Change an account (admins only); ``active: false`` deactivates it.

    Deactivating ends the person's sign-ins, API tokens, links and open sockets
    at once; sign-in is then refused (403 ``account_deactivated``). What they did
    stays on record, under their name. ``active: true`` restores sign-in only.
    The last active admin cannot be deactivated or demoted (409 ``last_admin``).
    """
    admin = require_admin()
    user = update_account(
        db(),
        get_user(db(), user_id),
        data,
        admin.id,
        g.get("request_id"),
        expected_version(),
    )
    return user, publish_records()
