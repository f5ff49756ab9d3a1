"""Targets and the charter: every rule, on the aggregates and through the use cases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from events.application import Wolfpack
from events.base import Actor
from events.charter import Charter, StaleCharterError
from events.errors import (
    FieldRuleError,
    InvalidValueError,
    NotFoundError,
    PermissionDeniedError,
    RuleViolationError,
    VersionConflictError,
)
from events.periods import parse_period, week_of
from events.scoring import DEFAULT_RULES, RULE_KEYS, ScoringRules, valid_rules
from events.target import Target, TargetExistsError, valid_value
from events.team import Team
from tests.unit.support import in_memory, stored_team

NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
ADMIN = Actor(uuid4(), is_admin=True)
LEADER = Actor(uuid4())
REP = Actor(uuid4())
OUTSIDER = Actor(uuid4())


@pytest.fixture
def team() -> Team:
    team = Team.create(ADMIN, "North", "Europe/London", NOW)
    team.add_member(ADMIN, LEADER.user_id, "leader", NOW)
    team.add_member(ADMIN, REP.user_id, "rep", NOW)
    return team


@pytest.fixture
def target(team: Team) -> Target:
    return Target.propose(REP, team, "revenue", "2030-03", Decimal("1000"), NOW)


# Periods


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        ("2030-W10", "2030-03-04", "2030-03-10"),
        ("2030-02", "2030-02-01", "2030-02-28"),
        ("2028-02", "2028-02-01", "2028-02-29"),
        ("2030-Q4", "2030-10-01", "2030-12-31"),
        ("2030", "2030-01-01", "2030-12-31"),
    ],
)
def test_periods_name_calendar_windows(name: str, first: str, last: str):
    period = parse_period(name)
    assert (period.first_day.isoformat(), period.last_day.isoformat()) == (first, last)


@pytest.mark.parametrize(
    "name", ["2030-13", "2030-Q5", "2030-W54", "30-01", "all", "", "2030-03\n", " 2030"]
)
def test_nonsense_periods_are_refused(name: str):
    with pytest.raises(InvalidValueError) as refused:
        parse_period(name)
    assert refused.value.field == "period"


def test_a_period_window_starts_at_local_midnight():
    start, end = parse_period("2030-03").window("America/New_York")
    assert start.isoformat() == "2030-03-01T00:00:00-05:00"
    assert end.isoformat() == "2030-04-01T00:00:00-04:00"


def test_the_week_of_a_moment_depends_on_the_team_time_zone():
    sunday_night_utc = datetime(2030, 3, 10, 23, 30, tzinfo=UTC)
    assert week_of(sunday_night_utc, "UTC") == "2030-W10"
    assert week_of(sunday_night_utc, "Asia/Tokyo") == "2030-W11"


# Targets


def test_a_member_proposes_a_target_for_themself(target: Target):
    assert (target.user_id, target.status, target.value) == (
        REP.user_id,
        "proposed",
        Decimal(1000),
    )
    assert target.created_on == NOW
    created = target.collect_events()[0]
    assert created.actor_id == REP.user_id


def test_an_outsider_cannot_propose_a_target(team: Team):
    with pytest.raises(PermissionDeniedError):
        Target.propose(OUTSIDER, team, "revenue", "2030-03", Decimal(1), NOW)


@pytest.mark.parametrize(
    ("metric", "period", "value", "field"),
    [
        ("smiles", "2030-03", "1", "metric"),
        ("revenue", "2030-W10", "1", "period"),
        ("revenue", "2030-03", "0", "value"),
        ("revenue", "2030-03", "-1", "value"),
        ("revenue", "2030-03", "NaN", "value"),
        ("revenue", "2030-03", "1e13", "value"),
    ],
)
def test_bad_target_values_are_refused(team: Team, metric, period, value, field):
    with pytest.raises(InvalidValueError) as refused:
        Target.propose(REP, team, metric, period, Decimal(value), NOW)
    assert refused.value.field == field


def test_valid_value_refuses_what_is_not_a_number():
    with pytest.raises(InvalidValueError):
        valid_value("lots")


def test_the_leader_agrees_a_proposed_target_once(target: Target):
    target.agree(LEADER, True, LATER)
    assert (target.status, target.decided_by, target.modified_on) == (
        "agreed",
        LEADER.user_id,
        LATER,
    )
    with pytest.raises(RuleViolationError):
        target.agree(LEADER, True, LATER)


def test_only_a_leader_agrees_and_never_their_own_target(team: Team, target: Target):
    with pytest.raises(PermissionDeniedError):
        target.agree(REP, False, LATER)
    own = Target.propose(LEADER, team, "revenue", "2030-03", Decimal(5), NOW)
    with pytest.raises(PermissionDeniedError):
        own.agree(LEADER, True, LATER)
    admin_owned = Target.propose(
        ADMIN, _team_with_admin(team), "points", "2030", Decimal(5), NOW
    )
    admin_owned.agree(ADMIN, True, LATER)
    assert admin_owned.status == "agreed"


def _team_with_admin(team: Team) -> Team:
    team.add_member(ADMIN, ADMIN.user_id, "leader", NOW)
    return team


def test_a_revision_needs_a_reason_and_a_different_value(target: Target):
    with pytest.raises(InvalidValueError) as no_reason:
        target.revise(LEADER, True, Decimal(2000), "  ", LATER)
    with pytest.raises(FieldRuleError) as same:
        target.revise(LEADER, True, Decimal(1000), "why", LATER)
    with pytest.raises(PermissionDeniedError):
        target.revise(REP, False, Decimal(2000), "why", LATER)
    assert (no_reason.value.field, same.value.field) == ("reason", "value")
    assert target.version == 1

    target.revise(LEADER, True, Decimal(2000), "Bigger patch", LATER)

    assert (target.value, target.proposed_value, target.status) == (
        Decimal(2000),
        Decimal(1000),
        "agreed",
    )
    assert target.revision_count == 1


# Charter


@pytest.fixture
def charter(team: Team) -> Charter:
    charter = Charter.start(LEADER, team.id, NOW)
    charter.publish(LEADER, True, "Customer first.", NOW)
    return charter


def test_versions_are_numbered_and_acknowledgements_follow_the_current_one(
    charter: Charter,
):
    charter.acknowledge(REP, True, 1, NOW)
    assert charter.has_acknowledged(REP.user_id)

    charter.publish(LEADER, True, "Customer first. Always.", LATER)

    assert charter.number == 2
    assert charter.published_at == LATER
    assert not charter.has_acknowledged(REP.user_id)
    with pytest.raises(StaleCharterError):
        charter.acknowledge(REP, True, 1, LATER)
    charter.acknowledge(REP, True, 2, LATER)
    with pytest.raises(RuleViolationError):
        charter.acknowledge(REP, True, 2, LATER)


def test_only_leaders_publish_and_only_members_acknowledge(charter: Charter):
    with pytest.raises(PermissionDeniedError):
        charter.publish(REP, False, "Mine", NOW)
    with pytest.raises(PermissionDeniedError):
        charter.acknowledge(OUTSIDER, False, 1, NOW)
    with pytest.raises(RuleViolationError):
        charter.publish(LEADER, True, "Customer first.", NOW)
    with pytest.raises(InvalidValueError):
        charter.publish(LEADER, True, "", NOW)


def test_nothing_can_be_acknowledged_before_a_first_publication(team: Team):
    charter = Charter.start(LEADER, team.id, NOW)
    with pytest.raises(RuleViolationError):
        charter.acknowledge(REP, True, 1, NOW)


# Use cases


@pytest.fixture
def app() -> Iterator[Wolfpack]:
    with in_memory(lambda: NOW) as application:
        yield application


@pytest.fixture
def team_id(app: Wolfpack):
    return stored_team(app, ADMIN, leaders=[LEADER], reps=[REP])


def test_a_second_proposal_for_the_same_metric_and_period_is_refused(
    app: Wolfpack, team_id
):
    app.propose_target(REP, team_id, "revenue", "2030-03", Decimal(1))
    with pytest.raises(TargetExistsError):
        app.propose_target(REP, team_id, "revenue", "2030-03", Decimal(2))


def test_a_retried_proposal_returns_the_first_and_records_nothing(
    app: Wolfpack, team_id
):
    keyed = Actor(REP.user_id, request_id="k1")
    first = app.propose_target(keyed, team_id, "revenue", "2030-03", Decimal(1))
    head = app.recorder.max_notification_id()

    again = app.propose_target(keyed, team_id, "revenue", "2030-03", Decimal(1))

    assert again.aggregate.id == first.aggregate.id
    assert app.recorder.max_notification_id() == head


def test_outsiders_cannot_see_targets(app: Wolfpack, team_id):
    tid = app.propose_target(
        REP, team_id, "revenue", "2030-03", Decimal(1)
    ).aggregate.id
    with pytest.raises(NotFoundError):
        app.get_target(OUTSIDER, tid)
    with pytest.raises(NotFoundError):
        app.agree_target(OUTSIDER, tid)
    assert [type(e).__name__ for e in app.target_history(LEADER, tid)] == ["Created"]


def test_the_first_charter_publication_creates_the_record(app: Wolfpack, team_id):
    with pytest.raises(NotFoundError):
        app.get_charter(REP, team_id)
    published = app.publish_charter(LEADER, team_id, "Customer first.")
    app.acknowledge_charter(REP, team_id, 1)

    charter = app.get_charter(REP, team_id)

    assert published.aggregate.number == 1
    assert charter.has_acknowledged(REP.user_id)
    assert len(app.charter_history(REP, team_id)) == 3


def test_publishing_over_a_stale_version_is_refused(app: Wolfpack, team_id):
    with pytest.raises(VersionConflictError):
        app.publish_charter(LEADER, team_id, "v1", expected_version=1)
    app.publish_charter(LEADER, team_id, "v1", expected_version=0)
    with pytest.raises(VersionConflictError):
        app.publish_charter(LEADER, team_id, "v2", expected_version=0)
    assert (
        app.publish_charter(LEADER, team_id, "v2", expected_version=1).aggregate.number
        == 2
    )


def test_a_rep_cannot_publish_the_first_charter(app: Wolfpack, team_id):
    head = app.recorder.max_notification_id()
    with pytest.raises(PermissionDeniedError):
        app.publish_charter(REP, team_id, "Mine")
    assert app.recorder.max_notification_id() == head


# Scoring rules


def test_the_default_rules_are_read_from_the_shipped_file():
    assert DEFAULT_RULES["commitment_kept"] == 10
    assert DEFAULT_RULES["commitment_missed"] < 0
    assert set(DEFAULT_RULES) == RULE_KEYS


def test_a_rule_set_keeps_defaults_for_keys_left_out():
    rules = valid_rules({"commitment_kept": 20})
    assert rules["commitment_kept"] == 20
    assert rules["achievement_deal_won"] == DEFAULT_RULES["achievement_deal_won"]


@pytest.mark.parametrize(
    "points",
    [
        {"vibes": 3},
        {"commitment_kept": 2.5},
        {"commitment_kept": True},
        {"commitment_kept": 1001},
    ],
)
def test_bad_rule_sets_are_refused(points):
    with pytest.raises(InvalidValueError) as refused:
        valid_rules(points)
    assert refused.value.field == "points"


def test_rule_versions_are_numbered_and_only_leaders_publish(team: Team):
    rules = ScoringRules.start(LEADER, team.id, NOW)
    with pytest.raises(PermissionDeniedError):
        rules.publish(REP, False, {}, None, NOW)
    rules.publish(LEADER, True, {}, "Adopt the defaults", NOW)
    rules.publish(LEADER, True, {"commitment_kept": 12}, None, LATER)
    with pytest.raises(RuleViolationError):
        rules.publish(LEADER, True, {"commitment_kept": 12}, None, LATER)
    assert (rules.number, rules.points["commitment_kept"], rules.published_at) == (
        2,
        12,
        LATER,
    )


def test_the_rules_in_force_are_none_until_published_then_the_latest(
    app: Wolfpack, team_id
):
    assert app.get_scoring_rules(REP, team_id) is None
    app.publish_scoring_rules(LEADER, team_id, {"commitment_kept": 15}, None)
    assert app.get_scoring_rules(REP, team_id).points["commitment_kept"] == 15
    with pytest.raises(NotFoundError):
        app.get_scoring_rules(OUTSIDER, team_id)


def test_the_loser_of_a_race_for_the_same_target_is_refused(app: Wolfpack, team_id):
    team = app.get_team(REP, team_id)
    mine = Target.propose(REP, team, "revenue", "2030-03", Decimal(1), NOW)
    rival = Target.propose(
        Actor(REP.user_id, request_id="other-tab"),
        team,
        "revenue",
        "2030-03",
        Decimal(2),
        NOW,
    )
    app.save(rival)

    with pytest.raises(TargetExistsError):
        app._create(mine, TargetExistsError("exists"))
    assert app.get_target(REP, mine.id).value == Decimal(2)
