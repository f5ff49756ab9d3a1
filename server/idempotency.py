"""``Idempotency-Key`` on POSTs: a retried request gets the first response back.

Two layers make a retry safe. This module claims each (user, key) before the
command runs and stores its successful response for 24 hours, to replay it.
Underneath, a hash of the user, the key and the claim's nonce travels into every
event the command records, so a retry that arrives after a crash, before the
response was stored, is recognised by the write side and records nothing twice.
A claim whose request failed on our side (5xx) is kept for that reason (a retry
within moments is told to wait, except after a 503, which told it when to retry);
one that was refused (4xx: nothing recorded) is let go. Once a key's 24 hours are over,
reusing it makes a new claim with a new nonce: a new request, never a silent
no-op (and expired claims can be purged).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Response, current_app, g, request
from sqlalchemy import BigInteger, Integer, String, Text, Uuid, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from projections.sql_types import UtcDateTime
from server.db import Base, db, delete_rows
from server.errors import ApiError
from server.unavailable import database_unavailable

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
KEY_MAX_LENGTH = 255
KEEP_FOR = timedelta(hours=24)
# A claim this young with no answer yet is taken to be still running.
IN_FLIGHT = timedelta(seconds=30)
# Signing in and out act on the browser's session: never replayed (accepting an
# invitation signs in; a reset's answer is nothing worth keeping).
NOT_REPLAYED = frozenset(
    {"auth.login", "auth.logout", "invitations.accept", "passwords.reset"}
)
# Responses that show a secret once are stored without it, at any depth (a link's
# url holds its token; an import's rows hold invitation links).
SECRET_FIELDS = frozenset({"token", "url", "invitation_url", "csrf_token"})


class IdempotencyRecord(Base):
    """A claimed key, and the first successful response to it once there is one."""

    __tablename__ = "idempotency_records"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_MAX_LENGTH), primary_key=True)
    # Goes into the request id: a new claim of the same key is a new request.
    nonce: Mapped[str] = mapped_column(String(32))
    fingerprint: Mapped[str] = mapped_column(String(64))
    # With a body: the answer to replay. 503 without one: the database did not
    # answer, and a retry may run at once.
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    body: Mapped[str | None] = mapped_column(Text, nullable=True)
    position: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


def replay_or_claim() -> Response | None:
    """Replay the answer to a repeated key, or claim the key for this request."""
    key = request.headers.get(HEADER)
    user = g.get("user")
    if key is None or request.method != "POST" or user is None:
        return None
    if request.endpoint in NOT_REPLAYED or request.endpoint is None:
        return None
    if not 0 < len(key) <= KEY_MAX_LENGTH:
        raise ApiError(
            400, "bad_request", f"{HEADER} must be 1 to {KEY_MAX_LENGTH} characters."
        )
    record = _claim(user.id, key, _fingerprint())
    if record.status is not None and record.body is not None:
        return _replay(record)
    g.idempotency_key = key
    g.request_id = request_id_for(user.id, key, record.nonce)
    return None


def request_id_for(user_id: uuid.UUID, key: str, nonce: str) -> str:
    """Return the id the write side stamps on the events of a keyed request."""
    return hashlib.sha256(f"{user_id}:{key}:{nonce}".encode()).hexdigest()[:32]


def purge_expired(session: Session, now: datetime) -> int:
    """Delete the claims whose 24 hours are over; return how many there were."""
    return delete_rows(
        session,
        delete(IdempotencyRecord).where(IdempotencyRecord.created_at < now - KEEP_FOR),
    )


def remember(response: Response) -> Response:
    """Store a keyed request's successful answer; free the key after a failure.

    A database that stops answering now leaves the claim as it is rather than
    turn a recorded command's answer into an error: a retry then finds the
    claim unanswered and runs again (once the claim is no longer taken to be in
    flight), and the write side recognises the events it already recorded.
    """
    key = g.get("idempotency_key")
    if key is None:
        return response
    try:
        _remember(key, response)
    except Exception as error:
        if not database_unavailable(error):
            raise
        db().rollback()
        log.warning("Could not store the answer to %s %r: %s", HEADER, key, error)
    return response


def _remember(key: str, response: Response) -> None:
    session = db()
    session.rollback()  # whatever the request left open; the record is read afresh
    record = session.get(IdempotencyRecord, (g.user.id, key))
    if record is None or record.body is not None:
        return
    if 200 <= response.status_code < 300:
        position = response.headers.get("X-Event-Position")
        record.status = response.status_code
        record.body = _without_secrets(response.get_data(as_text=True))
        record.position = int(position) if position else None
    elif response.status_code < 500:
        # Refused, so nothing was recorded: the client may fix it and try again.
        session.delete(record)
    elif response.status_code == 503:
        # The database did not answer, and the client was told when to retry:
        # that retry runs at once, not as if this one were still in flight. It
        # keeps the nonce, so the write side recognises anything recorded.
        record.status = response.status_code
    else:
        # It may have been recorded before it failed: a retry keeps the nonce,
        # so the write side recognises it.
        return
    session.commit()


def _claim(user_id: uuid.UUID, key: str, fingerprint: str) -> IdempotencyRecord:
    session = db()
    now = datetime.now(UTC)
    record = session.get(IdempotencyRecord, (user_id, key))
    if record is None:
        record = IdempotencyRecord(
            user_id=user_id,
            key=key,
            nonce=secrets.token_hex(16),
            fingerprint=fingerprint,
            created_at=now,
        )
        session.add(record)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            raise _in_flight() from None
        return record
    if record.created_at < now - KEEP_FOR:
        # The key's 24 hours are over: this is a new request, with a new nonce.
        record.nonce = secrets.token_hex(16)
        record.fingerprint = fingerprint
        record.status = record.body = record.position = None
        record.created_at = now
        session.commit()
        return record
    if record.fingerprint != fingerprint:
        raise ApiError(
            422,
            "idempotency_key_reused",
            f"This {HEADER} was already used for a different request.",
        )
    if record.status is None and record.created_at > now - IN_FLIGHT:
        raise _in_flight()
    # Answered (to replay), or claimed long ago and never answered: the server
    # stopped mid-request, and running it again is safe (see the module's doc).
    return record


def _in_flight() -> ApiError:
    return ApiError(
        409,
        "idempotency_key_in_use",
        f"A request with this {HEADER} is still being processed; retry shortly.",
    )


def _fingerprint() -> str:
    # Keyed with the app's secret: a body may hold a password, and a plain hash
    # of a predictable body could be cracked far faster than the stored scrypt.
    key = str(current_app.secret_key).encode()
    digest = hmac.new(key, digestmod=hashlib.sha256)
    digest.update(f"{request.method} {request.full_path}\n".encode())
    raw = request.get_data(cache=True)
    if request.is_json and raw.strip():
        # The same JSON however it is spaced or ordered (the JSON guard parsed it).
        parsed = json.loads(raw)
        raw = json.dumps(parsed, sort_keys=True, separators=(",", ":")).encode()
    digest.update(raw)
    return digest.hexdigest()


def _without_secrets(body: str) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return body
    return json.dumps(_blanked(data))


def _blanked(data: Any) -> Any:
    """Return ``data`` with every secret field, however deep, set to null."""
    if isinstance(data, dict):
        return {
            key: None if key in SECRET_FIELDS else _blanked(value)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [_blanked(item) for item in data]
    return data


def _replay(record: IdempotencyRecord) -> Response:
    response = Response(record.body, status=record.status, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    if record.position is not None:
        response.headers["X-Event-Position"] = str(record.position)
    return response
