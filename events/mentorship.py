"""The Mentorship aggregate: a mentor's check-ins with a mentee, and action items."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from events.base import Actor, WolfpackEvent, new_id, optional_text, required_text
from events.errors import (
    FieldRuleError,
    InvalidValueError,
    NotFoundError,
    PermissionDeniedError,
    RuleViolationError,
)

MentorshipStatus = Literal["active", "ended"]
MENTORSHIP_NAMESPACE = uuid5(NAMESPACE_URL, "https://wolfpack.example/mentorships")
TEXT_MAX = 4000
ITEM_MAX = 500
ITEMS_MAX = 20
CONFIDENCE = range(1, 6)


class MentorshipExistsError(RuleViolationError):
    """Raised when a mentor and mentee already have an active mentorship."""

    code = "mentorship_exists"


class MentorshipEndedError(RuleViolationError):
    """Raised when a command needs an active mentorship and this one has ended."""

    code = "mentorship_ended"


class ActionItemDoneError(RuleViolationError):
    """Raised when an action item already done is completed again."""

    code = "action_item_done"


class CheckInAcknowledgedError(RuleViolationError):
    """Raised when the mentee acknowledges a check-in a second time."""

    code = "check_in_acknowledged"


def mentorship_id(mentor_id: UUID, mentee_id: UUID, number: int) -> UUID:
    """Return the id of the pair's ``number``-th mentorship (1 for their first)."""
    return uuid5(MENTORSHIP_NAMESPACE, f"{mentor_id}:{mentee_id}:{number}")


@dataclass
class ActionItem:
    """Something agreed at a check-in, and whether it has been done."""

    id: UUID
    text: str
    done_at: datetime | None = None
    done_by: UUID | None = None

    @property
    def done(self) -> bool:
        """Tell whether the item has been completed."""
        return self.done_at is not None


@dataclass
class CheckIn:
    """One meeting of mentor and mentee, as the mentor logged it."""

    id: UUID
    held_on: date
    notes: str
    confidence: int
    logged_at: datetime
    action_items: list[ActionItem] = field(default_factory=list)
    acknowledged_at: datetime | None = None


class Mentorship(Aggregate):
    """A mentor (in any team, or none) coaching a mentee through logged check-ins."""

    TOPIC = "wolfpack:Mentorship"

    class Event(WolfpackEvent):
        pass

    class Created(Event, Aggregate.Created):
        TOPIC = "wolfpack:MentorshipStarted"
        mentor_id: UUID
        mentee_id: UUID
        number: int
        goals: str | None

    class CheckInLogged(Event):
        TOPIC = "wolfpack:MentorshipCheckInLogged"
        check_in_id: UUID
        held_on: date
        notes: str
        confidence: int
        action_item_ids: list[UUID]
        action_items: list[str]

    class ActionItemCompleted(Event):
        TOPIC = "wolfpack:MentorshipActionItemCompleted"
        check_in_id: UUID
        item_id: UUID

    class CheckInAcknowledged(Event):
        TOPIC = "wolfpack:MentorshipCheckInAcknowledged"
        check_in_id: UUID

    class Ended(Event):
        TOPIC = "wolfpack:MentorshipEnded"
        reason: str

    @classmethod
    def start(
        cls,
        actor: Actor,
        leads_mentee: bool,
        mentor_id: UUID,
        mentee_id: UUID,
        goals: str | None,
        number: int,
        now: datetime,
    ) -> Mentorship:
        """Start the pair's ``number``-th mentorship (an admin or mentee's leader)."""
        if not (actor.is_admin or leads_mentee):
            raise PermissionDeniedError(
                "Only an admin or a leader of the mentee's team starts a mentorship."
            )
        if mentor_id == mentee_id:
            raise FieldRuleError("mentee_id", "Must be someone other than the mentor.")
        return cls._create(
            cls.Created,
            id=mentorship_id(mentor_id, mentee_id, number),
            timestamp=now,
            actor_id=actor.user_id,
            request_id=actor.request_id,
            mentor_id=mentor_id,
            mentee_id=mentee_id,
            number=number,
            goals=optional_text("goals", goals, TEXT_MAX),
        )

    @event(Created)
    def __init__(
        self,
        actor_id: UUID,
        request_id: str | None,
        mentor_id: UUID,
        mentee_id: UUID,
        number: int,
        goals: str | None,
    ) -> None:
        self.mentor_id = mentor_id
        self.mentee_id = mentee_id
        self.number = number
        self.goals = goals
        self.started_by = actor_id
        self.status: MentorshipStatus = "active"
        self.check_ins: list[CheckIn] = []
        self.ended_at: datetime | None = None
        self.ended_by: UUID | None = None
        self.end_reason: str | None = None

    @property
    def is_active(self) -> bool:
        """Tell whether the mentorship still takes check-ins."""
        return self.status == "active"

    def can_see(self, actor: Actor, leads_mentee: bool) -> bool:
        """Tell whether the actor may see it: the pair, admins, the mentee's leaders."""
        return (
            actor.is_admin
            or leads_mentee
            or actor.user_id in (self.mentor_id, self.mentee_id)
        )

    def check_in(self, check_in_id: UUID) -> CheckIn:
        """Return one of its check-ins."""
        for found in self.check_ins:
            if found.id == check_in_id:
                return found
        raise NotFoundError("Check-in not found.")

    def action_item(self, item_id: UUID) -> tuple[CheckIn, ActionItem]:
        """Return an action item and the check-in that agreed it."""
        for check_in in self.check_ins:
            for item in check_in.action_items:
                if item.id == item_id:
                    return check_in, item
        raise NotFoundError("Action item not found.")

    def logged_check_in(self, actor: Actor) -> CheckIn:
        """Return the check-in the actor's request logged (the latest, unkeyed)."""
        if actor.request_id is None:
            return self.check_ins[-1]
        return self.check_in(new_id(self.id, actor))

    def log_check_in(
        self,
        actor: Actor,
        held_on: date,
        notes: str,
        confidence: int,
        action_items: list[str],
        now: datetime,
    ) -> None:
        """Log a check-in held with the mentee (the mentor only)."""
        if actor.user_id != self.mentor_id:
            raise PermissionDeniedError("Only the mentor logs check-ins.")
        if not self.is_active:
            raise MentorshipEndedError("This mentorship has ended.")
        check_in_id = new_id(self.id, actor)
        texts = _valid_items(action_items)
        self._check_in_logged(
            actor.user_id,
            actor.request_id,
            check_in_id,
            _past_date(held_on, now),
            required_text("notes", notes, TEXT_MAX),
            _valid_confidence(confidence),
            [uuid5(check_in_id, str(n)) for n in range(len(texts))],
            texts,
            timestamp=now,
        )

    def complete_action_item(self, actor: Actor, item_id: UUID, now: datetime) -> None:
        """Mark an action item done (the mentor or the mentee)."""
        if actor.user_id not in (self.mentor_id, self.mentee_id):
            raise PermissionDeniedError("Only the mentor or mentee completes items.")
        check_in, item = self.action_item(item_id)
        if item.done:
            raise ActionItemDoneError("That action item is already done.")
        self._action_item_completed(
            actor.user_id, actor.request_id, check_in.id, item.id, timestamp=now
        )

    def acknowledge(self, actor: Actor, check_in_id: UUID, now: datetime) -> None:
        """Acknowledge a check-in, once (the mentee only)."""
        if actor.user_id != self.mentee_id:
            raise PermissionDeniedError("Only the mentee acknowledges a check-in.")
        if self.check_in(check_in_id).acknowledged_at is not None:
            raise CheckInAcknowledgedError("You already acknowledged that check-in.")
        self._check_in_acknowledged(
            actor.user_id, actor.request_id, check_in_id, timestamp=now
        )

    def end(self, actor: Actor, leads_mentee: bool, reason: str, now: datetime) -> None:
        """End the mentorship, saying why (an admin, mentee's leader or mentor)."""
        if not (actor.is_admin or leads_mentee or actor.user_id == self.mentor_id):
            raise PermissionDeniedError(
                "Only the mentor, a leader of the mentee's team or an admin ends it."
            )
        if not self.is_active:
            raise MentorshipEndedError("This mentorship has already ended.")
        why = required_text("reason", reason, TEXT_MAX)
        self._ended(actor.user_id, actor.request_id, why, timestamp=now)

    # State changes only: they run again on replay, where the rules above must not.

    @event(CheckInLogged)
    def _check_in_logged(
        self,
        actor_id: UUID,
        request_id: str | None,
        check_in_id: UUID,
        held_on: date,
        notes: str,
        confidence: int,
        action_item_ids: list[UUID],
        action_items: list[str],
        timestamp: datetime,
    ) -> None:
        items = [
            ActionItem(i, t) for i, t in zip(action_item_ids, action_items, strict=True)
        ]
        self.check_ins.append(
            CheckIn(check_in_id, held_on, notes, confidence, timestamp, items)
        )

    @event(ActionItemCompleted)
    def _action_item_completed(
        self,
        actor_id: UUID,
        request_id: str | None,
        check_in_id: UUID,
        item_id: UUID,
        timestamp: datetime,
    ) -> None:
        _, item = self.action_item(item_id)
        item.done_at = timestamp
        item.done_by = actor_id

    @event(CheckInAcknowledged)
    def _check_in_acknowledged(
        self,
        actor_id: UUID,
        request_id: str | None,
        check_in_id: UUID,
        timestamp: datetime,
    ) -> None:
        self.check_in(check_in_id).acknowledged_at = timestamp

    @event(Ended)
    def _ended(
        self, actor_id: UUID, request_id: str | None, reason: str, timestamp: datetime
    ) -> None:
        self.status = "ended"
        self.ended_at = timestamp
        self.ended_by = actor_id
        self.end_reason = reason


def _past_date(held_on: date, now: datetime) -> date:
    if isinstance(held_on, datetime):
        raise InvalidValueError("held_on", "Must be a date without a time.")
    if held_on > now.astimezone(UTC).date():
        raise FieldRuleError("held_on", "Must not be in the future.")
    return held_on


def _valid_confidence(confidence: int) -> int:
    if type(confidence) is not int or confidence not in CONFIDENCE:
        raise InvalidValueError("confidence", "Must be a whole number from 1 to 5.")
    return confidence


def _valid_items(texts: list[str]) -> list[str]:
    if len(texts) > ITEMS_MAX:
        raise InvalidValueError(
            "action_items", f"Must be at most {ITEMS_MAX} action items."
        )
    return [required_text("action_items", t, ITEM_MAX) for t in texts]
