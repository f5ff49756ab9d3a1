"""Territory plans: every rule, on the aggregate and through the use cases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from events.application import Wolfpack
from events.base import Actor
from events.errors import (
    InvalidValueError,
    NotFoundError,
    PermissionDeniedError,
    VersionConflictError,
)
from events.team import Team
from events.territory_plan import (
    ACCOUNTS_MAX,
    PlanApprovedError,
    PlanUnchangedError,
    StalePlanVersionError,
    TerritoryPlan,
    territory_plan_id,
    valid_accounts,
)
from tests.unit.support import head, in_memory, keyed, refuse, stored_team

NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=2)
ADMIN = Actor(uuid4(), is_admin=True)
LEADER = Actor(uuid4())
REP = Actor(uuid4())
PEER = Actor(uuid4())
OUTSIDER = Actor(uuid4())
ACME = {"name": "Acme", "segment": "Enterprise", "potential": "125000.50"}


@pytest.fixture
def team() -> Team:
    team = Team.create(ADMIN, "North", "Europe/London", NOW)
    team.add_member(ADMIN, LEADER.user_id, "leader", NOW)
    for rep in (REP, PEER):
        team.add_member(ADMIN, rep.user_id, "rep", NOW)
    return team


def started(team: Team, owner: Actor = REP) -> TerritoryPlan:
    plan = TerritoryPlan.start(owner, team, NOW)
    plan.submit(owner, True, "Grow the north-west", [ACME], NOW)
    plan.collect_events()
    return plan


@pytest.fixture
def plan(team: Team) -> TerritoryPlan:
    return started(team)


# Versions


def test_a_member_starts_their_plan_with_version_one(team: Team):
    plan = TerritoryPlan.start(REP, team, NOW)
    plan.submit(REP, True, "  Grow  ", [{"name": " Acme ", "segment": " "}], NOW)

    assert plan.id == territory_plan_id(team.id, REP.user_id)
    assert (plan.team_id, plan.owner_id, plan.current_version) == (
        team.id,
        REP.user_id,
        1,
    )
    assert plan.summary == "Grow"
    assert plan.accounts == [{"name": "Acme", "segment": None, "potential": None}]
    assert [(v.number, v.submitted_at) for v in plan.versions] == [(1, NOW)]
    events = plan.collect_events()
    assert [type(e).TOPIC for e in events] == [
        "wolfpack:TerritoryPlanStarted",
        "wolfpack:TerritoryPlanSubmitted",
    ]
    assert {e.actor_id for e in events} == {REP.user_id}


def test_a_new_version_is_numbered_and_resets_the_approval(plan: TerritoryPlan):
    plan.approve(LEADER, True, 1, NOW)

    plan.submit(REP, True, "Grow the north-west and Wales", [], LATER)

    assert plan.current_version == 2
    assert (plan.summary, plan.accounts) == ("Grow the north-west and Wales", [])
    assert [(v.number, v.submitted_at) for v in plan.versions] == [
        (1, NOW),
        (2, LATER),
    ]
    assert (plan.approved_version, plan.approved_by, plan.approved_at) == (
        None,
        None,
        None,
    )


def test_a_version_that_repeats_the_current_one_is_refused(plan: TerritoryPlan):
    refuse(
        plan,
        PlanUnchangedError,
        lambda: plan.submit(REP, True, " Grow the north-west ", [ACME], LATER),
    )


def test_only_the_owner_submits_versions_while_a_member(plan: TerritoryPlan):
    refuse(
        plan,
        PermissionDeniedError,
        lambda: plan.submit(PEER, True, "Mine now", [], LATER),
    )
    refuse(
        plan,
        PermissionDeniedError,
        lambda: plan.submit(REP, False, "Left the team", [], LATER),
    )


@pytest.mark.parametrize("actor", [OUTSIDER, ADMIN])
def test_only_team_members_own_plans(team: Team, actor: Actor):
    with pytest.raises(PermissionDeniedError):
        TerritoryPlan.start(actor, team, NOW)


@pytest.mark.parametrize(
    ("summary", "accounts", "field"),
    [
        ("  ", [], "summary"),
        ("x" * 4001, [], "summary"),
        ("S", [{"name": " "}], "accounts"),
        ("S", [{"name": "x" * 201}], "accounts"),
        ("S", [{"name": "A", "segment": "x" * 61}], "accounts"),
        ("S", [{"name": "A"}] * (ACCOUNTS_MAX + 1), "accounts"),
    ],
)
def test_bad_versions_are_refused_and_named(
    plan: TerritoryPlan, summary: str, accounts: list, field: str
):
    error = refuse(
        plan,
        InvalidValueError,
        lambda: plan.submit(REP, True, summary, accounts, LATER),
    )
    assert isinstance(error, InvalidValueError)
    assert error.field == field


@pytest.mark.parametrize(
    ("given", "stored"),
    [("0", "0"), ("1500", "1500"), ("1500.50", "1500.50"), ("1E+3", "1000")],
)
def test_a_potential_is_kept_as_a_decimal_string(given: str, stored: str):
    accounts = valid_accounts([{"name": "A", "potential": given}])
    assert accounts[0]["potential"] == stored


@pytest.mark.parametrize(
    "potential", ["-1", "abc", "NaN", "Infinity", "1e15", "0.001", "", "-0.5"]
)
def test_a_nonsense_potential_is_refused(potential: str):
    with pytest.raises(InvalidValueError) as refused:
        valid_accounts([{"name": "A"}, {"name": "B", "potential": potential}])
    assert refused.value.field == "accounts"
    assert "Account 2" in refused.value.message


def test_a_plan_holds_up_to_five_hundred_accounts():
    accounts = [{"name": f"Account {n}"} for n in range(ACCOUNTS_MAX)]
    assert len(valid_accounts(accounts)) == ACCOUNTS_MAX


# Approval


def test_the_leader_approves_the_current_version(plan: TerritoryPlan):
    plan.approve(LEADER, True, None, LATER)

    assert (plan.approved_version, plan.approved_by, plan.approved_at) == (
        1,
        LEADER.user_id,
        LATER,
    )
    assert plan.collect_events()[0].number == 1


def test_an_admin_approves_even_their_own_plan(team: Team):
    team.add_member(ADMIN, ADMIN.user_id, "rep", NOW)
    plan = started(team, owner=ADMIN)
    plan.approve(ADMIN, True, 1, LATER)
    assert plan.approved_by == ADMIN.user_id


def test_a_leader_cannot_approve_their_own_plan(team: Team):
    plan = started(team, owner=LEADER)
    refuse(plan, PermissionDeniedError, lambda: plan.approve(LEADER, True, 1, LATER))


def test_only_a_leader_approves(plan: TerritoryPlan):
    for actor in (REP, PEER):
        refuse(
            plan,
            PermissionDeniedError,
            lambda a=actor: plan.approve(a, False, None, LATER),
        )


def test_an_approved_version_cannot_be_approved_again(plan: TerritoryPlan):
    plan.approve(LEADER, True, None, NOW)
    refuse(plan, PlanApprovedError, lambda: plan.approve(ADMIN, True, None, LATER))


def test_approving_a_version_that_is_not_current_is_refused(plan: TerritoryPlan):
    plan.submit(REP, True, "Second thoughts", [], NOW)

    error = refuse(
        plan, StalePlanVersionError, lambda: plan.approve(LEADER, True, 1, LATER)
    )

    assert error.code == "stale_plan_version"
    plan.approve(LEADER, True, 2, LATER)
    assert plan.approved_version == 2


# Use cases


@pytest.fixture
def app() -> Iterator[Wolfpack]:
    with in_memory(lambda: NOW) as application:
        yield application


@pytest.fixture
def team_id(app: Wolfpack) -> UUID:
    return stored_team(app, ADMIN, leaders=[LEADER], reps=[REP, PEER])


def test_submitting_twice_adds_a_version_to_the_same_plan(app: Wolfpack, team_id: UUID):
    first = app.submit_territory_plan(REP, team_id, "First", [ACME])
    approved = app.approve_territory_plan(LEADER, first.aggregate.id, 1)
    second = app.submit_territory_plan(REP, team_id, "Second", [])

    assert second.aggregate.id == first.aggregate.id
    assert (first.aggregate.version, approved.aggregate.version) == (2, 3)
    assert second.aggregate.current_version == 2
    assert second.aggregate.approved_version is None
    assert second.position == head(app)
    history = app.territory_plan_history(PEER, first.aggregate.id)
    assert [type(e).__name__ for e in history] == [
        "Created",
        "Submitted",
        "Approved",
        "Submitted",
    ]


def test_each_member_has_their_own_plan(app: Wolfpack, team_id: UUID):
    mine = app.submit_territory_plan(REP, team_id, "Mine", [])
    theirs = app.submit_territory_plan(PEER, team_id, "Theirs", [])
    assert mine.aggregate.id != theirs.aggregate.id


def test_a_retried_submission_records_nothing(app: Wolfpack, team_id: UUID):
    first = app.submit_territory_plan(keyed(REP, "k1"), team_id, "First", [])
    app.submit_territory_plan(keyed(REP, "k2"), team_id, "Second", [])
    before = head(app)

    again = app.submit_territory_plan(keyed(REP, "k1"), team_id, "First", [])

    assert again.aggregate.id == first.aggregate.id
    assert again.aggregate.current_version == 2
    assert head(app) == before


def test_teammates_see_a_plan_and_outsiders_do_not(app: Wolfpack, team_id: UUID):
    plan_id = app.submit_territory_plan(REP, team_id, "Mine", []).aggregate.id

    for actor in (ADMIN, LEADER, REP, PEER):
        assert app.get_territory_plan(actor, plan_id).id == plan_id
    before = head(app)
    for command in (
        lambda: app.get_territory_plan(OUTSIDER, plan_id),
        lambda: app.territory_plan_history(OUTSIDER, plan_id),
        lambda: app.approve_territory_plan(OUTSIDER, plan_id, None),
        lambda: app.submit_territory_plan(OUTSIDER, team_id, "Sneak", []),
        lambda: app.get_territory_plan(ADMIN, team_id),
    ):
        with pytest.raises(NotFoundError):
            command()
    assert head(app) == before


def test_refused_submissions_and_approvals_record_nothing(app: Wolfpack, team_id: UUID):
    plan_id = app.submit_territory_plan(REP, team_id, "Mine", []).aggregate.id
    before = head(app)

    for command, error in [
        (
            lambda: app.submit_territory_plan(ADMIN, team_id, "Admin", []),
            PermissionDeniedError,
        ),
        (
            lambda: app.submit_territory_plan(PEER, team_id, " ", []),
            InvalidValueError,
        ),
        (
            lambda: app.approve_territory_plan(PEER, plan_id, None),
            PermissionDeniedError,
        ),
        (
            lambda: app.approve_territory_plan(LEADER, plan_id, 2),
            StalePlanVersionError,
        ),
        (
            lambda: app.approve_territory_plan(LEADER, plan_id, None, 1),
            VersionConflictError,
        ),
    ]:
        with pytest.raises(error):
            command()
    assert head(app) == before
