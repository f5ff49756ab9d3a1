"""The Target aggregate: a rep proposes; the leader agrees or revises with a reason."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Literal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from events.base import Actor, WolfpackEvent, required_text
from events.errors import (
    FieldRuleError,
    InvalidValueError,
    PermissionDeniedError,
    RuleViolationError,
)
from events.periods import parse_period
from events.team import Team

METRICS = ("revenue", "deals_won", "meetings", "points")
TargetStatus = Literal["proposed", "agreed"]
TARGET_NAMESPACE = uuid5(NAMESPACE_URL, "https://wolfpack.example/targets")
MAX_VALUE = Decimal("1e12")


class TargetExistsError(RuleViolationError):
    """Raised when a rep proposes a second target for the same metric and period."""

    code = "target_exists"


def target_id(team_id: UUID, user_id: UUID, metric: str, period: str) -> UUID:
    """Return the one id a user's target for a metric and period can have."""
    return uuid5(TARGET_NAMESPACE, f"{team_id}:{user_id}:{metric}:{period}")


def valid_value(value: Decimal | int | str) -> Decimal:
    """Return a positive target value, refusing zero, negatives and nonsense."""
    try:
        amount = Decimal(value)
    except (InvalidOperation, ValueError):
        raise InvalidValueError("value", "Must be a number.") from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_VALUE:
        raise InvalidValueError("value", "Must be a positive number.")
    if int(amount.as_tuple().exponent) < -4:
        raise InvalidValueError("value", "Must have at most 4 decimal places.")
    return amount


class Target(Aggregate):
    """What one rep aims for in one metric over one month, quarter or year."""

    TOPIC = "wolfpack:Target"

    class Event(WolfpackEvent):
        pass

    class Created(Event, Aggregate.Created):
        TOPIC = "wolfpack:TargetProposed"
        team_id: UUID
        user_id: UUID
        metric: str
        period: str
        value: Decimal

    class Agreed(Event):
        TOPIC = "wolfpack:TargetAgreed"
        value: Decimal

    class Revised(Event):
        TOPIC = "wolfpack:TargetRevised"
        value: Decimal
        reason: str

    @classmethod
    def propose(
        cls,
        actor: Actor,
        team: Team,
        metric: str,
        period: str,
        value: Decimal,
        now: datetime,
    ) -> Target:
        """Propose a target for oneself; only team members plan bottom-up."""
        if not team.is_member(actor.user_id):
            raise PermissionDeniedError("Only team members propose targets.")
        if metric not in METRICS:
            raise InvalidValueError("metric", f"Must be one of: {', '.join(METRICS)}.")
        named = parse_period(period, ("month", "quarter", "year")).name
        return cls._create(
            cls.Created,
            id=target_id(team.id, actor.user_id, metric, named),
            timestamp=now,
            actor_id=actor.user_id,
            request_id=actor.request_id,
            team_id=team.id,
            user_id=actor.user_id,
            metric=metric,
            period=named,
            value=valid_value(value),
        )

    @event(Created)
    def __init__(
        self,
        actor_id: UUID,
        request_id: str | None,
        team_id: UUID,
        user_id: UUID,
        metric: str,
        period: str,
        value: Decimal,
    ) -> None:
        self.team_id = team_id
        self.user_id = user_id
        self.metric = metric
        self.period = period
        self.proposed_value = value
        self.value = value
        self.status: TargetStatus = "proposed"
        self.revision_count = 0
        self.decided_by: UUID | None = None

    def agree(self, actor: Actor, as_leader: bool, now: datetime) -> None:
        """Agree the proposed value (the team's leader, not the target's owner)."""
        self._require_leader_of_someone_else(actor, as_leader)
        if self.status != "proposed":
            raise RuleViolationError("This target is already agreed.")
        self._agreed(actor.user_id, actor.request_id, self.value, timestamp=now)

    def revise(
        self,
        actor: Actor,
        as_leader: bool,
        value: Decimal,
        reason: str,
        now: datetime,
    ) -> None:
        """Set a different value, with a reason; the revised value is agreed."""
        self._require_leader_of_someone_else(actor, as_leader)
        amount = valid_value(value)
        why = required_text("reason", reason, 2000)
        if amount == self.value:
            raise FieldRuleError("value", "Must differ from the current value.")
        self._revised(actor.user_id, actor.request_id, amount, why, timestamp=now)

    def _require_leader_of_someone_else(self, actor: Actor, as_leader: bool) -> None:
        if not as_leader:
            raise PermissionDeniedError("Only the team's leader agrees targets.")
        if actor.user_id == self.user_id and not actor.is_admin:
            raise PermissionDeniedError("You cannot agree your own target.")

    # State changes only; they run again on replay.

    @event(Agreed)
    def _agreed(
        self,
        actor_id: UUID,
        request_id: str | None,
        value: Decimal,
        timestamp: datetime,
    ) -> None:
        self.status = "agreed"
        self.decided_by = actor_id

    @event(Revised)
    def _revised(
        self,
        actor_id: UUID,
        request_id: str | None,
        value: Decimal,
        reason: str,
        timestamp: datetime,
    ) -> None:
        self.value = value
        self.status = "agreed"
        self.decided_by = actor_id
        self.revision_count += 1
