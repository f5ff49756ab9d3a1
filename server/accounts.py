"""User accounts, login sessions and API tokens: kept in SQL, never in the event log."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Boolean, ForeignKey, String, Uuid, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from events.base import required_text
from events.errors import NotFoundError, RuleViolationError, UnknownReferenceError
from projections.sql_types import UtcDateTime
from server.db import Base, delete_rows

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


class EmailTakenError(RuleViolationError):
    """Raised when an account already uses the email address."""

    code = "email_taken"


class User(Base):
    """A person who can sign in; admins run the workspace."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


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
    session: Session, email: str, name: str, password: str, is_admin: bool = False
) -> User:
    """Create an account, refusing an email address already in use."""
    user = User(
        id=uuid.uuid4(),
        email=normalise_email(email),
        name=required_text("name", name, 100),
        password_hash=hash_password(password),
        is_admin=is_admin,
    )
    session.add(user)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise EmailTakenError("An account with that email already exists.") from None
    return user


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


def find_user_by_email(session: Session, email: str) -> User | None:
    """Return the user with this email address, if any."""
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def is_password_of(user: User, password: str) -> bool:
    """Return whether the password is the user's."""
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
    session: Session, user: User, name: str, created_by: uuid.UUID
) -> tuple[ApiToken, str]:
    """Create an API token for the user; return it with the secret, shown once."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        id=uuid.uuid4(),
        user_id=user.id,
        name=required_text("name", name, 100),
        token_hash=secret_digest(secret),
        created_by=created_by,
    )
    session.add(token)
    session.commit()
    return token, secret


def revoke_token(session: Session, token_id: uuid.UUID) -> ApiToken:
    """Revoke a token; requests carrying it are refused from now on."""
    token = session.get(ApiToken, token_id)
    if token is None or token.revoked_at is not None:
        raise NotFoundError("Token not found.")
    token.revoked_at = utc_now()
    session.commit()
    return token


def api_token_for(session: Session, secret: str) -> ApiToken | None:
    """Return the live token with this secret, or None (unknown or revoked)."""
    return session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == secret_digest(secret), ApiToken.revoked_at.is_(None)
        )
    )
