"""The Charter aggregate: a team's published principles, and who has signed up."""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from events.base import Actor, WolfpackEvent, required_text
from events.errors import PermissionDeniedError, RuleViolationError

CHARTER_NAMESPACE = uuid5(NAMESPACE_URL, "https://wolfpack.example/charters")
CHARTER_MAX = 20_000


class StaleCharterError(RuleViolationError):
    """Raised when a member acknowledges a version that is not the current one."""

    code = "stale_charter_version"


def charter_id(team_id: UUID) -> UUID:
    """Return the id of a team's one charter."""
    return uuid5(CHARTER_NAMESPACE, str(team_id))


class Charter(Aggregate):
    """Numbered versions of a team's charter and each member's acknowledgement."""

    TOPIC = "wolfpack:Charter"

    class Event(WolfpackEvent):
        pass

    class Created(Event, Aggregate.Created):
        TOPIC = "wolfpack:CharterCreated"
        team_id: UUID

    class Published(Event):
        TOPIC = "wolfpack:CharterPublished"
        number: int
        text: str

    class Acknowledged(Event):
        TOPIC = "wolfpack:CharterAcknowledged"
        number: int

    @classmethod
    def start(cls, actor: Actor, team_id: UUID, now: datetime) -> Charter:
        """Open the team's charter record (done with its first publication)."""
        return cls._create(
            cls.Created,
            id=charter_id(team_id),
            timestamp=now,
            actor_id=actor.user_id,
            request_id=actor.request_id,
            team_id=team_id,
        )

    @event(Created)
    def __init__(self, actor_id: UUID, request_id: str | None, team_id: UUID) -> None:
        self.team_id = team_id
        self.number = 0
        self.text = ""
        self.published_at: datetime | None = None
        self.published_by: UUID | None = None
        self.acknowledged: dict[UUID, tuple[int, datetime]] = {}

    def publish(self, actor: Actor, as_leader: bool, text: str, now: datetime) -> None:
        """Publish a new version; every member is asked to acknowledge it."""
        if not as_leader:
            raise PermissionDeniedError("Only the team's leader publishes the charter.")
        body = required_text("text", text, CHARTER_MAX)
        if body == self.text:
            raise RuleViolationError("That is already the current charter.")
        self._published(
            actor.user_id, actor.request_id, self.number + 1, body, timestamp=now
        )

    def acknowledge(
        self, actor: Actor, is_member: bool, number: int, now: datetime
    ) -> None:
        """Acknowledge the current version (team members only)."""
        if not is_member:
            raise PermissionDeniedError("Only team members acknowledge the charter.")
        if self.number == 0:
            raise RuleViolationError("No charter has been published yet.")
        if number != self.number:
            raise StaleCharterError(
                f"Version {number} is not current: please read version {self.number}."
            )
        if self.has_acknowledged(actor.user_id):
            raise RuleViolationError(f"You already acknowledged version {number}.")
        self._acknowledged(actor.user_id, actor.request_id, number, timestamp=now)

    def has_acknowledged(self, user_id: UUID) -> bool:
        """Tell whether the user acknowledged the current version."""
        found = self.acknowledged.get(user_id)
        return found is not None and found[0] == self.number

    # State changes only; they run again on replay.

    @event(Published)
    def _published(
        self,
        actor_id: UUID,
        request_id: str | None,
        number: int,
        text: str,
        timestamp: datetime,
    ) -> None:
        self.number = number
        self.text = text
        self.published_at = timestamp
        self.published_by = actor_id

    @event(Acknowledged)
    def _acknowledged(
        self, actor_id: UUID, request_id: str | None, number: int, timestamp: datetime
    ) -> None:
        self.acknowledged[actor_id] = (number, timestamp)
