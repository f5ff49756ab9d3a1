"""The reliability read model, fed with commitment events: counts, ratio, streaks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate
from sqlalchemy import Connection, create_engine

from events.base import Actor
from events.commitment import Commitment
from events.team import Team
from projections import commitments, reliability, teams
from projections.reliability import Tally, open_and_overdue, tally_of
from projections.schema import metadata
from tests.unit.event_log import project
from tests.unit.support import person

NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
DUE = NOW + timedelta(days=2)
AFTER_DUE = DUE + timedelta(minutes=1)
MODELS = (teams, commitments, reliability)


@dataclass
class Crew:
    """Two teams with the same leader and owner, and the read models' connection."""

    conn: Connection
    leader: Actor
    owner: Actor
    north: Team
    south: Team

    def feed(self, *aggregates: Aggregate) -> None:
        """Apply the aggregates' new events to the read models, in order."""
        for aggregate in aggregates:
            project(self.conn, MODELS, aggregate.collect_events())

    def make(self, team: Team | None = None, due_at: datetime = DUE) -> Commitment:
        """Make (and project) an open commitment of the owner's."""
        made = Commitment.make(
            self.owner, team or self.north, "Call Globex", None, due_at, [], NOW
        )
        self.feed(made)
        return made

    def close(self, outcome: str, team: Team | None = None) -> Commitment:
        """Make a commitment and close it with ``outcome``, both projected."""
        c = self.make(team)
        if outcome == "kept":
            c.keep(self.owner, "Done", NOW)
        elif outcome == "missed":
            c.miss(self.leader, True, "No call", AFTER_DUE)
        else:
            c.withdraw(self.owner, "Deal lost", NOW)
        self.feed(c)
        return c

    def tally(self, team: Team | None = None) -> Tally:
        """Return the owner's tally in a team, or overall."""
        return tally_of(self.conn, self.owner.user_id, team and team.id)


@pytest.fixture
def crew() -> Iterator[Crew]:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    admin, leader, owner = person(is_admin=True), person(), person()
    made = []
    for name in ("North", "South"):
        team = Team.create(admin, name, "UTC", NOW)
        team.add_member(admin, leader.user_id, "leader", NOW)
        team.add_member(admin, owner.user_id, "rep", NOW)
        made.append(team)
    with engine.begin() as conn:
        found = Crew(conn, leader, owner, *made)
        found.feed(*made)
        yield found
    engine.dispose()


def test_nobody_has_a_tally_before_closing_anything(crew: Crew):
    crew.make()

    assert crew.tally() == Tally()
    assert crew.tally().say_do_ratio is None


def test_kept_missed_and_withdrawn_are_counted_in_the_team_and_overall(crew: Crew):
    for outcome in ("kept", "kept", "missed", "withdrawn"):
        crew.close(outcome)
    crew.close("kept", crew.south)

    north, overall = crew.tally(crew.north), crew.tally()

    assert (north.kept, north.missed, north.withdrawn) == (2, 1, 1)
    assert (overall.kept, overall.missed, overall.withdrawn) == (3, 1, 1)
    assert north.say_do_ratio == pytest.approx(2 / 3, abs=1e-4)
    assert overall.say_do_ratio == 0.75


def test_a_miss_resets_the_streak_but_the_best_streak_is_kept(crew: Crew):
    for outcome in ("kept", "kept", "kept", "missed", "kept"):
        crew.close(outcome)

    tally = crew.tally()

    assert (tally.streak, tally.best_streak) == (1, 3)


def test_a_withdrawal_neither_breaks_nor_extends_the_streak(crew: Crew):
    for outcome in ("kept", "withdrawn", "kept", "withdrawn"):
        crew.close(outcome)

    tally = crew.tally()

    assert (tally.streak, tally.best_streak, tally.withdrawn) == (2, 2, 2)
    assert tally.say_do_ratio == 1.0


def test_only_withdrawals_leave_the_ratio_undefined(crew: Crew):
    crew.close("withdrawn")

    assert crew.tally().say_do_ratio is None


def test_renegotiating_progress_and_call_outs_count_for_nothing(crew: Crew):
    c = crew.make()
    c.renegotiate(crew.owner, DUE + timedelta(days=3), "Buyer away", NOW)
    c.report_progress(crew.owner, "Drafted", NOW)
    c.call_out(crew.leader, True, "Slipping", NOW)
    crew.feed(c)
    assert crew.tally() == Tally()

    c.keep(crew.owner, None, NOW)
    crew.feed(c)

    assert crew.tally() == Tally(kept=1, streak=1, best_streak=1)


def test_a_renegotiated_commitment_missed_later_still_breaks_the_streak(crew: Crew):
    crew.close("kept")
    c = crew.make()
    c.renegotiate(crew.owner, DUE + timedelta(days=3), "Buyer away", NOW)
    crew.feed(c)

    c.miss(crew.leader, True, "No call", DUE + timedelta(days=4))
    crew.feed(c)

    assert crew.tally() == Tally(kept=1, missed=1, streak=0, best_streak=1)


def test_the_streak_follows_the_order_of_closing_not_of_making(crew: Crew):
    first, second = crew.make(), crew.make()
    second.miss(crew.leader, True, "No call", AFTER_DUE)
    crew.feed(second)

    first.keep(crew.owner, None, NOW)
    crew.feed(first)

    assert crew.tally().streak == 1


def test_the_overall_streak_interleaves_the_teams_closings(crew: Crew):
    crew.close("kept", crew.north)
    crew.close("missed", crew.south)
    crew.close("kept", crew.north)

    assert crew.tally(crew.north) == Tally(kept=2, streak=2, best_streak=2)
    assert crew.tally(crew.south) == Tally(missed=1)
    assert crew.tally() == Tally(kept=2, missed=1, streak=1, best_streak=1)


def test_open_and_overdue_are_counted_at_the_time_asked(crew: Crew):
    crew.make(due_at=DUE)
    crew.make(due_at=DUE + timedelta(days=5))
    crew.make(crew.south, due_at=DUE)
    crew.close("kept")
    owner: UUID = crew.owner.user_id

    assert open_and_overdue(crew.conn, owner, None, NOW) == (3, 0)
    assert open_and_overdue(crew.conn, owner, None, AFTER_DUE) == (3, 2)
    assert open_and_overdue(crew.conn, owner, crew.north.id, AFTER_DUE) == (2, 1)


def test_commitments_made_and_closed_in_one_batch_are_all_counted(crew: Crew):
    made = [
        Commitment.make(crew.owner, team, "Call Globex", None, DUE, [], NOW)
        for team in (crew.north, crew.north, crew.south)
    ]
    made[0].keep(crew.owner, None, NOW)
    made[1].keep(crew.owner, None, NOW)
    made[2].miss(crew.leader, True, "No call", AFTER_DUE)
    # One batch: each closing reads the commitment and tallies the batch wrote.
    project(crew.conn, MODELS, [e for c in made for e in c.collect_events()])

    assert crew.tally(crew.north) == Tally(kept=2, streak=2, best_streak=2)
    assert crew.tally(crew.south) == Tally(missed=1)
    assert crew.tally() == Tally(kept=2, missed=1, streak=0, best_streak=2)
