"""User accounts, login sessions and API tokens: kept in SQL, never in the event log."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    ForeignKey,
    Integer,
    String,
    Uuid,
    and_,
    delete,
    event,
    inspect,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from events.account import SYSTEM_ACTOR
from events.base import required_text
from events.errors import (
    FieldRuleError,
    NotFoundError,
    RuleViolationError,
    UnknownReferenceError,
)
from projections.sql_types import UtcDateTime
from server.admin_records import note
from server.db import Base, delete_rows, rows_changed

# How long a sign-in lasts, the cookie and the server-side session alike.
SESSION_LIFETIME = timedelta(days=14)
TOKEN_PREFIX = "wp_"  # noqa: S105 - a label, not a secret
# Werkzeug's scrypt by default; tests swap in a cheaper method to stay fast.
PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a method name
# Checked when the email is unknown, so a miss takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def utc_now() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(UTC)


def secret_digest(secret: str) -> str:
    """Return the stored form of a token secret (its SHA-256, in hex).

    A lone surrogate (possible in a Socket.IO ``auth`` payload) is hashed as is:
    it matches no token, rather than failing the connection with a traceback.
    """
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


# The password hash of an invited account until the person sets one: matches none.
NO_PASSWORD = ""


class EmailTakenError(FieldRuleError):
    """Raised when an account already uses the email address."""

    code = "email_taken"

    def __init__(self) -> None:
        super().__init__("email", "An account with that email already exists.")


class AccountDeactivatedError(RuleViolationError):
    """Raised when a deactivated account would be signed in, added or given a token."""

    code = "account_deactivated"


class User(Base):
    """A person who can sign in; admins run the workspace."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Counts every change to the row: the version of the account's record in the
    # event log, and the guard against two admins changing it at once. Counted by
    # record_change only (a change made without it is refused at the flush); an
    # UPDATE made from a stale copy matches no row (StaleDataError, answered 409).
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {
        "version_id_col": version,
        "version_id_generator": False,
    }

    @property
    def status(self) -> str:
        """Return active, invited (no password set yet) or deactivated."""
        if not self.active:
            return "deactivated"
        return "invited" if self.password_hash == NO_PASSWORD else "active"


class LoginSession(Base):
    """A browser's signed-in session; deleting the row signs it out everywhere."""

    __tablename__ = "login_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(
        UtcDateTime, default=utc_now, index=True
    )


class ApiToken(Base):
    """A bearer token for scripts and integrations; only its hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


def hash_password(password: str) -> str:
    """Return the stored form of a password (salted, by PASSWORD_HASH_METHOD)."""
    return generate_password_hash(password, method=PASSWORD_HASH_METHOD)


def normalise_email(email: str) -> str:
    """Return the address as stored and compared: trimmed and lower-case."""
    return email.strip().lower()


def create_user(
    session: Session,
    email: str,
    name: str,
    password: str | None,
    is_admin: bool = False,
    actor_id: uuid.UUID = SYSTEM_ACTOR,
    request_id: str | None = None,
    at: datetime | None = None,
) -> User:
    """Create an account, refusing an email address already in use.

    Without a password the account is invited: nobody can sign in to it until
    the person sets one through their invitation link. ``at``: when it was made,
    if not now (the demo's accounts date from its first day).
    """
    user = User(
        id=uuid.uuid4(),
        email=normalise_email(email),
        name=required_text("name", name, 100),
        password_hash=NO_PASSWORD if password is None else hash_password(password),
        is_admin=is_admin,
        created_at=at or utc_now(),
    )
    session.add(user)
    record_change(
        session,
        user,
        "Created",
        actor_id,
        request_id,
        at=user.created_at,
        email=user.email,
        name=user.name,
        is_admin=is_admin,
        invited=password is None,
    )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise EmailTakenError from None
    return user


@event.listens_for(Session, "before_flush")
def _every_change_is_recorded(session: Session, _context: Any, _instances: Any) -> None:
    """Refuse to write a change to an account that record_change did not count.

    Such a change would be missing from the admin log, and the next recorded one
    would wait forever for the version before it.
    """
    for user in session.dirty:
        if (
            isinstance(user, User)
            and session.is_modified(user)
            and not inspect(user).attrs.version.history.has_changes()
        ):
            raise RuntimeError(
                f"Account {user.id} changed without record_change: not on record."
            )


def record_change(
    session: Session,
    user: User,
    kind: str,
    actor_id: uuid.UUID,
    request_id: str | None = None,
    at: datetime | None = None,
    **data: Any,
) -> None:
    """Count a change to the account and note its record, to commit with it."""
    user.version = (user.version or 0) + 1
    note(
        session,
        "Account",
        user.id,
        user.version,
        kind,
        at=at or utc_now(),
        actor_id=actor_id,
        request_id=request_id,
        **data,
    )


def get_user(session: Session, user_id: uuid.UUID) -> User:
    """Return the user with this id."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError("User not found.")
    return user


def referenced_user(session: Session, user_id: uuid.UUID, field: str) -> User:
    """Return the user a request field names, refusing an unknown id as invalid."""
    user = session.get(User, user_id)
    if user is None:
        raise UnknownReferenceError(field, "Unknown user.")
    return user


def names_of(session: Session, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Return the display names of the given users, by id."""
    ids = set(user_ids)
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.name).where(User.id.in_(ids)))
    return {row.id: row.name for row in rows}


def inactive_ids(session: Session, user_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Return which of the given users are deactivated."""
    ids = set(user_ids)
    if not ids:
        return set()
    found = select(User.id).where(User.id.in_(ids), User.active.is_(False))
    return set(session.scalars(found))


def find_user_by_email(session: Session, email: str) -> User | None:
    """Return the user with this email address, if any."""
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def is_password_of(user: User, password: str) -> bool:
    """Return whether the password is the user's (an invited account has none)."""
    if user.password_hash == NO_PASSWORD:
        check_password_hash(_DUMMY_HASH, password)  # as long as a real check
        return False
    return check_password_hash(user.password_hash, password)


def check_credentials(session: Session, email: str, password: str) -> User | None:
    """Return the user if the password is theirs; None otherwise."""
    user = find_user_by_email(session, email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if is_password_of(user, password) else None


def start_session(session: Session, user: User) -> LoginSession:
    """Open a login session for the user, with its own CSRF token."""
    login = LoginSession(
        id=secrets.token_urlsafe(32),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
    )
    session.add(login)
    session.commit()
    return login


def live_session(session: Session, session_id: str) -> LoginSession | None:
    """Return the login session if it exists and has not outlived its lifetime."""
    login = session.get(LoginSession, session_id)
    if login is None or login.created_at < utc_now() - SESSION_LIFETIME:
        return None
    return login


def purge_expired_sessions(session: Session, now: datetime) -> int:
    """Delete the login sessions past their lifetime; return how many there were."""
    return delete_rows(
        session,
        delete(LoginSession).where(LoginSession.created_at < now - SESSION_LIFETIME),
    )


def end_session(session: Session, session_id: str) -> None:
    """Close a login session; its cookie stops working at once."""
    login = session.get(LoginSession, session_id)
    if login is not None:
        session.delete(login)
        session.commit()


def issue_token(
    session: Session,
    user: User,
    name: str,
    created_by: uuid.UUID,
    request_id: str | None = None,
) -> tuple[ApiToken, str]:
    """Create an API token for an active user; return it with the secret, shown once."""
    if not user.active:
        raise AccountDeactivatedError("That account is deactivated.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        id=uuid.uuid4(),
        user_id=user.id,
        name=required_text("name", name, 100),
        token_hash=secret_digest(secret),
        created_by=created_by,
        created_at=utc_now(),
    )
    session.add(token)
    note(
        session,
        "AccessToken",
        token.id,
        1,
        "Created",
        at=token.created_at,
        actor_id=created_by,
        request_id=request_id,
        user_id=user.id,
        name=token.name,
    )
    session.commit()
    return token, secret


def revoke_token(
    session: Session, token_id: uuid.UUID, actor_id: uuid.UUID = SYSTEM_ACTOR
) -> ApiToken:
    """Revoke a token; requests carrying it are refused from now on."""
    token = session.get(ApiToken, token_id)
    if token is None or token.revoked_at is not None:
        raise NotFoundError("Token not found.")
    if not revoke_tokens(session, ApiToken.id == token_id, actor_id):
        session.rollback()
        raise NotFoundError("Token not found.")
    session.commit()
    session.refresh(token)
    return token


def revoke_tokens(
    session: Session, which: ColumnElement[bool], actor_id: uuid.UUID
) -> list[uuid.UUID]:
    """Revoke the live tokens matching ``which`` (uncommitted); return their ids.

    Each is revoked by one UPDATE that only a live token matches: of two racing
    revocations, one records it.
    """
    now = utc_now()
    revoked = []
    live = select(ApiToken.id).where(which, ApiToken.revoked_at.is_(None))
    for token_id in session.scalars(live).all():
        still_live = and_(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
        if rows_changed(session, update(ApiToken).where(still_live), revoked_at=now):
            note(
                session,
                "AccessToken",
                token_id,
                2,
                "Revoked",
                at=now,
                actor_id=actor_id,
            )
            revoked.append(token_id)
    return revoked


def api_token_for(session: Session, secret: str) -> ApiToken | None:
    """Return the live token with this secret, or None (unknown or revoked)."""
    return session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == secret_digest(secret), ApiToken.revoked_at.is_(None)
        )
    )
