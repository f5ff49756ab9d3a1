"""Team-screen tokens: read-only credentials for a TV showing one team's board."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from sqlalchemy import String, Uuid, and_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from events.base import required_text
from events.errors import NotFoundError
from projections.sql_types import UtcDateTime
from server.accounts import ApiToken, api_token_for, secret_digest, utc_now
from server.admin_records import note
from server.db import Base, rows_changed

SCREEN_TOKEN_PREFIX = "wps_"  # noqa: S105 - a label, not a secret


class ScreenToken(Base):
    """A team screen's credential; only its hash is stored."""

    __tablename__ = "screen_tokens"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    team_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


def issue_screen_token(
    session: Session,
    team_id: uuid.UUID,
    name: str,
    created_by: uuid.UUID,
    request_id: str | None = None,
) -> tuple[ScreenToken, str]:
    """Create a screen token for the team; return it with the secret, shown once."""
    secret = SCREEN_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ScreenToken(
        id=uuid.uuid4(),
        team_id=team_id,
        name=required_text("name", name, 100),
        token_hash=secret_digest(secret),
        created_by=created_by,
        created_at=utc_now(),
    )
    session.add(token)
    note(
        session,
        "TeamScreen",
        token.id,
        1,
        "Created",
        at=token.created_at,
        actor_id=created_by,
        request_id=request_id,
        team_id=team_id,
        name=token.name,
    )
    session.commit()
    return token, secret


def revoke_screen_token(
    session: Session, team_id: uuid.UUID, token_id: uuid.UUID, actor_id: uuid.UUID
) -> ScreenToken:
    """Revoke a live screen token of the team; its screens are refused from now on."""
    token = session.get(ScreenToken, token_id)
    if token is None or token.team_id != team_id or token.revoked_at is not None:
        raise NotFoundError("Screen token not found.")
    now = utc_now()
    live = and_(ScreenToken.id == token_id, ScreenToken.revoked_at.is_(None))
    # One UPDATE only a live token matches: of two racing revocations, one counts.
    if not rows_changed(session, update(ScreenToken).where(live), revoked_at=now):
        session.rollback()
        raise NotFoundError("Screen token not found.")
    note(session, "TeamScreen", token_id, 2, "Revoked", at=now, actor_id=actor_id)
    session.commit()
    session.refresh(token)
    return token


def screen_tokens_of(session: Session, team_id: uuid.UUID) -> list[ScreenToken]:
    """Return the team's screen tokens, live and revoked, oldest first."""
    query = (
        select(ScreenToken)
        .where(ScreenToken.team_id == team_id)
        .order_by(ScreenToken.created_at, ScreenToken.id)
    )
    return list(session.scalars(query))


def screen_token_for(session: Session, secret: str) -> ScreenToken | None:
    """Return the live screen token with this secret, or None."""
    if not secret.startswith(SCREEN_TOKEN_PREFIX):
        return None
    return session.scalar(
        select(ScreenToken).where(
            ScreenToken.token_hash == secret_digest(secret),
            ScreenToken.revoked_at.is_(None),
        )
    )


def holder_of(session: Session, secret: str) -> ScreenToken | ApiToken | None:
    """Return the live token a bearer secret is: a team screen's, a user's, or none."""
    return screen_token_for(session, secret) or api_token_for(session, secret)
