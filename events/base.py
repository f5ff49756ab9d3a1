"""What every aggregate shares: who acts, stable ids for retried creates, text rules."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4, uuid5

from eventsourcing.domain import Aggregate

from events.errors import InvalidValueError

TOPIC_PREFIX = "wolfpack:"


@dataclass(frozen=True)
class Actor:
    """The signed-in user behind a command, and the client's key for it, if any.

    ``request_id`` is derived from the client's Idempotency-Key and stamped on every
    event the command records, so a retried command can tell it already happened.
    """

    user_id: UUID
    is_admin: bool = False
    request_id: str | None = None


class WolfpackEvent(Aggregate.Event):
    """Base of every event: the acting user and the request that caused it."""

    actor_id: UUID
    request_id: str | None


def new_id(namespace: UUID, actor: Actor) -> UUID:
    """Return a new aggregate id; the same one again for the actor's retried request.

    The actor's id is part of the name, so two people can never collide on a key.
    """
    if actor.request_id is None:
        return uuid4()
    return uuid5(namespace, f"{actor.user_id}:{actor.request_id}")


def event_type(topic: str) -> str:
    """Return the short, stable name of an event from its stored topic."""
    return topic.removeprefix(TOPIC_PREFIX)


def required_text(field: str, value: str, max_length: int) -> str:
    """Return ``value`` stripped, refusing it when blank or too long."""
    text = value.strip()
    if not text:
        raise InvalidValueError(field, "Must not be blank.")
    if len(text) > max_length:
        raise InvalidValueError(field, f"Must be at most {max_length} characters.")
    return text


def optional_text(field: str, value: str | None, max_length: int) -> str | None:
    """Return ``value`` stripped, or None when absent or blank."""
    if value is None or not value.strip():
        return None
    return required_text(field, value, max_length)
