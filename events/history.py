"""Plain, JSON-ready records of stored events, for history and audit views."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import CanMutateAggregate

from events.base import event_type

# Fields every event has; a history record shows them once, outside ``data``.
ENVELOPE = frozenset(
    {
        "originator_id",
        "originator_version",
        "originator_topic",
        "timestamp",
        "actor_id",
        "request_id",
    }
)


def plain(value: Any) -> Any:
    """Return ``value`` as JSON-ready builtins (ids and times as strings)."""
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


# Per event class, the names of its own fields: read once, not per event.
_data_fields_of: dict[type, tuple[str, ...]] = {}


def _data_fields(cls: type) -> tuple[str, ...]:
    names = _data_fields_of.get(cls)
    if names is None:
        names = tuple(f.name for f in fields(cls) if f.name not in ENVELOPE)
        _data_fields_of[cls] = names
    return names


def event_data(event: object) -> dict[str, Any]:
    """Return the event's own fields (not the envelope) as JSON-ready builtins."""
    return {name: plain(getattr(event, name)) for name in _data_fields(type(event))}


def event_kind(event: object) -> str:
    """Return the event's type name, as history and audit views show it."""
    return event_type(type(event).TOPIC)  # type: ignore[attr-defined]


def history_record(event: CanMutateAggregate[UUID]) -> dict[str, Any]:
    """Return one event as ``{type, version, at, actor_id, data}``."""
    data = event_data(event)
    return {
        "type": event_kind(event),
        "version": event.originator_version,
        "at": event.timestamp.isoformat(),
        "actor_id": plain(getattr(event, "actor_id", None)),
        "data": data,
    }
