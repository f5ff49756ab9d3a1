"""``Idempotency-Key`` on POSTs: a retried request gets the first response back.

Two layers make a retry safe. This module stores each successful response under
(user, key) for 24 hours and replays it. Underneath, the key's hash travels into
every event the command records, so even a retry that arrives after a crash,
before the response was stored, is recognised by the write side and records
nothing twice.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta

from flask import Response, g, request
from sqlalchemy import BigInteger, Integer, String, Text, Uuid, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from projections.schema import UtcDateTime
from server.db import Base, db
from server.errors import ApiError

HEADER = "Idempotency-Key"
KEY_MAX_LENGTH = 255
KEEP_FOR = timedelta(hours=24)


class IdempotencyRecord(Base):
    """The first successful response to a keyed POST."""

    __tablename__ = "idempotency_records"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_MAX_LENGTH), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    position: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


def replay_or_claim() -> Response | None:
    """Replay the stored response to a repeated key, or mark this request as keyed."""
    key = request.headers.get(HEADER)
    user = g.get("user")
    if key is None or request.method != "POST" or user is None:
        return None
    if not 0 < len(key) <= KEY_MAX_LENGTH:
        raise ApiError(
            400, "bad_request", f"{HEADER} must be 1 to {KEY_MAX_LENGTH} characters."
        )
    fingerprint = _fingerprint()
    record = db().get(IdempotencyRecord, (user.id, key))
    if record is not None and record.created_at < datetime.now(UTC) - KEEP_FOR:
        db().delete(record)
        db().commit()
        record = None
    if record is not None:
        if record.fingerprint != fingerprint:
            raise ApiError(
                422,
                "idempotency_key_reused",
                f"This {HEADER} was already used for a different request.",
            )
        return _replay(record)
    g.idempotency_key = (key, fingerprint)
    g.request_id = hashlib.sha256(f"{user.id}:{key}".encode()).hexdigest()[:32]
    return None


def remember(response: Response) -> Response:
    """Store a keyed request's successful response for later retries."""
    claimed = g.get("idempotency_key")
    if claimed is None or not 200 <= response.status_code < 300:
        return response
    key, fingerprint = claimed
    position = response.headers.get("X-Event-Position")
    session = db()
    now = datetime.now(UTC)
    session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.user_id == g.user.id,
            IdempotencyRecord.created_at < now - KEEP_FOR,
        )
    )
    session.add(
        IdempotencyRecord(
            user_id=g.user.id,
            key=key,
            fingerprint=fingerprint,
            status=response.status_code,
            body=response.get_data(as_text=True),
            position=int(position) if position else None,
            created_at=now,
        )
    )
    try:
        session.commit()
    except IntegrityError:
        # A concurrent retry stored its response first; the events agree.
        session.rollback()
    return response


def _fingerprint() -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.full_path}\n".encode())
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _replay(record: IdempotencyRecord) -> Response:
    response = Response(record.body, status=record.status, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    if record.position is not None:
        response.headers["X-Event-Position"] = str(record.position)
    return response
