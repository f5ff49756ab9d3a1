"""Setting passwords: one's own change, an admin's one-use reset link, the CLI's.

Whichever way a password is set, the person's other sign-ins end (with the sockets
they opened) and any reset link still out for them stops working.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, Uuid, and_, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from events.errors import LinkGoneError, PermissionDeniedError
from projections.sql_types import UtcDateTime
from server.accounts import (
    LoginSession,
    User,
    get_user,
    hash_password,
    is_password_of,
    secret_digest,
    utc_now,
)
from server.db import Base, delete_rows
from server.password_policy import check_new_password
from server.realtime import LiveSocket, disconnect_sockets

RESET_LIFETIME = timedelta(hours=24)
# The front end's page for a reset link; the token follows.
RESET_PAGE = "#/reset-password?token="


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
    created_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


def set_password(
    session: Session,
    user: User,
    password: str,
    keep_login: str | None = None,
    field: str = "new_password",
) -> int:
    """Give the user a new password; end every sign-in but ``keep_login``.

    Return how many sign-ins ended. Their sockets are closed; the user's reset
    links stop working. API tokens are left alone: they are not passwords.
    """
    check_new_password(field, password)
    user.password_hash = hash_password(password)
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
    set_password(session, user, new, keep_login=login_id)


def issue_reset(
    session: Session, user: User, created_by: uuid.UUID
) -> tuple[PasswordReset, str]:
    """Create a reset link's token for the user (replacing any earlier one).

    Return the row and the token, which is shown once and stored only hashed.
    """
    secret = secrets.token_urlsafe(32)
    now = utc_now()
    reset = PasswordReset(
        id=uuid.uuid4(),
        user_id=user.id,
        token_hash=secret_digest(secret),
        created_by=created_by,
        created_at=now,
        expires_at=now + RESET_LIFETIME,
    )
    for attempt in range(2):
        session.execute(delete(PasswordReset).where(PasswordReset.user_id == user.id))
        session.add(reset)
        try:
            session.commit()
            break
        except IntegrityError:  # another link for them, issued at this moment
            session.rollback()
            if attempt:
                raise
    return reset, secret


def redeem_reset(session: Session, secret: str, password: str) -> User:
    """Set a password through a reset link, once; every sign-in of the user ends.

    A weak password is refused before the link is spent.
    """
    check_new_password("new_password", password)
    gone = LinkGoneError(
        "This reset link has expired or was already used: ask an admin for a new one."
    )
    reset = session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == secret_digest(secret))
    )
    if reset is None or reset.expires_at <= utc_now():
        raise gone
    # Deleting the row spends the link: of two racing uses, one deletes it.
    spend = delete(PasswordReset).where(PasswordReset.id == reset.id)
    if not delete_rows(session, spend):
        session.rollback()
        raise gone
    user = get_user(session, reset.user_id)
    set_password(session, user, password)
    return user


def purge_expired_resets(session: Session, now: datetime) -> int:
    """Delete the reset links past their lifetime; return how many there were."""
    return delete_rows(
        session, delete(PasswordReset).where(PasswordReset.expires_at < now)
    )
