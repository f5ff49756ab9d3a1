"""Slow down password guessing: too many failed sign-ins get 429.

Counted per email and client address, so that guessing from one place cannot lock
the account's owner out from another.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import request
from sqlalchemy import Integer, String, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from projections.sql_types import UtcDateTime
from server.accounts import normalise_email
from server.db import Base
from server.errors import ApiError

MAX_FAILURES = 10
WINDOW = timedelta(minutes=15)


class FailedLogin(Base):
    """One failed sign-in attempt for an email address."""

    __tablename__ = "failed_logins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


def refuse_if_throttled(session: Session, email: str) -> None:
    """Answer 429 while the email has too many recent failed sign-ins."""
    since = datetime.now(UTC) - WINDOW
    failures = session.scalar(
        select(func.count())
        .select_from(FailedLogin)
        .where(
            FailedLogin.email == normalise_email(email),
            FailedLogin.address == _address(),
            FailedLogin.at > since,
        )
    )
    if (failures or 0) >= MAX_FAILURES:
        raise ApiError(
            429,
            "rate_limited",
            "Too many failed sign-ins for this email; try again in 15 minutes.",
            headers={"Retry-After": str(int(WINDOW.total_seconds()))},
        )


def record_failure(session: Session, email: str) -> None:
    """Remember a failed sign-in (and forget ones older than the window)."""
    now = datetime.now(UTC)
    session.execute(delete(FailedLogin).where(FailedLogin.at < now - WINDOW))
    session.add(FailedLogin(email=normalise_email(email), address=_address(), at=now))
    session.commit()


def _address() -> str:
    # Behind a proxy, run gunicorn with --forwarded-allow-ips so this is the client.
    return (request.remote_addr or "unknown")[:64]


def clear_failures(session: Session, email: str) -> None:
    """Forget an email's failed sign-ins once its owner gets in."""
    session.execute(
        delete(FailedLogin).where(FailedLogin.email == normalise_email(email))
    )
    session.commit()
