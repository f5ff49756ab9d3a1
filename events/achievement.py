"""The Achievement aggregate: what a rep logs, and a leader verifies or retracts."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Literal
from uuid import NAMESPACE_URL, UUID, uuid5
from zoneinfo import ZoneInfo

from eventsourcing.domain import Aggregate, event

from events.base import Actor, WolfpackEvent, new_id, optional_text, required_text
from events.errors import (
    FieldRuleError,
    InvalidValueError,
    PermissionDeniedError,
    RuleViolationError,
)
from events.team import Team

KINDS = (
    "deal_won",
    "revenue",
    "meeting",
    "training_completed",
    "certification",
    "case_study",
)
MONEY_KINDS = frozenset({"deal_won", "revenue"})
STATUSES = ("recorded", "verified", "retracted")
AchievementStatus = Literal["recorded", "verified", "retracted"]
ACHIEVEMENT_NAMESPACE = uuid5(NAMESPACE_URL, "https://wolfpack.example/achievements")
EXTERNAL_REF_NAMESPACE = uuid5(ACHIEVEMENT_NAMESPACE, "external_ref")
NOTE_MAX = 2000
REASON_MAX = 2000
REF_MAX = 200
MAX_AMOUNT = Decimal("1e12")
MAX_PLACES = 4  # Enough for every ISO 4217 currency's minor unit.
MAX_COUNT = 1000


class AchievementRetractedError(RuleViolationError):
    """Raised when a retracted achievement is verified or retracted again."""

    code = "achievement_retracted"


class AlreadyVerifiedError(RuleViolationError):
    """Raised when an achievement that is already verified is verified again."""

    code = "already_verified"


def external_ref_id(team_id: UUID, external_ref: str) -> UUID:
    """Return the one id an achievement with this external reference has in a team."""
    return uuid5(EXTERNAL_REF_NAMESPACE, f"{team_id}:{external_ref}")


def valid_kind(kind: str) -> str:
    """Return ``kind`` if it is a kind of achievement we know."""
    if kind not in KINDS:
        raise InvalidValueError("kind", f"Must be one of: {', '.join(KINDS)}.")
    return kind


def valid_amount(kind: str, value: Decimal | int | str | None) -> Decimal:
    """Return a money amount (for money kinds) or a count (others), refusing nonsense.

    A count defaults to 1. Amounts keep the places they were sent with ("12500.00"),
    so what comes back is exactly what went in.
    """
    money = kind in MONEY_KINDS
    if value is None:
        if money:
            raise InvalidValueError("value", "An amount is needed for this kind.")
        return Decimal(1)
    if isinstance(value, bool):
        raise InvalidValueError("value", "Must be a number.")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidValueError("value", "Must be a number.") from None
    if not amount.is_finite() or amount <= 0:
        raise InvalidValueError("value", "Must be a positive number.")
    if money:
        if amount > MAX_AMOUNT:
            raise InvalidValueError("value", f"Must be at most {MAX_AMOUNT:,.0f}.")
        places = -int(amount.as_tuple().exponent)
        if places > MAX_PLACES:
            raise InvalidValueError(
                "value", f"Must have at most {MAX_PLACES} decimal places."
            )
        return amount if places >= 0 else amount.quantize(Decimal(1))
    if amount != amount.to_integral_value() or amount > MAX_COUNT:
        raise InvalidValueError(
            "value", f"Must be a whole number from 1 to {MAX_COUNT}."
        )
    return Decimal(int(amount))


def valid_currency(kind: str, currency: str | None) -> str | None:
    """Return the ISO 4217 code a money kind needs; refuse one on other kinds."""
    if kind not in MONEY_KINDS:
        if currency is not None:
            raise InvalidValueError("currency", "Only money achievements have one.")
        return None
    if currency is None:
        raise InvalidValueError("currency", "A currency is needed for this kind.")
    if not re.fullmatch("[A-Z]{3}", currency):
        raise InvalidValueError("currency", "Must be a 3-letter code such as EUR.")
    return currency


def valid_day(team: Team, occurred_on: date | None, now: datetime) -> date:
    """Return the day it happened (today in UTC by default), refusing future days.

    "Today" is the later of the UTC date and the team's local date, so a team
    ahead of UTC can log what happened this morning.
    """
    utc_today = now.astimezone(UTC).date()
    if occurred_on is None:
        return utc_today
    if occurred_on > max(utc_today, now.astimezone(ZoneInfo(team.timezone)).date()):
        raise FieldRuleError("occurred_on", "Must not be in the future.")
    return occurred_on


class Achievement(Aggregate):
    """Something a team member did that counts: a deal won, a meeting, a course."""

    TOPIC = "wolfpack:Achievement"

    class Event(WolfpackEvent):
        pass

    class Created(Event, Aggregate.Created):
        TOPIC = "wolfpack:AchievementRecorded"
        team_id: UUID
        user_id: UUID
        kind: str
        value: Decimal
        currency: str | None
        note: str | None
        occurred_on: date
        external_ref: str | None

    class Verified(Event):
        TOPIC = "wolfpack:AchievementVerified"

    class Retracted(Event):
        TOPIC = "wolfpack:AchievementRetracted"
        reason: str

    @classmethod
    def record(
        cls,
        actor: Actor,
        team: Team,
        kind: str,
        value: Decimal | int | str | None,
        currency: str | None,
        note: str | None,
        occurred_on: date | None,
        external_ref: str | None,
        now: datetime,
    ) -> Achievement:
        """Record an achievement for oneself; an external reference names it."""
        if not team.is_member(actor.user_id):
            raise PermissionDeniedError("Only team members record achievements.")
        known = valid_kind(kind)
        ref = optional_text("external_ref", external_ref, REF_MAX)
        return cls._create(
            cls.Created,
            id=new_id(ACHIEVEMENT_NAMESPACE, actor)
            if ref is None
            else external_ref_id(team.id, ref),
            timestamp=now,
            actor_id=actor.user_id,
            request_id=actor.request_id,
            team_id=team.id,
            user_id=actor.user_id,
            kind=known,
            value=valid_amount(known, value),
            currency=valid_currency(known, currency),
            note=optional_text("note", note, NOTE_MAX),
            occurred_on=valid_day(team, occurred_on, now),
            external_ref=ref,
        )

    @event(Created)
    def __init__(
        self,
        actor_id: UUID,
        request_id: str | None,
        team_id: UUID,
        user_id: UUID,
        kind: str,
        value: Decimal,
        currency: str | None,
        note: str | None,
        occurred_on: date,
        external_ref: str | None,
    ) -> None:
        self.team_id = team_id
        self.user_id = user_id
        self.kind = kind
        self.value = value
        self.currency = currency
        self.note = note
        self.occurred_on = occurred_on
        self.external_ref = external_ref
        self.status: AchievementStatus = "recorded"
        self.verified_by: UUID | None = None
        self.verified_at: datetime | None = None
        self.retracted_by: UUID | None = None
        self.retracted_at: datetime | None = None
        self.retraction_reason: str | None = None

    def verify(self, actor: Actor, as_leader: bool, now: datetime) -> None:
        """Vouch for a recorded achievement (the team's leader, not for themself)."""
        if not as_leader:
            raise PermissionDeniedError("Only the team's leader verifies achievements.")
        if actor.user_id == self.user_id and not actor.is_admin:
            raise PermissionDeniedError("You cannot verify your own achievement.")
        self._require_not_retracted()
        if self.status == "verified":
            raise AlreadyVerifiedError("This achievement is already verified.")
        self._verified(actor.user_id, actor.request_id, timestamp=now)

    def retract(
        self, actor: Actor, as_leader: bool, reason: str, now: datetime
    ) -> None:
        """Take the achievement back for good, saying why (its owner or the leader)."""
        if actor.user_id != self.user_id and not as_leader:
            raise PermissionDeniedError(
                "Only its owner or the team's leader can retract an achievement."
            )
        self._require_not_retracted()
        why = required_text("reason", reason, REASON_MAX)
        self._retracted(actor.user_id, actor.request_id, why, timestamp=now)

    def _require_not_retracted(self) -> None:
        if self.status == "retracted":
            raise AchievementRetractedError("This achievement was retracted.")

    # State changes only: they run again on replay, where rules are not re-checked.

    @event(Verified)
    def _verified(
        self, actor_id: UUID, request_id: str | None, timestamp: datetime
    ) -> None:
        self.status = "verified"
        self.verified_by = actor_id
        self.verified_at = timestamp

    @event(Retracted)
    def _retracted(
        self,
        actor_id: UUID,
        request_id: str | None,
        reason: str,
        timestamp: datetime,
    ) -> None:
        self.status = "retracted"
        self.retracted_by = actor_id
        self.retracted_at = timestamp
        self.retraction_reason = reason
