"""Accounts: admins create them; teammates can look each other up."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint
from sqlalchemy import select

from events.errors import NotFoundError
from projections.mentorships import list_mentorships
from projections.teams import teammate_ids
from server.accounts import User, create_user, get_user
from server.api.schemas import UserSchema
from server.auth import current_user, require_admin
from server.db import db
from server.password_policy import check_new_password

PREFIX = "/users"
blp = Blueprint("users", __name__, description="User accounts")


@blp.post("")
@blp.arguments(UserSchema)
@blp.response(201, UserSchema)
def create(data: dict[str, Any]) -> User:
    """Create an account (admins only)."""
    require_admin()
    # The policy is checked here, not in create_user: the demo's logins predate it.
    check_new_password("password", data["password"])
    return create_user(
        db(), data["email"], data["name"], data["password"], data["is_admin"]
    )


@blp.get("")
@blp.response(200, UserSchema(many=True))
def list_users() -> list[User]:
    """List the accounts the caller may see: all for admins, else teammates."""
    user = current_user()
    query = select(User).order_by(User.name)
    if not user.is_admin:
        query = query.where(User.id.in_(teammate_ids(db().connection(), user.id)))
    return list(db().scalars(query))


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
