"""The Commitment aggregate: a rep's promise to the team, and what became of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from events.base import (
    Actor,
    WolfpackEvent,
    new_id,
    optional_text,
    required_text,
)
from events.errors import (
    CommitmentClosedError,
    FieldRuleError,
    InvalidValueError,
    NotOverdueError,
    PermissionDeniedError,
    RuleViolationError,
)
from events.team import Team

Status = Literal["open", "kept", "missed", "withdrawn"]
COMMITMENT_NAMESPACE = uuid5(NAMESPACE_URL, "https://wolfpack.example/commitments")
TITLE_MAX = 200
MAX_HORIZON = timedelta(days=3653)
TEXT_MAX = 4000


@dataclass(frozen=True)
class Note:
    """A dated remark on a commitment: a progress report or a call-out."""

    text: str
    actor_id: UUID
    at: datetime


def future_time(field: str, value: datetime, now: datetime) -> datetime:
    """Return ``value`` if it carries a time zone and lies after ``now``."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValueError(field, "Must include a time zone offset.")
    if value <= now:
        raise FieldRuleError(field, "Must be in the future.")
    if value > now + MAX_HORIZON:
        raise FieldRuleError(field, "Must be within ten years.")
    return value


class Commitment(Aggregate):
    """One owner's promise with a due date, witnessed by teammates."""

    TOPIC = "wolfpack:Commitment"

    class Event(WolfpackEvent):
        pass

    class Created(Event, Aggregate.Created):
        TOPIC = "wolfpack:CommitmentMade"
        team_id: UUID
        owner_id: UUID
        title: str
        description: str | None
        due_at: datetime
        witness_ids: list[UUID]

    class ProgressReported(Event):
        TOPIC = "wolfpack:CommitmentProgressReported"
        note: str

    class Renegotiated(Event):
        TOPIC = "wolfpack:CommitmentRenegotiated"
        due_at: datetime
        reason: str

    class Kept(Event):
        TOPIC = "wolfpack:CommitmentKept"
        evidence: str | None

    class Missed(Event):
        TOPIC = "wolfpack:CommitmentMissed"
        reason: str

    class Withdrawn(Event):
        TOPIC = "wolfpack:CommitmentWithdrawn"
        reason: str

    class CalledOut(Event):
        TOPIC = "wolfpack:CommitmentCalledOut"
        note: str

    @classmethod
    def make(
        cls,
        actor: Actor,
        team: Team,
        title: str,
        description: str | None,
        due_at: datetime,
        witness_ids: list[UUID],
        now: datetime,
    ) -> Commitment:
        """Make a commitment to one's team, optionally witnessed by teammates."""
        if not team.is_member(actor.user_id):
            raise PermissionDeniedError("Only team members can make commitments.")
        return cls._create(
            cls.Created,
            id=new_id(COMMITMENT_NAMESPACE, actor),
            timestamp=now,
            actor_id=actor.user_id,
            request_id=actor.request_id,
            team_id=team.id,
            owner_id=actor.user_id,
            title=required_text("title", title, TITLE_MAX),
            description=optional_text("description", description, TEXT_MAX),
            due_at=future_time("due_at", due_at, now),
            witness_ids=_valid_witnesses(team, actor.user_id, witness_ids),
        )

    @event(Created)
    def __init__(
        self,
        actor_id: UUID,
        request_id: str | None,
        team_id: UUID,
        owner_id: UUID,
        title: str,
        description: str | None,
        due_at: datetime,
        witness_ids: list[UUID],
    ) -> None:
        self.team_id = team_id
        self.owner_id = owner_id
        self.title = title
        self.description = description
        self.due_at = due_at
        self.witness_ids = list(witness_ids)
        self.status: Status = "open"
        self.evidence: str | None = None
        self.closing_reason: str | None = None
        self.closed_at: datetime | None = None
        self.progress: list[Note] = []
        self.call_outs: list[Note] = []
        self.renegotiation_count = 0

    @property
    def is_open(self) -> bool:
        """Tell whether the commitment can still be worked on."""
        return self.status == "open"

    def is_overdue(self, now: datetime) -> bool:
        """Tell whether it is open and its due time has passed."""
        return self.is_open and now > self.due_at

    def report_progress(self, actor: Actor, note: str, now: datetime) -> None:
        """Record the owner's progress note."""
        self._require_owner_and_open(actor, "report progress on")
        text = required_text("note", note, TEXT_MAX)
        self._progress_reported(actor.user_id, actor.request_id, text, timestamp=now)

    def renegotiate(
        self, actor: Actor, due_at: datetime, reason: str, now: datetime
    ) -> None:
        """Move the due date, with a reason that stays on the record."""
        self._require_owner_and_open(actor, "renegotiate")
        new_due = future_time("due_at", due_at, now)
        why = required_text("reason", reason, TEXT_MAX)
        if new_due == self.due_at:
            raise FieldRuleError("due_at", "Must differ from the current due date.")
        self._renegotiated(actor.user_id, actor.request_id, new_due, why, timestamp=now)

    def keep(self, actor: Actor, evidence: str | None, now: datetime) -> None:
        """Mark the commitment kept, with optional evidence."""
        self._require_owner_and_open(actor, "keep")
        proof = optional_text("evidence", evidence, TEXT_MAX)
        self._kept(actor.user_id, actor.request_id, proof, timestamp=now)

    def withdraw(self, actor: Actor, reason: str, now: datetime) -> None:
        """Withdraw the commitment for good, saying why."""
        self._require_owner_and_open(actor, "withdraw")
        why = required_text("reason", reason, TEXT_MAX)
        self._withdrawn(actor.user_id, actor.request_id, why, timestamp=now)

    def miss(self, actor: Actor, as_leader: bool, reason: str, now: datetime) -> None:
        """Mark an overdue commitment missed; only the team's leader, not its owner."""
        if not as_leader:
            raise PermissionDeniedError("Only the team's leader can mark it missed.")
        if actor.user_id == self.owner_id:
            raise PermissionDeniedError("You cannot mark your own commitment missed.")
        self._require_open()
        if not self.is_overdue(now):
            raise NotOverdueError("It can be marked missed only after its due date.")
        why = required_text("reason", reason, TEXT_MAX)
        self._missed(actor.user_id, actor.request_id, why, timestamp=now)

    def call_out(self, actor: Actor, as_leader: bool, note: str, now: datetime) -> None:
        """Call out a slipping or missed commitment on the record; leaders only."""
        if not as_leader:
            raise PermissionDeniedError("Only the team's leader can call it out.")
        if self.status not in ("open", "missed"):
            raise RuleViolationError(
                f"A {self.status} commitment cannot be called out."
            )
        text = required_text("note", note, TEXT_MAX)
        self._called_out(actor.user_id, actor.request_id, text, timestamp=now)

    def _require_open(self) -> None:
        if not self.is_open:
            raise CommitmentClosedError(f"This commitment is already {self.status}.")

    def _require_owner_and_open(self, actor: Actor, verb: str) -> None:
        if actor.user_id != self.owner_id:
            raise PermissionDeniedError(f"Only the owner can {verb} a commitment.")
        self._require_open()

    # The methods below only change state: they run again on every replay, where
    # the rules above must not be re-checked. Commands stamp events with the
    # application's clock; on replay the library passes each stored ``timestamp``.

    @event(ProgressReported)
    def _progress_reported(
        self,
        actor_id: UUID,
        request_id: str | None,
        note: str,
        timestamp: datetime,
    ) -> None:
        self.progress.append(Note(note, actor_id, timestamp))

    @event(Renegotiated)
    def _renegotiated(
        self,
        actor_id: UUID,
        request_id: str | None,
        due_at: datetime,
        reason: str,
        timestamp: datetime,
    ) -> None:
        self.due_at = due_at
        self.renegotiation_count += 1

    @event(Kept)
    def _kept(
        self,
        actor_id: UUID,
        request_id: str | None,
        evidence: str | None,
        timestamp: datetime,
    ) -> None:
        self._close("kept", timestamp)
        self.evidence = evidence

    @event(Missed)
    def _missed(
        self,
        actor_id: UUID,
        request_id: str | None,
        reason: str,
        timestamp: datetime,
    ) -> None:
        self._close("missed", timestamp)
        self.closing_reason = reason

    @event(Withdrawn)
    def _withdrawn(
        self,
        actor_id: UUID,
        request_id: str | None,
        reason: str,
        timestamp: datetime,
    ) -> None:
        self._close("withdrawn", timestamp)
        self.closing_reason = reason

    @event(CalledOut)
    def _called_out(
        self,
        actor_id: UUID,
        request_id: str | None,
        note: str,
        timestamp: datetime,
    ) -> None:
        self.call_outs.append(Note(note, actor_id, timestamp))

    def _close(self, status: Status, at: datetime) -> None:
        self.status = status
        self.closed_at = at


def _valid_witnesses(team: Team, owner_id: UUID, witness_ids: list[UUID]) -> list[UUID]:
    unique = list(dict.fromkeys(witness_ids))
    if owner_id in unique:
        raise FieldRuleError("witness_ids", "You cannot witness your own promise.")
    strangers = [str(w) for w in unique if not team.is_member(w)]
    if strangers:
        raise FieldRuleError(
            "witness_ids", f"Not members of this team: {', '.join(strangers)}."
        )
    return unique
