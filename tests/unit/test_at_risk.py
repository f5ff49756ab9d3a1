"""The at-risk list: pace arithmetic, and items read from events fed to the models."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from eventsourcing.domain import Aggregate
from sqlalchemy import Connection, create_engine

from events.achievement import Achievement
from events.base import Actor
from events.commitment import Commitment
from events.mentorship import Mentorship
from events.periods import parse_period
from events.target import Target
from events.team import Team
from projections import achievements, commitments, mentorships, targets, teams
from projections.at_risk import (
    RiskItem,
    at_risk,
    elapsed_fraction,
    is_behind_pace,
    mentees_in_team,
    metric_actual,
    pace_detail,
)
from projections.schema import metadata
from tests.unit.event_log import project
from tests.unit.support import person

MARCH = (datetime(2030, 3, 1, tzinfo=UTC), datetime(2030, 4, 1, tzinfo=UTC))
# Half of March (31 days) gone.
NOW = datetime(2030, 3, 16, 12, 0, tzinfo=UTC)
MODELS = (teams, commitments, targets, achievements, mentorships)


def test_the_elapsed_fraction_runs_from_nothing_to_all_of_the_period():
    start, end = MARCH

    assert elapsed_fraction(start, end, NOW) == Decimal("0.5")
    assert elapsed_fraction(start, end, start - timedelta(days=1)) == 0
    assert elapsed_fraction(start, end, end + timedelta(days=1)) == 1


@pytest.mark.parametrize(
    ("month", "hours"),
    [("2030-03", 31 * 24 - 1), ("2030-10", 31 * 24 + 1), ("2032-02", 29 * 24)],
    ids=["clocks-go-forward", "clocks-go-back", "leap-february"],
)
def test_the_elapsed_fraction_counts_the_hours_that_really_pass(month, hours):
    start, end = parse_period(month).window("Europe/London")
    an_hour_later = start + timedelta(hours=1)

    fraction = elapsed_fraction(start, end, an_hour_later.astimezone(UTC))

    assert fraction == Decimal(1) / Decimal(hours)
    assert elapsed_fraction(start, end, end.astimezone(UTC)) == 1


@pytest.mark.parametrize(
    ("actual", "behind"),
    [("0", True), ("399.99", True), ("400", False), ("450", False), ("900", False)],
)
def test_behind_pace_means_more_than_a_tenth_of_the_target_below_it(actual, behind):
    assert is_behind_pace(Decimal(actual), Decimal(1000), Decimal("0.5")) is behind


def test_actuals_sum_money_and_meetings_and_count_deals():
    done = [
        ("deal_won", "300.00"),
        ("deal_won", "100.50"),
        ("revenue", "50"),
        ("meeting", "3"),
        ("meeting", "2"),
        ("training_completed", "1"),
    ]

    assert metric_actual("revenue", done) == Decimal("450.50")
    assert metric_actual("deals_won", done) == 2
    assert metric_actual("meetings", done) == 5
    assert metric_actual("meetings", []) == 0


def test_the_pace_detail_says_how_much_of_what_with_how_much_time_gone():
    detail = pace_detail(
        Decimal("350.00"), Decimal(1000), "revenue", Decimal("0.5161"), "2030-03"
    )
    cents = pace_detail(
        Decimal("18500.5"), Decimal(45000), "revenue", Decimal("0.9"), "2030-03"
    )
    deals = pace_detail(Decimal(1), Decimal(3), "deals_won", Decimal("0.95"), "2030-03")

    assert detail == "350 of 1,000 revenue with 51% of 2030-03 gone"
    assert cents == "18,500.50 of 45,000 revenue with 90% of 2030-03 gone"
    assert deals == "1 of 3 deals won with 95% of 2030-03 gone"


@dataclass
class Floor:
    """A UTC team with a leader and two reps, and the read models' connection."""

    conn: Connection
    admin: Actor
    leader: Actor
    rep: Actor
    peer: Actor
    team: Team

    def feed(self, *aggregates: Aggregate) -> None:
        """Apply the aggregates' new events to the read models, in order."""
        for aggregate in aggregates:
            project(self.conn, MODELS, aggregate.collect_events())

    def target(self, metric: str, value: str, period: str = "2030-03") -> Target:
        """Store the rep's target, agreed by the leader."""
        made = Target.propose(self.rep, self.team, metric, period, Decimal(value), NOW)
        made.agree(self.leader, True, NOW)
        self.feed(made)
        return made

    def achieve(self, kind: str, value: str, verified: bool = True) -> None:
        """Store the rep's achievement of early March, verified unless told."""
        currency = "EUR" if kind in ("deal_won", "revenue") else None
        a = Achievement.record(
            self.rep,
            self.team,
            kind,
            value,
            currency,
            None,
            date(2030, 3, 2),
            None,
            NOW,
        )
        if verified:
            a.verify(self.leader, True, NOW)
        self.feed(a)

    def mentor(self, mentee: Actor, started: datetime) -> Mentorship:
        """Store an active mentorship of ``mentee`` by a new mentor, started then."""
        m = Mentorship.start(
            self.admin, False, uuid4(), mentee.user_id, None, 1, started
        )
        self.feed(m)
        return m

    def check_in(self, m: Mentorship, held_on: date) -> None:
        """Store the mentor's check-in held that day."""
        m.log_check_in(Actor(m.mentor_id), held_on, "Notes", 3, [], NOW)
        self.feed(m)

    def promise(self, owner: Actor, due: datetime, title: str = "Call") -> Commitment:
        """Store an open commitment made two days before it falls due."""
        made = Commitment.make(
            owner, self.team, title, None, due, [], due - timedelta(days=2)
        )
        self.feed(made)
        return made

    def items(self, mentor: Actor | None = None) -> list[RiskItem]:
        """Return the team's at-risk list now, whole or as a mentor sees it."""
        mentor_id = None if mentor is None else mentor.user_id
        return at_risk(self.conn, self.team.id, NOW, mentor_id)


@pytest.fixture
def floor() -> Iterator[Floor]:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    admin, leader, rep, peer = person(is_admin=True), person(), person(), person()
    team = Team.create(admin, "North", "UTC", MARCH[0] - timedelta(days=60))
    team.add_member(admin, leader.user_id, "leader", MARCH[0])
    for member in (rep, peer):
        team.add_member(admin, member.user_id, "rep", MARCH[0])
    with engine.begin() as conn:
        made = Floor(conn, admin, leader, rep, peer, team)
        made.feed(team)
        yield made
    engine.dispose()


def test_open_commitments_past_due_are_overdue_since_their_due_time(floor: Floor):
    due = NOW - timedelta(days=1)
    late = floor.promise(floor.rep, due, "Call Globex")
    kept = floor.promise(floor.rep, due, "Send deck")
    kept.keep(floor.rep, None, due - timedelta(hours=1))
    floor.feed(kept)
    floor.promise(floor.peer, NOW + timedelta(hours=1))

    assert floor.items() == [
        RiskItem("overdue_commitment", floor.rep.user_id, late.id, "Call Globex", due)
    ]


def test_an_agreed_target_behind_pace_counts_only_verified_achievements(floor: Floor):
    target = floor.target("revenue", "1000")
    floor.achieve("deal_won", "300.00")
    floor.achieve("revenue", "50.00")
    floor.achieve("deal_won", "200.00", verified=False)

    assert floor.items() == [
        RiskItem(
            "behind_pace",
            floor.rep.user_id,
            target.id,
            "350 of 1,000 revenue with 50% of 2030-03 gone",
            MARCH[0],
        )
    ]


def test_a_target_on_pace_or_within_a_tenth_of_it_is_not_at_risk(floor: Floor):
    floor.target("deals_won", "2")
    floor.target("meetings", "10")
    floor.achieve("deal_won", "10.00")
    floor.achieve("meeting", "4")

    assert floor.items() == []


def test_proposed_points_and_other_periods_targets_are_left_out(floor: Floor):
    proposed = Target.propose(
        floor.rep, floor.team, "meetings", "2030-03", Decimal(10), NOW
    )
    floor.feed(proposed)
    floor.target("points", "500")
    floor.target("revenue", "1000", period="2030-02")
    floor.target("revenue", "1000", period="2030-04")

    assert floor.items() == []


def test_the_period_is_the_teams_local_calendar(floor: Floor):
    """At 23:00 UTC on 31 March, March is not over in UTC, but it is in Auckland."""
    late_march = datetime(2030, 3, 31, 23, tzinfo=UTC)
    auckland = Team.create(floor.admin, "Kiwi", "Pacific/Auckland", MARCH[0])
    auckland.add_member(floor.admin, floor.leader.user_id, "leader", MARCH[0])
    auckland.add_member(floor.admin, floor.rep.user_id, "rep", MARCH[0])
    floor.feed(auckland)
    utc_target = floor.target("revenue", "1000")
    floor.team = auckland
    floor.target("revenue", "1000")

    in_utc = at_risk(floor.conn, utc_target.team_id, late_march)
    in_auckland = at_risk(floor.conn, auckland.id, late_march)

    assert [i.subject_id for i in in_utc] == [utc_target.id]
    assert in_auckland == []


def test_mentees_without_a_check_in_for_30_days_are_listed_since_the_last(
    floor: Floor,
):
    lapsed = floor.mentor(floor.rep, NOW - timedelta(days=60))
    floor.check_in(lapsed, date(2030, 2, 10))
    silent = floor.mentor(floor.peer, NOW - timedelta(days=31))
    floor.check_in(floor.mentor(floor.peer, NOW - timedelta(days=60)), date(2030, 3, 1))
    floor.mentor(floor.rep, NOW - timedelta(days=20))
    ended = floor.mentor(floor.peer, NOW - timedelta(days=90))
    ended.end(floor.admin, False, "Done", NOW - timedelta(days=80))
    floor.feed(ended)
    floor.mentor(person(), NOW - timedelta(days=90))

    assert floor.items() == [
        RiskItem(
            "no_recent_check_in",
            floor.rep.user_id,
            lapsed.id,
            "No check-in since 2030-02-10, 34 days ago",
            datetime(2030, 2, 10, tzinfo=UTC),
        ),
        RiskItem(
            "no_recent_check_in",
            floor.peer.user_id,
            silent.id,
            "No check-in since the mentorship started, 31 days ago",
            NOW - timedelta(days=31),
        ),
    ]


def test_the_most_severe_kind_comes_first_then_the_oldest(floor: Floor):
    floor.check_in(floor.mentor(floor.peer, NOW - timedelta(days=90)), date(2030, 1, 2))
    floor.mentor(floor.rep, NOW - timedelta(days=50))
    floor.target("revenue", "1000")
    for days in (1, 3):
        floor.promise(floor.peer, NOW - timedelta(days=days))

    items = floor.items()

    assert [(i.kind, i.user_id) for i in items] == [
        ("overdue_commitment", floor.peer.user_id),
        ("overdue_commitment", floor.peer.user_id),
        ("behind_pace", floor.rep.user_id),
        ("no_recent_check_in", floor.peer.user_id),
        ("no_recent_check_in", floor.rep.user_id),
    ]
    assert items[0].since < items[1].since
    assert items[3].since < items[4].since


def test_a_mentor_sees_only_their_mentees_and_their_own_mentorships(floor: Floor):
    mine = floor.mentor(floor.rep, NOW - timedelta(days=40))
    floor.mentor(floor.rep, NOW - timedelta(days=40))
    floor.mentor(floor.peer, NOW - timedelta(days=40))
    for owner in (floor.rep, floor.peer):
        floor.promise(owner, NOW - timedelta(days=1))
    mentor = Actor(mine.mentor_id)

    seen = floor.items(mentor)

    assert mentees_in_team(floor.conn, mentor.user_id, floor.team.id) == {
        floor.rep.user_id
    }
    assert [(i.kind, i.user_id) for i in seen] == [
        ("overdue_commitment", floor.rep.user_id),
        ("no_recent_check_in", floor.rep.user_id),
    ]
    assert seen[1].subject_id == mine.id
    assert len(floor.items()) == 5
