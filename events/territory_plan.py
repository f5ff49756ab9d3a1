"""The TerritoryPlan aggregate: a rep's numbered plan versions and their approval."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from events.base import Actor, WolfpackEvent, required_text
from events.errors import InvalidValueError, PermissionDeniedError, RuleViolationError
from events.team import Team

PLAN_NAMESPACE = uuid5(NAMESPACE_URL, "https://wolfpack.example/territory-plans")
SUMMARY_MAX = 4000
ACCOUNTS_MAX = 500
NAME_MAX = 200
SEGMENT_MAX = 60
POTENTIAL_MAX = Decimal("1e15")
POTENTIAL_PLACES = 2

# How an account is stored in an event: plain strings, potential as a decimal.
AccountRecord = dict[str, str | None]


class StalePlanVersionError(RuleViolationError):
    """Raised when an approval names a version that is no longer the current one."""

    code = "stale_plan_version"


class PlanApprovedError(RuleViolationError):
    """Raised when the current version of a plan is approved a second time."""

    code = "plan_approved"


class PlanUnchangedError(RuleViolationError):
    """Raised when a new version would repeat the current one word for word."""

    code = "plan_unchanged"


def territory_plan_id(team_id: UUID, owner_id: UUID) -> UUID:
    """Return the id of the one plan a member has in a team."""
    return uuid5(PLAN_NAMESPACE, f"{team_id}:{owner_id}")


@dataclass(frozen=True)
class Version:
    """When a numbered version of the plan was submitted."""

    number: int
    submitted_at: datetime


def valid_accounts(accounts: Sequence[Mapping[str, str | None]]) -> list[AccountRecord]:
    """Return the accounts cleaned up for the record, refusing bad ones."""
    if len(accounts) > ACCOUNTS_MAX:
        raise InvalidValueError("accounts", f"At most {ACCOUNTS_MAX} accounts.")
    return [_account(n, a) for n, a in enumerate(accounts, start=1)]


def _account(n: int, account: Mapping[str, str | None]) -> AccountRecord:
    name = (account.get("name") or "").strip()
    if not name or len(name) > NAME_MAX:
        raise InvalidValueError(
            "accounts", f"Account {n}: name must be 1 to {NAME_MAX} characters."
        )
    segment = (account.get("segment") or "").strip() or None
    if segment is not None and len(segment) > SEGMENT_MAX:
        raise InvalidValueError(
            "accounts", f"Account {n}: segment must be at most {SEGMENT_MAX} chars."
        )
    potential = account.get("potential")
    return {
        "name": name,
        "segment": segment,
        "potential": None if potential is None else _potential(n, potential),
    }


def _potential(n: int, value: str) -> str:
    try:
        amount = Decimal(value.strip())
    except InvalidOperation:
        amount = Decimal("NaN")
    if (
        not amount.is_finite()
        or amount < 0
        or amount >= POTENTIAL_MAX
        or amount != round(amount, POTENTIAL_PLACES)
    ):
        raise InvalidValueError(
            "accounts",
            f"Account {n}: potential must be an amount from 0 to below 10^15, "
            f"with at most {POTENTIAL_PLACES} decimal places.",
        )
    return format(amount + 0, "f")


class TerritoryPlan(Aggregate):
    """A member's plan for their territory: versions they submit, a leader approves."""

    TOPIC = "wolfpack:TerritoryPlan"

    class Event(WolfpackEvent):
        pass

    class Created(Event, Aggregate.Created):
        TOPIC = "wolfpack:TerritoryPlanStarted"
        team_id: UUID
        owner_id: UUID

    class Submitted(Event):
        TOPIC = "wolfpack:TerritoryPlanSubmitted"
        number: int
        summary: str
        accounts: list[AccountRecord]

    class Approved(Event):
        TOPIC = "wolfpack:TerritoryPlanApproved"
        number: int

    @classmethod
    def start(cls, actor: Actor, team: Team, now: datetime) -> TerritoryPlan:
        """Open a member's plan in a team (done with its first version)."""
        if not team.is_member(actor.user_id):
            raise PermissionDeniedError("Only team members own territory plans.")
        return cls._create(
            cls.Created,
            id=territory_plan_id(team.id, actor.user_id),
            timestamp=now,
            actor_id=actor.user_id,
            request_id=actor.request_id,
            team_id=team.id,
            owner_id=actor.user_id,
        )

    @event(Created)
    def __init__(
        self, actor_id: UUID, request_id: str | None, team_id: UUID, owner_id: UUID
    ) -> None:
        self.team_id = team_id
        self.owner_id = owner_id
        self.summary = ""
        self.accounts: list[AccountRecord] = []
        self.versions: list[Version] = []
        self.approved_version: int | None = None
        self.approved_by: UUID | None = None
        self.approved_at: datetime | None = None

    @property
    def current_version(self) -> int:
        """Return the number of the latest version, 0 before the first."""
        return len(self.versions)

    def submit(
        self,
        actor: Actor,
        is_member: bool,
        summary: str,
        accounts: Sequence[Mapping[str, str | None]],
        now: datetime,
    ) -> None:
        """Submit a new version of one's own plan; it awaits approval again."""
        if actor.user_id != self.owner_id:
            raise PermissionDeniedError("Only the owner submits their plan.")
        if not is_member:
            raise PermissionDeniedError("Only team members own territory plans.")
        text = required_text("summary", summary, SUMMARY_MAX)
        records = valid_accounts(accounts)
        if self.versions and (text, records) == (self.summary, self.accounts):
            raise PlanUnchangedError("That is already the current version.")
        self._submitted(
            actor.user_id,
            actor.request_id,
            self.current_version + 1,
            text,
            records,
            timestamp=now,
        )

    def approve(
        self, actor: Actor, as_leader: bool, number: int | None, now: datetime
    ) -> None:
        """Approve the current version (the team's leader, not the plan's owner)."""
        if not as_leader:
            raise PermissionDeniedError("Only the team's leader approves plans.")
        if actor.user_id == self.owner_id and not actor.is_admin:
            raise PermissionDeniedError("You cannot approve your own plan.")
        if number is not None and number != self.current_version:
            raise StalePlanVersionError(
                f"Version {number} is not current: the plan is at version "
                f"{self.current_version}."
            )
        if self.approved_version == self.current_version:
            raise PlanApprovedError(
                f"Version {self.current_version} is already approved."
            )
        self._approved(
            actor.user_id, actor.request_id, self.current_version, timestamp=now
        )

    # State changes only; they run again on replay.

    @event(Submitted)
    def _submitted(
        self,
        actor_id: UUID,
        request_id: str | None,
        number: int,
        summary: str,
        accounts: list[AccountRecord],
        timestamp: datetime,
    ) -> None:
        self.summary = summary
        self.accounts = [dict(a) for a in accounts]
        self.versions.append(Version(number, timestamp))
        self.approved_version = None
        self.approved_by = None
        self.approved_at = None

    @event(Approved)
    def _approved(
        self, actor_id: UUID, request_id: str | None, number: int, timestamp: datetime
    ) -> None:
        self.approved_version = number
        self.approved_by = actor_id
        self.approved_at = timestamp
