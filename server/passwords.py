"""Setting passwords: one's own change, one-use links (an admin's reset link, an
invitation), the CLI's.

Whichever way a password is set, the person's other sign-ins end (with the sockets
they opened) and any reset link still out for them stops working.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ForeignKey, String, Uuid, and_, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from events.errors import LinkGoneError, PermissionDeniedError
from projections.sql_types import UtcDateTime
from server.accounts import (
    AccountDeactivatedError,
    LoginSession,
    User,
    get_user,
    hash_password,
    is_password_of,
    record_change,
    secret_digest,
    utc_now,
)
from server.db import Base, delete_rows
from server.password_policy import check_new_password
from server.realtime import LiveSocket, disconnect_sockets

# How long a link works, by purpose.
LINK_LIFETIMES = {"reset": timedelta(hours=24), "invitation": timedelta(days=7)}
RESET_LIFETIME = LINK_LIFETIMES["reset"]
# The front end's pages for the links; the token follows.
RESET_PAGE = "#/reset-password?token="
INVITATION_PAGE = "#/welcome?token="
_PASSWORD_FIELDS = {"reset": "new_password", "invitation": "password"}
_GONE = {
    "reset": "This reset link has expired or was already used: "
    "ask an admin for a new one.",
    "invitation": "This invitation has expired or was already used: "
    "ask whoever invited you for a new one.",
}


class WrongPasswordError(PermissionDeniedError):
    """Raised when the current password given to change it is not the user's."""

    code = "wrong_password"
    field = "current_password"


class PasswordReset(Base):
    """A one-use link to set a user's password; only its token's hash is stored."""

    __tablename__ = "password_resets"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True, unique=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # reset (an admin's reset link) or invitation (a new person's first password).
    purpose: Mapped[str] = mapped_column(String(16), default="reset")
    created_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


def set_password(
    session: Session,
    user: User,
    password: str,
    how: str,
    actor_id: uuid.UUID,
    keep_login: str | None = None,
    field: str = "new_password",
) -> int:
    """Give the user a new password; end every sign-in but ``keep_login``.

    ``how`` goes on record: own, reset_link, invitation or command_line. Return
    how many sign-ins ended. Their sockets are closed; the user's reset links stop
    working. API tokens are left alone: they are not passwords.
    """
    check_new_password(field, password)
    user.password_hash = hash_password(password)
    record_change(session, user, "PasswordSet", actor_id, how=how)
    # By the user, not by ids read first: a sign-in made meanwhile ends too.
    others = LoginSession.user_id == user.id
    signed_in = LiveSocket.login_id.is_not(None)  # API tokens' sockets stay
    their_sockets = and_(LiveSocket.user_id == user.id, signed_in)
    if keep_login is not None:
        others = and_(others, LoginSession.id != keep_login)
        their_sockets = and_(their_sockets, LiveSocket.login_id != keep_login)
    ended = delete_rows(session, delete(LoginSession).where(others))
    session.execute(delete(PasswordReset).where(PasswordReset.user_id == user.id))
    session.commit()
    # After the commit: a socket that reconnects at once finds its sign-in gone.
    disconnect_sockets(session, their_sockets)
    return ended


def change_password(
    session: Session, user: User, current: str, new: str, login_id: str | None
) -> None:
    """Change one's own password, given the current one; other sign-ins end."""
    if not is_password_of(user, current):
        raise WrongPasswordError("That is not your current password.")
    set_password(session, user, new, "own", user.id, keep_login=login_id)


def issue_link(
    session: Session,
    user: User,
    purpose: str,
    created_by: uuid.UUID,
    request_id: str | None = None,
    **record: Any,
) -> tuple[PasswordReset, str]:
    """Create a one-use link's token for the user, replacing any earlier link.

    ``purpose``: reset (an admin's reset link) or invitation (a new person's
    first password); ``record`` adds to what goes on record. Return the row and
    the token, which is shown once and stored only hashed.
    """
    if not user.active:
        raise AccountDeactivatedError("That account is deactivated.")
    secret = secrets.token_urlsafe(32)
    now = utc_now()
    for attempt in range(2):
        link = PasswordReset(
            id=uuid.uuid4(),
            user_id=user.id,
            token_hash=secret_digest(secret),
            purpose=purpose,
            created_by=created_by,
            created_at=now,
            expires_at=now + LINK_LIFETIMES[purpose],
        )
        session.execute(delete(PasswordReset).where(PasswordReset.user_id == user.id))
        session.add(link)
        kind = "InvitationSent" if purpose == "invitation" else "ResetLinkIssued"
        record_change(
            session,
            user,
            kind,
            created_by,
            request_id,
            expires_at=link.expires_at,
            **record,
        )
        try:
            session.commit()
            return link, secret
        except IntegrityError:  # another link for them, issued at this moment
            session.rollback()
            if attempt:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def redeem_link(session: Session, secret: str, password: str, purpose: str) -> User:
    """Set a password through a one-use link, once; every sign-in of the user ends.

    A weak password is refused before the link is spent.
    """
    check_new_password(_PASSWORD_FIELDS[purpose], password)
    link = session.scalar(
        select(PasswordReset).where(
            PasswordReset.token_hash == secret_digest(secret),
            PasswordReset.purpose == purpose,
        )
    )
    if link is None or link.expires_at <= utc_now():
        raise LinkGoneError(_GONE[purpose])
    # Deleting the row spends the link: of two racing uses, one deletes it.
    spend = delete(PasswordReset).where(PasswordReset.id == link.id)
    if not delete_rows(session, spend):
        session.rollback()
        raise LinkGoneError(_GONE[purpose])
    user = get_user(session, link.user_id)
    how = "invitation" if purpose == "invitation" else "reset_link"
    set_password(session, user, password, how, user.id, field=_PASSWORD_FIELDS[purpose])
    return user


def purge_expired_resets(session: Session, now: datetime) -> int:
    """Delete the reset links past their lifetime; return how many there were."""
    return delete_rows(
        session, delete(PasswordReset).where(PasswordReset.expires_at < now)
    )
