"""Account, token and screen changes on their way to the event log (an outbox).

A change to an account is decided and committed in SQL, where sign-in reads it;
the record of it is added in the same transaction, as a pending row, so the two
cannot disagree. The row is then published to the event log (at once, and again
by the housekeeper if the process died first) and deleted. Publishing is
idempotent: each row names the version its aggregate reaches.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Uuid, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from events.application import Wolfpack
from projections.sql_types import UtcDateTime
from server.db import Base

log = logging.getLogger(__name__)

# Rows published per round; a round is one query and one delete per row.
PUBLISH_BATCH = 500


class PendingRecord(Base):
    """A change decided in SQL, waiting to be appended to the event log."""

    __tablename__ = "pending_records"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    aggregate: Mapped[str] = mapped_column(String(32))
    aggregate_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    request_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


def note(
    session: Session,
    aggregate: str,
    aggregate_id: uuid.UUID,
    version: int,
    kind: str,
    *,
    at: datetime,
    actor_id: uuid.UUID,
    request_id: str | None = None,
    **data: Any,
) -> None:
    """Add the record of a change to the session, committed with the change itself."""
    session.add(
        PendingRecord(
            aggregate=aggregate,
            aggregate_id=aggregate_id,
            version=version,
            kind=kind,
            at=at,
            actor_id=actor_id,
            request_id=request_id,
            data=_jsonable(data),
        )
    )


def publish_pending(session: Session, app: Wolfpack) -> int:
    """Append every pending record to the event log, oldest first; return how many.

    A record whose aggregate still misses an earlier version (another process is
    publishing it) waits for the next round; the others go past it.
    """
    published, waiting, after = 0, 0, 0
    while True:
        rows = session.scalars(
            select(PendingRecord)
            .where(PendingRecord.seq > after)
            .order_by(PendingRecord.seq)
            .limit(PUBLISH_BATCH)
        ).all()
        done = [row.seq for row in rows if _publish(app, row)]
        if done:
            session.execute(delete(PendingRecord).where(PendingRecord.seq.in_(done)))
        session.commit()
        published += len(done)
        waiting += len(rows) - len(done)
        if len(rows) < PUBLISH_BATCH:
            break
        after = rows[-1].seq
    if waiting:
        log.warning("%d account records wait for an earlier version of theirs", waiting)
    return published


def _publish(app: Wolfpack, row: PendingRecord) -> bool:
    data = dict(row.data)
    for key, value in row.data.items():
        if key.endswith("_id") and value:
            data[key] = uuid.UUID(value)
        elif key == "expires_at":
            data[key] = datetime.fromisoformat(value)
    return app.record_admin_change(
        row.aggregate,
        row.aggregate_id,
        row.version,
        row.kind,
        row.at,
        row.actor_id,
        row.request_id,
        data,
    )


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, uuid.UUID):
            return str(value)
        if isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        return value

    return {key: plain(value) for key, value in data.items()}
