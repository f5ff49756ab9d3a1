"""Badges: the pure rules first, then the read model fed with events."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Connection, create_engine, select

from events.achievement import Achievement
from events.base import Actor
from events.charter import Charter
from events.commitment import Commitment
from events.deal_review import DealReview
from events.endorsement import EndorsementLedger, Limits
from events.mentorship import Mentorship
from events.recognition import Recognition
from events.target import Target
from events.team import Team
from projections import badge_sources, badges
from projections.badge_rules import (
    BADGES,
    COUNTERS,
    TIERS,
    Step,
    Tally,
    advanced,
    due_tiers,
    is_working_day,
    newly_reached,
    next_working_day,
)
from projections.schema import metadata
from tests.unit.event_log import project
from tests.unit.support import person

THURSDAY = datetime(2030, 3, 7, 10, 0, tzinfo=UTC)
ADMIN = Actor(person().user_id, is_admin=True)
LEADER, REP, PEER = person(), person(), person()
BADGE = {badge.key: badge for badge in BADGES}


# The pure rules.


def test_the_definitions_are_data_with_known_counters_and_rising_tiers():
    assert len(BADGES) >= 12
    assert len(BADGE) == len(BADGES)
    assert {badge.kind for badge in BADGES} == {
        "first_time",
        "count",
        "threshold",
        "streak",
    }
    for badge in BADGES:
        assert badge.counter in COUNTERS
        needs = [need for _, need in badge.levels()]
        assert needs == sorted(set(needs)), badge.key
        if badge.kind == "first_time":
            assert badge.levels() == [(None, 1)]
        else:
            assert list(badge.tiers or ()) == list(TIERS), badge.key


def test_a_tier_is_due_once_reached_and_not_while_it_is_held():
    keeper = BADGE["promise_keeper"]
    assert due_tiers(keeper, Decimal(4), set()) == []
    assert due_tiers(keeper, Decimal(5), set()) == ["bronze"]
    assert due_tiers(keeper, Decimal(20), {"bronze"}) == ["silver"]
    assert due_tiers(keeper, Decimal(60), set(TIERS)) == []
    assert due_tiers(BADGE["first_deal"], Decimal(1), {None}) == []


def test_one_jump_past_several_thresholds_earns_each_tier_it_passes():
    rainmaker = BADGE["rainmaker"]
    assert due_tiers(rainmaker, Decimal("150000.00"), set()) == ["bronze", "silver"]


def test_working_days_are_monday_to_friday():
    friday, saturday = date(2030, 3, 8), date(2030, 3, 9)
    assert is_working_day(friday)
    assert not is_working_day(saturday)
    assert next_working_day(friday) == date(2030, 3, 11)
    assert next_working_day(saturday) == date(2030, 3, 11)


def test_a_run_of_working_days_spans_a_weekend_and_restarts_after_a_gap():
    team, ids = uuid4(), [uuid4() for _ in range(4)]
    days = [date(2030, 3, 8), date(2030, 3, 9), date(2030, 3, 11), date(2030, 3, 13)]
    tallies = [Tally()]
    for source_id, day in zip(ids, days, strict=True):
        step = Step(team, REP.user_id, "kept_days", "day", source_id, day=day)
        tallies.append(advanced(tallies[-1], step, cap=10))
    friday, saturday, monday, wednesday = tallies[1:]
    assert saturday == friday  # weekends neither count nor break
    assert (monday.value, monday.source_ids) == (2, (ids[0], ids[2]))
    assert (wednesday.value, wednesday.source_ids) == (1, (ids[3],))


def test_a_counter_keeps_source_ids_only_up_to_its_highest_threshold():
    tally = Tally()
    for _ in range(4):
        step = Step(uuid4(), REP.user_id, "commitments_kept", "add", uuid4())
        tally = advanced(tally, step, cap=3)
    assert (tally.value, len(tally.source_ids)) == (4, 3)


# The read model, fed with events as the runner feeds it.


@pytest.fixture
def conn() -> Iterator[Connection]:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as connection:
        yield connection


def new_team(conn: Connection, timezone: str = "UTC") -> Team:
    team = Team.create(ADMIN, "North", timezone, THURSDAY - timedelta(days=30))
    team.add_member(ADMIN, LEADER.user_id, "leader", THURSDAY)
    for member in (REP, PEER):
        team.add_member(ADMIN, member.user_id, "rep", THURSDAY)
    feed(conn, team)
    return team


@pytest.fixture
def team(conn: Connection) -> Team:
    return new_team(conn)


def feed(conn: Connection, *aggregates: object) -> None:
    for aggregate in aggregates:
        events = aggregate.collect_events()  # type: ignore[attr-defined]
        project(conn, (badges,), events)


def earned(conn: Connection, user: Actor = REP) -> list[tuple[str, str | None]]:
    return [(a["badge"], a["tier"]) for a in badges.awards_of(conn, user.user_id, None)]


def awards_of_badge(conn: Connection, badge: str) -> list[dict[str, Any]]:
    awards = badges.awards_of(conn, REP.user_id, None)
    return [award for award in awards if award["badge"] == badge]


def close(conn: Connection, team: Team, outcome: str, at: datetime) -> UUID:
    """Make a commitment and keep, miss or withdraw it at ``at``."""
    made = at - timedelta(days=2)
    promise = Commitment.make(
        REP, team, "Call", None, made + timedelta(days=1), [], made
    )
    if outcome == "kept":
        promise.keep(REP, None, at)
    elif outcome == "missed":
        promise.miss(LEADER, True, "No call", at)
    else:
        promise.withdraw(REP, "Deal lost", at)
    feed(conn, promise)
    return promise.id


def test_keeping_earns_first_time_and_count_tiers_at_the_keeping_event(conn, team):
    kept = [close(conn, team, "kept", THURSDAY + timedelta(hours=n)) for n in range(5)]
    (first,) = awards_of_badge(conn, "first_promise_kept")
    (keeper,) = awards_of_badge(conn, "promise_keeper")
    assert (first["awarded_at"], first["source_ids"]) == (THURSDAY, kept[:1])
    assert keeper["awarded_at"] == THURSDAY + timedelta(hours=4)
    assert (keeper["source_ids"], keeper["team_id"]) == (kept, team.id)


def test_a_miss_resets_the_streak_and_a_tier_is_never_earned_twice(conn, team):
    outcomes = ["kept", "kept", "missed", "kept", "kept", "kept", "missed"]
    outcomes += ["kept"] * 3
    ids = [
        close(conn, team, outcome, THURSDAY + timedelta(minutes=n))
        for n, outcome in enumerate(outcomes)
    ]
    streaks = awards_of_badge(conn, "unbroken_word")
    assert [(a["tier"], a["source_ids"]) for a in streaks] == [("bronze", ids[3:6])]


def test_a_withdrawal_neither_breaks_nor_extends_the_streak(conn, team):
    outcomes = ["kept", "withdrawn", "kept", "withdrawn", "kept"]
    ids = [
        close(conn, team, outcome, THURSDAY + timedelta(minutes=n))
        for n, outcome in enumerate(outcomes)
    ]
    (streak,) = awards_of_badge(conn, "unbroken_word")
    assert streak["source_ids"] == ids[::2]
    assert streak["awarded_at"] == THURSDAY + timedelta(minutes=4)


def test_the_daily_streak_counts_working_days_in_the_team_s_time_zone(conn):
    tokyo = new_team(conn, "Asia/Tokyo")
    thursday, friday, saturday = (THURSDAY + timedelta(days=n) for n in range(3))
    sunday_night_utc = datetime(2030, 3, 10, 23, 30, tzinfo=UTC)  # Monday in Tokyo
    ids = [close(conn, tokyo, "kept", at) for at in (thursday, friday, saturday)]
    assert ("consistent_daily", "bronze") not in earned(conn)
    ids.append(close(conn, tokyo, "kept", sunday_night_utc))
    (daily,) = awards_of_badge(conn, "consistent_daily")
    assert daily["awarded_at"] == sunday_night_utc
    assert daily["source_ids"] == [ids[0], ids[1], ids[3]]  # not Saturday's


LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("keeps", "bronze"),
    [  # late-evening keeps, London time, across what the calendar makes awkward
        (["2030-12-30 23:30", "2030-12-31 23:30", "2031-01-01 23:30"], True),
        (["2030-03-29 23:30", "2030-04-01 23:30", "2030-04-02 00:30"], True),
        (["2036-02-28 18:00", "2036-02-29 18:00", "2036-03-03 09:00"], True),
        (["2036-02-28 18:00", "2036-03-03 09:00", "2036-03-04 09:00"], False),
        (["2030-10-25 23:30", "2030-10-28 00:30", "2030-10-28 23:30"], False),
    ],
    ids=[
        "over-new-year",
        "over-the-clocks-going-forward",  # in UTC Tuesday 00:30 is still Monday
        "over-29-february",
        "29-february-skipped",
        "two-keeps-on-one-day-after-the-clocks-go-back",
    ],
)
def test_the_daily_streak_follows_the_team_s_calendar_on_awkward_days(
    conn, keeps, bronze
):
    london = new_team(conn, "Europe/London")
    for local in keeps:
        moment = datetime.fromisoformat(local).replace(tzinfo=LONDON)
        close(conn, london, "kept", moment.astimezone(UTC))

    assert (("consistent_daily", "bronze") in earned(conn)) is bronze


def test_a_working_day_without_a_keep_restarts_the_daily_streak(conn, team):
    for days in (0, 4, 5):  # Thursday, then Monday and Tuesday: Friday was skipped
        close(conn, team, "kept", THURSDAY + timedelta(days=days))
    assert ("consistent_daily", "bronze") not in earned(conn)
    close(conn, team, "kept", THURSDAY + timedelta(days=6))
    assert ("consistent_daily", "bronze") in earned(conn)


def achievement(team: Team, kind: str, value: str | None = None) -> Achievement:
    currency = "EUR" if value is not None else None
    amount = Decimal(value) if value is not None else None
    return Achievement.record(
        REP, team, kind, amount, currency, None, None, None, THURSDAY
    )


def test_revenue_adds_up_in_exact_decimals_to_reach_its_threshold(conn, team):
    first = achievement(team, "revenue", "9999.50")
    first.verify(LEADER, True, THURSDAY)
    feed(conn, first)
    cents = [achievement(team, "revenue", "0.05") for _ in range(10)]
    for n, small in enumerate(cents):
        small.verify(LEADER, True, THURSDAY + timedelta(minutes=n))
        feed(conn, small)
        if n < 9:  # in floats, ten 0.05s never quite make up the last 0.50
            assert ("rainmaker", "bronze") not in earned(conn)
    (rainmaker,) = badges.awards_of(conn, REP.user_id, None)
    assert rainmaker["source_ids"] == [first.id, *(c.id for c in cents)]


def test_only_verified_deals_count_and_a_retraction_takes_one_back(conn, team):
    unverified = achievement(team, "deal_won", "6000")
    retracted = achievement(team, "deal_won", "6000")
    retracted.verify(LEADER, True, THURSDAY)
    feed(conn, unverified, retracted)
    assert earned(conn) == [("first_deal", None)]
    retracted.retract(REP, False, "Duplicate", THURSDAY)
    unverified.retract(REP, False, "Typo", THURSDAY)
    later = achievement(team, "deal_won", "5000")
    later.verify(LEADER, True, THURSDAY)
    feed(conn, retracted, unverified, later)
    assert earned(conn) == [("first_deal", None)]  # 5,000 counted, not 11,000


def test_each_practice_earns_its_own_badge(conn, team):
    charter = Charter.start(LEADER, team.id, THURSDAY)
    charter.publish(LEADER, True, "We keep our word.", THURSDAY)
    charter.acknowledge(REP, True, 1, THURSDAY)
    award = Recognition.give(LEADER, team, REP.user_id, "Star", "Well done", THURSDAY)
    target = Target.propose(REP, team, "deals_won", "2030-03", Decimal(5), THURSDAY)
    target.agree(LEADER, True, THURSDAY)
    target.revise(LEADER, True, Decimal(6), "Stretch", THURSDAY)  # agrees nothing new
    ledger = EndorsementLedger.open(PEER, team, THURSDAY)
    for skill in ("discovery", "demo", "closing", "pricing", "negotiation"):
        ledger.give(
            PEER, team, Limits(5, 1), uuid4(), REP.user_id, skill, None, THURSDAY
        )
    reviews = [
        DealReview.request(LEADER, team, f"Deal {n}", "Why?", THURSDAY)
        for n in range(3)
    ]
    for review in reviews:
        review.give_feedback(REP, team, "Ask for the budget.", THURSDAY)
    feed(conn, charter, award, target, ledger, *reviews)
    assert earned(conn) == [
        ("charter_signatory", None),
        ("recognised", "bronze"),
        ("planner", "bronze"),
        ("endorsed", "bronze"),
        ("peer_reviewer", "bronze"),
    ]
    assert earned(conn, PEER) == [("generous", "bronze")]


def test_a_mentee_earns_in_every_team_they_are_in(conn, team):
    other = Team.create(ADMIN, "South", "UTC", THURSDAY)
    other.add_member(ADMIN, REP.user_id, "rep", THURSDAY)
    mentorship = Mentorship.start(
        ADMIN, False, PEER.user_id, REP.user_id, None, 1, THURSDAY
    )
    for _ in range(3):
        mentorship.log_check_in(PEER, THURSDAY.date(), "Talked", 4, [], THURSDAY)
        check_in = mentorship.logged_check_in(PEER)
        mentorship.acknowledge(REP, check_in.id, THURSDAY)
    feed(conn, other, mentorship)
    coached = badges.awards_of(conn, REP.user_id, None)
    assert sorted(a["team_id"] for a in coached) == sorted([team.id, other.id])
    assert {(a["badge"], a["tier"]) for a in coached} == {("coachable", "bronze")}
    assert len(badges.awards_of(conn, REP.user_id, [other.id])) == 1


def test_replaying_the_same_history_elsewhere_awards_the_same_badges_once():
    team = Team.create(ADMIN, "North", "Europe/London", THURSDAY)
    team.add_member(ADMIN, REP.user_id, "rep", THURSDAY)
    history = list(team.collect_events())
    for n in range(8):
        made = THURSDAY + timedelta(days=n)
        due = made + timedelta(hours=1)
        promise = Commitment.make(REP, team, "Call", None, due, [], made)
        promise.keep(REP, None, made + timedelta(minutes=30))
        history += promise.collect_events()
    replays = []
    for _ in range(2):
        engine = create_engine("sqlite://")
        metadata.create_all(engine)
        with engine.begin() as fresh:
            project(fresh, (badges,), history)
            replays.append(badges.awards_of(fresh, REP.user_id, None))
    first, second = replays
    assert first == second
    assert [(a["badge"], a["tier"]) for a in first] == [
        ("first_promise_kept", None),  # Thursday
        ("unbroken_word", "bronze"),  # Saturday: a third keep
        ("promise_keeper", "bronze"),  # Monday: a fifth keep...
        ("consistent_daily", "bronze"),  # ...and a third working day
        ("unbroken_word", "silver"),  # Wednesday: a seventh keep...
        ("consistent_daily", "silver"),  # ...and a fifth working day
    ]


def test_tiers_first_reached_are_those_due_with_what_the_peak_says_is_held():
    chance = random.Random(7)
    for counter in COUNTERS:
        held: dict[str, set[str | None]] = {b.key: set() for b in BADGES}
        value = peak = Decimal(0)
        for _ in range(400):
            value = max(Decimal(0), value + chance.choice([-3, -1, 0, 1, 1, 2, 9]))
            expected = [
                (badge.key, tier)
                for badge in BADGES
                if badge.counter == counter
                for tier in due_tiers(badge, value, held[badge.key])
            ]
            assert newly_reached(counter, peak, value) == expected
            for badge, tier in expected:
                held[badge].add(tier)
            peak = max(peak, value)


def counter_row(conn: Connection, counter: str) -> Any:
    c = badges.counters.c
    query = select(badges.counters).where(
        c.user_id == REP.user_id, c.counter == counter
    )
    return conn.execute(query).mappings().one()


def recognise(conn: Connection, team: Team, n: int) -> Recognition:
    award = Recognition.give(
        LEADER, team, REP.user_id, "Star", "Well done", THURSDAY + timedelta(hours=n)
    )
    feed(conn, award)
    return award


def test_a_tier_lost_and_reached_again_is_not_awarded_again(conn, team):
    first = recognise(conn, team, 0)
    first.withdraw(LEADER, "Wrong person", THURSDAY + timedelta(hours=1))
    feed(conn, first)
    assert counter_row(conn, "recognitions_received")["value"] == "0"
    recognise(conn, team, 2)
    (recognised,) = awards_of_badge(conn, "recognised")
    assert recognised["source_ids"] == [first.id]
    assert recognised["awarded_at"] == THURSDAY
    assert counter_row(conn, "recognitions_received")["peak"] == "1"


def test_once_every_tier_is_held_the_ids_stay_and_the_value_counts_on(conn, team):
    given = [recognise(conn, team, n) for n in range(16)]
    row = counter_row(conn, "recognitions_received")
    top = [str(award.id) for award in given[:15]]  # gold needs 15
    assert (row["value"], row["peak"], row["source_ids"]) == ("16", "16", top)
    given[3].withdraw(LEADER, "Duplicate", THURSDAY + timedelta(days=1))
    feed(conn, given[3])
    recognise(conn, team, 30)
    row = counter_row(conn, "recognitions_received")
    assert (row["value"], row["peak"], row["source_ids"]) == ("16", "16", top)
    tiers = [
        (a["tier"], len(a["source_ids"]))
        for a in badges.awards_of(conn, REP.user_id, None)
    ]
    assert tiers == [("bronze", 1), ("silver", 5), ("gold", 15)]


def test_a_mentee_removed_from_a_team_earns_there_no_more(conn, team):
    other = Team.create(ADMIN, "South", "UTC", THURSDAY)
    other.add_member(ADMIN, REP.user_id, "rep", THURSDAY)
    feed(conn, other)
    row = conn.execute(
        select(badge_sources.members).where(
            badge_sources.members.c.user_id == REP.user_id
        )
    ).one()
    assert row.team_ids == sorted([str(team.id), str(other.id)])
    other.remove_member(ADMIN, REP.user_id, THURSDAY)
    mentorship = Mentorship.start(
        ADMIN, False, PEER.user_id, REP.user_id, None, 1, THURSDAY
    )
    for _ in range(3):
        mentorship.log_check_in(PEER, THURSDAY.date(), "Talked", 4, [], THURSDAY)
        check_in = mentorship.logged_check_in(PEER)
        mentorship.acknowledge(REP, check_in.id, THURSDAY)
    feed(conn, other, mentorship)
    coached = badges.awards_of(conn, REP.user_id, None)
    assert [(a["badge"], a["team_id"]) for a in coached] == [("coachable", team.id)]
