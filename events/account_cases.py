"""Use case of the account record: publish a change decided in SQL, exactly once."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from events.account import RECORDED
from events.core import Core


class AccountCases(Core):
    """Append the account, token and screen changes the server decided."""

    def record_admin_change(
        self,
        aggregate: str,
        aggregate_id: UUID,
        version: int,
        kind: str,
        at: datetime,
        actor_id: UUID,
        request_id: str | None,
        data: dict[str, Any],
    ) -> bool:
        """Append the change as version ``version``; tell whether it is on record.

        Already there (a retry, or another process publishing it): True, nothing
        new. An earlier version still missing: False, try again after it.
        """
        cls = RECORDED[aggregate]
        event_class = getattr(cls, kind)
        existing = self._find(cls, aggregate_id)
        known = 0 if existing is None else existing.version
        if known >= version:
            return True
        if known != version - 1:
            return False
        meta = {"timestamp": at, "actor_id": actor_id, "request_id": request_id}
        record: Aggregate
        if existing is None:
            record = cls._create(event_class, id=aggregate_id, **meta, **data)
        else:
            record = existing
            record.trigger_event(event_class, **meta, **data)
        with suppress(IntegrityError):  # another process published it first
            self.save(record)
        return True
