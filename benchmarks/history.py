"""A generated year of many teams, written straight into an event store.

Every event comes from the aggregates' own command methods, so it is one the
application could have recorded; only the HTTP layer and the per-command load
and save are skipped, and many aggregates are saved per call, for speed.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from eventsourcing.domain import Aggregate

from events.achievement import KINDS, MONEY_KINDS, Achievement
from events.application import Wolfpack
from events.base import Actor
from events.commitment import Commitment
from events.endorsement import DEFAULT_LIMITS, EndorsementLedger
from events.scoring import ScoringRules
from events.team import Team

START = datetime(2025, 1, 6, tzinfo=UTC)  # a Monday
ZONES = ("UTC", "Europe/London", "America/New_York", "Asia/Tokyo", "Australia/Sydney")
SKILLS = ("discovery", "negotiation", "closing", "prospecting", "demo", "follow-up")
SAVE_CHUNK = 2000  # aggregates per save: one transaction each
COMPANY = "Company"  # the team every rep belongs to: the 1,000-rep leaderboard


@dataclass
class Crew:
    """A team aggregate kept in memory, with its leader and reps."""

    team: Team
    leader: Actor
    reps: list[Actor]


class History:
    """Writes weeks of activity until the event store holds ``target`` events.

    Team 0 (the company) has every rep; each rep also belongs to one of the other
    teams. Each week, in each of their two teams, a rep makes a commitment and
    reports progress on it, records one or two achievements and gives two
    endorsements; the next week the commitment is kept or missed and the
    achievements verified (or, rarely, retracted).
    """

    def __init__(
        self, app: Wolfpack, target: int, teams: int, reps: int, seed: int = 4
    ) -> None:
        self.app = app
        self.target = target
        self.rng = random.Random(seed)
        self.written = 0
        self.weeks = 0
        self.admin = Actor(self._uuid(), is_admin=True)
        people = [Actor(self._uuid()) for _ in range(reps)]
        self.crews = [self._crew(i, people if i == 0 else []) for i in range(teams)]
        for i, rep in enumerate(people):
            self.crews[1 + i % (teams - 1)].reps.append(rep)
        self.promised: list[tuple[Crew, Actor, Commitment]] = []
        self.recorded: list[tuple[Crew, Actor, Achievement]] = []

    @property
    def company(self) -> Crew:
        """Return the team every rep belongs to."""
        return self.crews[0]

    def write(self) -> int:
        """Write the history; return how many events were stored."""
        self._save(self._set_up())
        while self.written < self.target:
            self._save(self._week(START + timedelta(weeks=self.weeks)))
            self.weeks += 1
        return self.written

    def _uuid(self) -> UUID:
        return UUID(int=self.rng.getrandbits(128), version=4)

    def _crew(self, number: int, reps: list[Actor]) -> Crew:
        name = COMPANY if number == 0 else f"Team {number:03d}"
        team = Team.create(self.admin, name, ZONES[number % len(ZONES)], START)
        return Crew(team, Actor(self._uuid()), list(reps))

    def _set_up(self) -> list[Aggregate]:
        saved: list[Aggregate] = []
        for number, crew in enumerate(self.crews):
            team = crew.team
            team.add_member(self.admin, crew.leader.user_id, "leader", START)
            for rep in crew.reps:
                team.add_member(crew.leader, rep.user_id, "rep", START)
            saved.append(team)
            if number % 10 == 0:  # some teams publish their own rules
                rules = ScoringRules.start(crew.leader, team.id, START)
                points = {"commitment_kept": 12, "endorsement_received": 3}
                rules.publish(crew.leader, True, points, "Our rules.", START)
                saved.append(rules)
        return saved

    def _week(self, monday: datetime) -> list[Aggregate]:
        """Close last week's commitments and achievements, then start this week's."""
        saved: list[Aggregate] = [*self._settle(monday)]
        self.promised, self.recorded = [], []
        for crew in self.crews:
            for rep in crew.reps:
                saved.append(self._promise(crew, rep, monday))
                saved.extend(self._achieve(crew, rep, monday))
                saved.append(self._endorse(crew, rep, monday))
        return saved

    def _settle(self, monday: datetime) -> Iterable[Aggregate]:
        rng = self.rng
        for crew, rep, commitment in self.promised:
            roll = rng.random()
            if roll < 0.7:  # on time: due on Wednesday noon
                commitment.keep(rep, None, monday + timedelta(days=1, hours=10))
            elif roll < 0.8:
                commitment.keep(rep, "Late.", monday + timedelta(days=3, hours=10))
            else:
                late = monday + timedelta(days=3, hours=11)
                commitment.miss(crew.leader, True, "It slipped.", late)
            yield commitment
        for crew, rep, achievement in self.recorded:
            roll = rng.random()
            if roll < 0.85:
                achievement.verify(crew.leader, True, monday + timedelta(hours=9))
            elif roll < 0.88:
                achievement.retract(rep, False, "Duplicate.", monday)
            else:
                continue
            yield achievement

    def _promise(self, crew: Crew, rep: Actor, monday: datetime) -> Commitment:
        rng = self.rng
        made = monday + timedelta(days=rng.randint(0, 2), hours=rng.randint(8, 17))
        due = monday + timedelta(days=9, hours=12)
        witness = self._teammate(crew, rep)
        title = f"Book {rng.randint(2, 9)} demos"
        commitment = Commitment.make(rep, crew.team, title, None, due, [witness], made)
        commitment.report_progress(rep, "Halfway there.", made + timedelta(days=1))
        self.promised.append((crew, rep, commitment))
        return commitment

    def _achieve(self, crew: Crew, rep: Actor, monday: datetime) -> list[Achievement]:
        rng = self.rng
        made: list[Achievement] = []
        for _ in range(rng.randint(1, 2)):
            kind = rng.choice(KINDS)
            money = kind in MONEY_KINDS
            value = Decimal(rng.randrange(500, 50_000)) if money else None
            when = monday + timedelta(days=rng.randint(0, 4), hours=rng.randint(8, 17))
            currency = "EUR" if money else None
            achievement = Achievement.record(
                rep, crew.team, kind, value, currency, None, None, None, when
            )
            self.recorded.append((crew, rep, achievement))
            made.append(achievement)
        return made

    def _endorse(self, crew: Crew, rep: Actor, monday: datetime) -> EndorsementLedger:
        friday, team = monday + timedelta(days=4, hours=12), crew.team
        ledger = EndorsementLedger.open(rep, team, friday)
        first = self._teammate(crew, rep)
        second = self._teammate(crew, rep, first)
        for receiver in (first, second):
            given_id, skill = self._uuid(), self.rng.choice(SKILLS)
            ledger.give(
                rep, team, DEFAULT_LIMITS, given_id, receiver, skill, None, friday
            )
        return ledger

    def _teammate(self, crew: Crew, rep: Actor, besides: UUID | None = None) -> UUID:
        while True:
            other = self.rng.choice(crew.reps).user_id
            if other not in (rep.user_id, besides):
                return other

    def _save(self, aggregates: list[Aggregate]) -> None:
        """Save in chunks, stopping at the first aggregate that reaches the target."""
        chunk: list[Aggregate] = []
        for aggregate in aggregates:
            if self.written >= self.target:
                break
            chunk.append(aggregate)
            self.written += len(aggregate.pending_events)
            if len(chunk) == SAVE_CHUNK:
                self.app.save(*chunk)
                chunk = []
        if chunk:
            self.app.save(*chunk)
