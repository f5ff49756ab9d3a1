"""Peer endorsements: a team's weekly limits, and each giver's ledger for one week.

Each giver's endorsements for one ISO week in one team live in ONE aggregate, so
optimistic concurrency makes two simultaneous endorsements unable to both pass
the allowance: the second save collides, reloads and decides again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from events.base import Actor, WolfpackEvent, optional_text
from events.errors import (
    FieldRuleError,
    InvalidValueError,
    PermissionDeniedError,
    RuleViolationError,
)
from events.periods import parse_period, week_of
from events.team import Team

ENDORSEMENT_NAMESPACE = uuid5(NAMESPACE_URL, "https://wolfpack.example/endorsements")
POLICY_NAMESPACE = uuid5(NAMESPACE_URL, "https://wolfpack.example/endorsement-policies")
LEDGER_NAMESPACE = uuid5(NAMESPACE_URL, "https://wolfpack.example/endorsement-ledgers")
SKILL_MAX = 40
MESSAGE_MAX = 500
ALLOWANCE_RANGE = (1, 50)
PER_RECEIVER_SKILL_RANGE = (1, 10)
_SKILL_CHARACTERS = re.compile(r"^[\w+#.&/-]+$")


class SelfEndorsementError(RuleViolationError):
    """Raised when someone tries to endorse themself."""

    code = "self_endorsement"


class WeeklyAllowanceUsedError(RuleViolationError):
    """Raised when a giver has no endorsements left this week in the team."""

    code = "weekly_allowance_used"


class AlreadyEndorsedError(RuleViolationError):
    """Raised when a giver already endorsed this person for this skill this week."""

    code = "already_endorsed_this_week"


@dataclass(frozen=True)
class Limits:
    """How many endorsements one giver may give in a week, in all and per pair."""

    weekly_allowance: int
    per_receiver_skill_weekly: int


DEFAULT_LIMITS = Limits(weekly_allowance=5, per_receiver_skill_weekly=1)


@dataclass(frozen=True)
class Endorsement:
    """One peer's recognition of a teammate's skill."""

    id: UUID
    team_id: UUID
    from_user_id: UUID
    to_user_id: UUID
    skill: str
    message: str | None
    week: str
    given_at: datetime


def policy_id(team_id: UUID) -> UUID:
    """Return the id of a team's one endorsement policy."""
    return uuid5(POLICY_NAMESPACE, str(team_id))


def ledger_id(team_id: UUID, giver_id: UUID, week: str) -> UUID:
    """Return the id of the ledger of a giver's endorsements in a team and week."""
    return uuid5(LEDGER_NAMESPACE, f"{team_id}:{giver_id}:{week}")


def renews_on(week: str) -> date:
    """Return the Monday after an ISO week such as ``2026-W48``."""
    return parse_period(week, ("week",)).last_day + timedelta(days=1)


def valid_skill(skill: str) -> str:
    """Return a skill as a tag: lower case, inner spaces as one "-", 1 to 40 long."""
    tag = re.sub(r"-{2,}", "-", "-".join(skill.lower().split())).strip("-")
    if not tag:
        raise InvalidValueError("skill", "Must not be blank.")
    if len(tag) > SKILL_MAX:
        raise InvalidValueError("skill", f"Must be at most {SKILL_MAX} characters.")
    if not _SKILL_CHARACTERS.match(tag) or not any(c.isalnum() for c in tag):
        raise InvalidValueError(
            "skill", "Use letters and digits, with spaces or - + # . & / between."
        )
    return tag


def valid_limits(weekly_allowance: int, per_receiver_skill_weekly: int) -> Limits:
    """Return the limits if each lies in its range."""
    for field, value, (low, high) in (
        ("weekly_allowance", weekly_allowance, ALLOWANCE_RANGE),
        (
            "per_receiver_skill_weekly",
            per_receiver_skill_weekly,
            PER_RECEIVER_SKILL_RANGE,
        ),
    ):
        if isinstance(value, bool) or not low <= value <= high:
            raise InvalidValueError(field, f"Must be from {low} to {high}.")
    return Limits(weekly_allowance, per_receiver_skill_weekly)


def _times(count: int) -> str:
    return "1 endorsement" if count == 1 else f"{count} endorsements"


@dataclass(frozen=True)
class Allowance:
    """What a giver has given in a team this week, and what is left."""

    team_id: UUID
    team_name: str
    week: str
    limits: Limits
    given: list[Endorsement]

    @property
    def used(self) -> int:
        """Return how many endorsements the giver gave this week."""
        return len(self.given)

    @property
    def remaining(self) -> int:
        """Return how many more the giver may give this week (never below 0)."""
        return max(0, self.limits.weekly_allowance - self.used)

    @property
    def renews_on(self) -> date:
        """Return the Monday the allowance starts again."""
        return renews_on(self.week)


class EndorsementPolicy(Aggregate):
    """A team's endorsement limits, as its leader set them; defaults until then."""

    TOPIC = "wolfpack:EndorsementPolicy"

    class Event(WolfpackEvent):
        pass

    class Created(Event, Aggregate.Created):
        TOPIC = "wolfpack:EndorsementPolicySet"
        team_id: UUID
        weekly_allowance: int
        per_receiver_skill_weekly: int

    class Changed(Event):
        TOPIC = "wolfpack:EndorsementPolicyChanged"
        weekly_allowance: int
        per_receiver_skill_weekly: int

    @classmethod
    def establish(
        cls,
        actor: Actor,
        team: Team,
        weekly_allowance: int,
        per_receiver_skill_weekly: int,
        now: datetime,
    ) -> EndorsementPolicy:
        """Set a team's limits for the first time (its leader or an admin)."""
        _require_leader(actor, team)
        limits = valid_limits(weekly_allowance, per_receiver_skill_weekly)
        return cls._create(
            cls.Created,
            id=policy_id(team.id),
            timestamp=now,
            actor_id=actor.user_id,
            request_id=actor.request_id,
            team_id=team.id,
            weekly_allowance=limits.weekly_allowance,
            per_receiver_skill_weekly=limits.per_receiver_skill_weekly,
        )

    @event(Created)
    def __init__(
        self,
        actor_id: UUID,
        request_id: str | None,
        team_id: UUID,
        weekly_allowance: int,
        per_receiver_skill_weekly: int,
    ) -> None:
        self.team_id = team_id
        self.limits = Limits(weekly_allowance, per_receiver_skill_weekly)
        self.changed_by = actor_id

    def change(
        self,
        actor: Actor,
        team: Team,
        weekly_allowance: int,
        per_receiver_skill_weekly: int,
        now: datetime,
    ) -> None:
        """Set new limits; nothing is recorded when they are the current ones."""
        _require_leader(actor, team)
        limits = valid_limits(weekly_allowance, per_receiver_skill_weekly)
        if limits == self.limits:
            return
        self._changed(
            actor.user_id,
            actor.request_id,
            limits.weekly_allowance,
            limits.per_receiver_skill_weekly,
            timestamp=now,
        )

    # State changes only; they run again on replay.

    @event(Changed)
    def _changed(
        self,
        actor_id: UUID,
        request_id: str | None,
        weekly_allowance: int,
        per_receiver_skill_weekly: int,
        timestamp: datetime,
    ) -> None:
        self.limits = Limits(weekly_allowance, per_receiver_skill_weekly)
        self.changed_by = actor_id


def _require_leader(actor: Actor, team: Team) -> None:
    if not team.can_lead(actor):
        raise PermissionDeniedError(
            "Only the team's leader or an admin sets endorsement limits."
        )


class EndorsementLedger(Aggregate):
    """Every endorsement one giver gave in one team during one ISO week."""

    TOPIC = "wolfpack:EndorsementLedger"

    class Event(WolfpackEvent):
        pass

    class Created(Event, Aggregate.Created):
        TOPIC = "wolfpack:EndorsementLedgerOpened"
        team_id: UUID
        giver_id: UUID
        week: str

    class Given(Event):
        TOPIC = "wolfpack:EndorsementGiven"
        endorsement_id: UUID
        team_id: UUID
        from_user_id: UUID
        to_user_id: UUID
        skill: str
        message: str | None
        week: str
        weekly_allowance: int
        per_receiver_skill_weekly: int

    @classmethod
    def open(cls, actor: Actor, team: Team, now: datetime) -> EndorsementLedger:
        """Open a team member's ledger for the week ``now`` falls in, locally."""
        _require_member(actor, team)
        week = week_of(now, team.timezone)
        return cls._create(
            cls.Created,
            id=ledger_id(team.id, actor.user_id, week),
            timestamp=now,
            actor_id=actor.user_id,
            request_id=actor.request_id,
            team_id=team.id,
            giver_id=actor.user_id,
            week=week,
        )

    @event(Created)
    def __init__(
        self,
        actor_id: UUID,
        request_id: str | None,
        team_id: UUID,
        giver_id: UUID,
        week: str,
    ) -> None:
        self.team_id = team_id
        self.giver_id = giver_id
        self.week = week
        self.endorsements: dict[UUID, Endorsement] = {}

    @property
    def given(self) -> list[Endorsement]:
        """Return the endorsements given, oldest first."""
        return list(self.endorsements.values())

    def count_for(self, to_user_id: UUID, skill: str) -> int:
        """Return how often the giver endorsed this person for this skill."""
        return sum(
            1 for e in self.given if e.to_user_id == to_user_id and e.skill == skill
        )

    def give(
        self,
        actor: Actor,
        team: Team,
        limits: Limits,
        endorsement_id: UUID,
        to_user_id: UUID,
        skill: str,
        message: str | None,
        now: datetime,
    ) -> None:
        """Endorse a teammate's skill, within the team's weekly limits."""
        if actor.user_id != self.giver_id or team.id != self.team_id:
            raise PermissionDeniedError("This is someone else's endorsement ledger.")
        _require_member(actor, team)
        if to_user_id == actor.user_id:
            raise SelfEndorsementError("You cannot endorse yourself.")
        if not team.is_member(to_user_id):
            raise FieldRuleError("to_user_id", "Not a member of this team.")
        tag = valid_skill(skill)
        text = optional_text("message", message, MESSAGE_MAX)
        if week_of(now, team.timezone) != self.week:
            raise RuleViolationError(f"This ledger is for {self.week} only.")
        self._require_within(team, limits, to_user_id, tag)
        self._given(
            actor.user_id,
            actor.request_id,
            endorsement_id,
            self.team_id,
            actor.user_id,
            to_user_id,
            tag,
            text,
            self.week,
            limits.weekly_allowance,
            limits.per_receiver_skill_weekly,
            timestamp=now,
        )

    def _require_within(
        self, team: Team, limits: Limits, to_user_id: UUID, skill: str
    ) -> None:
        renews = f"it renews on Monday {renews_on(self.week).isoformat()}."
        if len(self.endorsements) >= limits.weekly_allowance:
            raise WeeklyAllowanceUsedError(
                "You have used your weekly allowance of "
                f"{_times(limits.weekly_allowance)} in {team.name}; {renews}"
            )
        if self.count_for(to_user_id, skill) >= limits.per_receiver_skill_weekly:
            raise AlreadyEndorsedError(
                f"You already endorsed this teammate for {skill} this week: "
                f"{team.name} allows {_times(limits.per_receiver_skill_weekly)} "
                f"per teammate and skill each week; {renews}"
            )

    # State changes only; they run again on replay.

    @event(Given)
    def _given(
        self,
        actor_id: UUID,
        request_id: str | None,
        endorsement_id: UUID,
        team_id: UUID,
        from_user_id: UUID,
        to_user_id: UUID,
        skill: str,
        message: str | None,
        week: str,
        weekly_allowance: int,
        per_receiver_skill_weekly: int,
        timestamp: datetime,
    ) -> None:
        self.endorsements[endorsement_id] = Endorsement(
            endorsement_id,
            team_id,
            from_user_id,
            to_user_id,
            skill,
            message,
            week,
            timestamp,
        )


def _require_member(actor: Actor, team: Team) -> None:
    if not team.is_member(actor.user_id):
        raise PermissionDeniedError("Only members of the team endorse in it.")
