"""An admin's changes to an account: name, email, admin rights, (de)activation.

Each change is decided and committed here, in SQL where sign-in reads it, with
its record for the admin log in the same transaction.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from events.base import required_text
from events.errors import RuleViolationError, VersionConflictError
from server.accounts import (
    NO_PASSWORD,
    ApiToken,
    EmailTakenError,
    LoginSession,
    User,
    normalise_email,
    record_change,
    revoke_tokens,
)
from server.passwords import PasswordReset
from server.realtime import LiveSocket, disconnect_sockets

# An admin who can sign in: active, and not still invited (with no password yet).
ACTIVE_ADMIN = (User.is_admin, User.active, User.password_hash != NO_PASSWORD)


class LastAdminError(RuleViolationError):
    """Raised when a change would leave the workspace without an active admin."""

    code = "last_admin"


def update_account(
    session: Session,
    user: User,
    changes: dict[str, Any],
    actor_id: uuid.UUID,
    request_id: str | None = None,
    expected_version: int | None = None,
) -> User:
    """Apply ``changes`` (name, email, is_admin, active) that differ; record them.

    Deactivating ends the person's sign-ins, API tokens, links and sockets at
    once; the last active admin cannot be deactivated or demoted.
    """
    if expected_version is not None and user.version != expected_version:
        raise VersionConflictError(
            f"Expected version {expected_version}, but it is at version {user.version}."
        )
    if "email" in changes:
        changes = {**changes, "email": normalise_email(changes["email"])}
    if "name" in changes:
        changes = {**changes, "name": required_text("name", changes["name"], 100)}
    profile = {
        field: changes[field]
        for field in ("name", "email", "is_admin")
        if field in changes and changes[field] != getattr(user, field)
    }
    active = changes.get("active", user.active)
    if not profile and active == user.active:
        return user
    removes_admin = user.is_admin and (profile.get("is_admin") is False or not active)
    if removes_admin:
        _lock_active_admins(session)
    # Nothing is written before the flush below, which answers a taken email.
    with session.no_autoflush:
        if profile:
            for field, value in profile.items():
                setattr(user, field, value)
            record_change(
                session, user, "Updated", actor_id, request_id, changes=profile
            )
        if active != user.active:
            user.active = active
            kind = "Reactivated" if active else "Deactivated"
            record_change(session, user, kind, actor_id, request_id)
            if not active:
                _end_access(session, user, actor_id)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise EmailTakenError from None
    except StaleDataError:
        session.rollback()
        raise VersionConflictError(
            "Someone else changed this account meanwhile; please try again."
        ) from None
    if removes_admin and _active_admins(session) == 0:
        session.rollback()
        raise LastAdminError(
            "That would leave nobody able to run the workspace: make someone else "
            "an admin first."
        )
    session.commit()
    if not active:
        # After the commit: a socket that reconnects at once is refused.
        disconnect_sockets(session, LiveSocket.user_id == user.id)
    return user


def _end_access(session: Session, user: User, actor_id: uuid.UUID) -> None:
    session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    session.execute(delete(PasswordReset).where(PasswordReset.user_id == user.id))
    revoke_tokens(session, ApiToken.user_id == user.id, actor_id)


def _lock_active_admins(session: Session) -> None:
    """Lock the active admins' rows (PostgreSQL) so two demotions take turns.

    Each then counts the admins left after its own change, seeing the other's.
    SQLite needs no lock: its writers already take turns, and the count comes
    after this transaction's first write.
    """
    session.execute(select(User.id).where(*ACTIVE_ADMIN).with_for_update()).all()


def _active_admins(session: Session) -> int:
    count = session.scalar(select(func.count()).select_from(User).where(*ACTIVE_ADMIN))
    return count or 0
