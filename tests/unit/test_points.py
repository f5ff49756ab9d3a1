"""Scoring: awards per rule version, period totals in the team's time zone, ranks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Connection, create_engine, select

from events.achievement import Achievement
from events.base import Actor
from events.commitment import Commitment
from events.periods import parse_period, previous_period
from events.scoring import ScoringRules
from events.team import Team
from projections import points, teams
from projections.leaderboards import leaderboard, nearby
from projections.schema import metadata
from projections.scoring import competition_ranks, period_names
from tests.unit.event_log import project
from tests.unit.support import person

MONDAY = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
ADMIN = Actor(person().user_id, is_admin=True)
LEADER, REP, PEER = person(), person(), person()


@pytest.fixture
def conn() -> Iterator[Connection]:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as connection:
        yield connection


@pytest.fixture
def team(conn: Connection) -> Team:
    team = Team.create(ADMIN, "North", "Asia/Tokyo", MONDAY)
    team.add_member(ADMIN, LEADER.user_id, "leader", MONDAY)
    team.add_member(ADMIN, REP.user_id, "rep", MONDAY)
    team.add_member(ADMIN, PEER.user_id, "rep", MONDAY)
    feed(conn, team)
    return team


def feed(conn: Connection, *aggregates: object) -> None:
    """Apply the aggregates' pending events as the runner would."""
    for aggregate in aggregates:
        events = aggregate.collect_events()  # type: ignore[attr-defined]
        project(conn, (teams, points), events)


def ledger(conn: Connection) -> list[tuple[str, int, int]]:
    rows = conn.execute(select(points.ledger).order_by(points.ledger.c.id))
    return [(row.rule_key, row.points, row.rule_version) for row in rows]


def commitment(team: Team, due_in: timedelta = timedelta(days=2)) -> Commitment:
    return Commitment.make(REP, team, "Call Acme", None, MONDAY + due_in, [], MONDAY)


def test_keeping_on_time_earns_the_bonus_and_late_does_not(conn, team):
    on_time, late = commitment(team), commitment(team, timedelta(hours=1))
    on_time.keep(REP, None, MONDAY + timedelta(days=1))
    late.keep(REP, None, MONDAY + timedelta(days=1))
    feed(conn, on_time, late)
    assert ledger(conn) == [
        ("commitment_made", 1, 0),
        ("commitment_kept", 10, 0),
        ("commitment_kept_on_time", 5, 0),
        ("commitment_made", 1, 0),
        ("commitment_kept", 10, 0),
    ]


def test_a_renegotiated_due_date_decides_what_on_time_means(conn, team):
    promise = commitment(team, timedelta(hours=1))
    promise.renegotiate(REP, MONDAY + timedelta(days=3), "Buyer away", MONDAY)
    promise.keep(REP, None, MONDAY + timedelta(days=2))
    feed(conn, promise)
    assert ("commitment_kept_on_time", 5, 0) in ledger(conn)


def test_points_follow_the_rules_version_in_force_at_the_event(conn, team):
    first = commitment(team)
    rules = ScoringRules.start(LEADER, team.id, MONDAY)
    rules.publish(LEADER, True, {"commitment_made": 3}, None, MONDAY)
    second = commitment(team)
    feed(conn, first, rules, second)
    assert ledger(conn) == [("commitment_made", 1, 0), ("commitment_made", 3, 1)]
    assert points.rules_version(conn, team.id) == 1


def test_a_retracted_achievement_takes_its_points_back(conn, team):
    deal = Achievement.record(
        REP, team, "deal_won", Decimal(100), "EUR", None, None, None, MONDAY
    )
    deal.verify(LEADER, True, MONDAY)
    deal.retract(REP, False, "Duplicate", MONDAY)
    feed(conn, deal)
    assert ledger(conn) == [
        ("achievement_deal_won", 50, 0),
        ("achievement_deal_won", -50, 0),
    ]
    assert points.team_totals(conn, team.id, "all") == {REP.user_id: 0}


def test_totals_count_in_the_team_s_time_zone(conn, team):
    sunday_night_utc = datetime(2030, 3, 10, 23, 30, tzinfo=UTC)  # Monday in Tokyo
    promise = Commitment.make(
        REP, team, "T", None, sunday_night_utc + timedelta(days=1), [], sunday_night_utc
    )
    feed(conn, promise)
    assert points.team_totals(conn, team.id, "2030-W11") == {REP.user_id: 1}
    assert points.team_totals(conn, team.id, "2030-W10") == {}


def test_a_board_ranks_every_member_and_ties_share_a_rank(conn, team):
    feed(
        conn,
        commitment(team),
        Commitment.make(PEER, team, "T", None, MONDAY + timedelta(days=1), [], MONDAY),
    )
    rows = leaderboard(conn, team.id, "all", "points")
    assert [(r["points"], r["rank"]) for r in rows] == [(1, 1), (1, 1), (0, 3)]
    assert [r["user_id"] for r in nearby(rows, LEADER.user_id, reach=1)][
        -1
    ] == LEADER.user_id


def test_period_names_and_the_period_before():
    assert period_names(datetime(2030, 1, 1, 1, tzinfo=UTC), "America/New_York") == (
        "2030-W01",  # ISO weeks: Monday 31 December 2029 opens 2030-W01
        "2029-12",
        "2029-Q4",
        "2029",
        "all",
    )
    assert previous_period(parse_period("2030-W01")).name == "2029-W52"
    assert previous_period(parse_period("2030-01")).name == "2029-12"
    assert previous_period(parse_period("2030-Q1")).name == "2029-Q4"
    assert previous_period(parse_period("2030")).name == "2029"


@pytest.mark.parametrize(
    ("moment", "names"),
    [  # Each a moment (UTC) the calendar makes awkward, and its London periods.
        ("2026-12-31T23:30", ("2026-W53", "2026-12", "2026-Q4", "2026")),
        ("2027-01-01T00:20", ("2026-W53", "2027-01", "2027-Q1", "2027")),
        ("2027-03-31T23:30", ("2027-W13", "2027-04", "2027-Q2", "2027")),  # BST
        ("2027-03-28T01:30", ("2027-W12", "2027-03", "2027-Q1", "2027")),
        ("2027-10-31T00:30", ("2027-W43", "2027-10", "2027-Q4", "2027")),
        ("2028-02-29T23:59", ("2028-W09", "2028-02", "2028-Q1", "2028")),
        ("2028-03-01T00:00", ("2028-W09", "2028-03", "2028-Q1", "2028")),
    ],
)
def test_the_periods_of_awkward_moments_follow_the_team_s_calendar(moment, names):
    at = datetime.fromisoformat(moment).replace(tzinfo=UTC)

    assert period_names(at, "Europe/London") == (*names, "all")
    for name in names:
        start, end = parse_period(name).window("Europe/London")
        assert start <= at < end
    assert previous_period(parse_period(names[1])).last_day == (
        parse_period(names[1]).first_day - timedelta(days=1)
    )


@pytest.mark.parametrize(
    ("first", "before"),
    [
        ("1970-W01", "1969-W52"),
        ("1970-01", "1969-12"),
        ("1970-Q1", "1969-Q4"),
        ("1970", "1969"),
    ],
)
def test_the_period_before_the_first_one_can_be_compared_with(first, before):
    previous = previous_period(parse_period(first))

    assert previous.name == before
    assert previous.last_day < parse_period(first).first_day


def test_equal_scores_share_a_rank_and_the_next_rank_skips():
    assert competition_ranks([9, 7, 7, 7, 3]) == [1, 2, 2, 2, 5]
    assert competition_ranks([]) == []
