"""Territory plans through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.conftest import sqlite_only
from tests.integration.apiclient import ApiUser, error_of
from tests.integration.conftest import World

ACME = {"name": "Acme", "segment": "Enterprise", "potential": "125000.50"}


def submit(world: World, who: ApiUser | None = None, **fields: object) -> dict:
    """Submit a version of a plan (the rep's unless told) and return the plan."""
    body = {
        "team_id": world.team_id,
        "summary": "Grow the north-west.",
        "accounts": [ACME],
        **fields,
    }
    response = (who or world.rep).post("/territory-plans", json=body)
    assert response.status_code == 201, response.json
    return response.json


def test_a_plan_is_versioned_approved_and_its_history_told(world: World):
    first = submit(world)
    pid = first["id"]
    assert (first["owner_id"], first["team_id"]) == (world.rep.id, world.team_id)
    assert (first["current_version"], first["version"]) == (1, 2)
    assert first["accounts"] == [ACME]
    assert [v["number"] for v in first["versions"]] == [1]
    assert first["approved_version"] is None

    approved = world.leader.post(f"/territory-plans/{pid}/approve", json={})
    second = submit(
        world,
        summary="Grow the north-west and Wales.",
        accounts=[ACME, {"name": "Globex", "potential": "1E+3"}],
    )

    assert approved.status_code == 200
    assert (approved.json["approved_version"], approved.json["approved_by"]) == (
        1,
        world.leader.id,
    )
    assert approved.json["approved_at"] is not None
    assert second["id"] == pid
    assert (second["current_version"], second["version"]) == (2, 4)
    assert second["accounts"][1] == {
        "name": "Globex",
        "segment": None,
        "potential": "1000",
    }
    assert [v["number"] for v in second["versions"]] == [1, 2]
    assert (second["approved_version"], second["approved_by"]) == (None, None)

    again = world.admin.post(f"/territory-plans/{pid}/approve", json={"version": 2})
    assert again.status_code == 200
    assert again.json["approved_version"] == 2
    assert int(again.headers["X-Event-Position"]) == world.head()
    history = world.teammate.get(f"/territory-plans/{pid}/history").json
    assert [h["type"] for h in history] == [
        "TerritoryPlanStarted",
        "TerritoryPlanSubmitted",
        "TerritoryPlanApproved",
        "TerritoryPlanSubmitted",
        "TerritoryPlanApproved",
    ]
    assert [h["actor_id"] for h in history] == [world.rep.id] * 2 + [
        world.leader.id,
        world.rep.id,
        world.admin.id,
    ]
    assert history[3]["data"]["number"] == 2


def test_approving_twice_or_a_stale_version_is_refused(world: World):
    pid = submit(world)["id"]
    world.leader.post(f"/territory-plans/{pid}/approve", json={"version": 1})
    head = world.head()

    twice = world.leader.post(f"/territory-plans/{pid}/approve", json={})
    submit(world, summary="Second thoughts.")
    stale = world.leader.post(f"/territory-plans/{pid}/approve", json={"version": 1})

    assert twice.status_code == 409
    assert error_of(twice)["code"] == "plan_approved"
    assert stale.status_code == 409
    assert error_of(stale)["code"] == "stale_plan_version"
    assert world.head() == head + 1


def test_a_version_that_changes_nothing_is_refused(world: World):
    submit(world)
    head = world.head()

    response = world.rep.post(
        "/territory-plans",
        json={
            "team_id": world.team_id,
            "summary": "Grow the north-west.",
            "accounts": [ACME],
        },
    )

    assert response.status_code == 409
    assert error_of(response)["code"] == "plan_unchanged"
    assert world.head() == head


@pytest.mark.parametrize(
    ("who", "body", "status", "code"),
    [
        ("rep", {}, 403, "forbidden"),
        ("teammate", {}, 403, "forbidden"),
        ("outsider", {}, 404, "not_found"),
        ("leader", {"version": 0}, 422, "validation_failed"),
        ("leader", {"version": "1"}, 422, "validation_failed"),
        ("leader", {"version": 2}, 409, "stale_plan_version"),
    ],
)
@sqlite_only
def test_a_refused_approval_gets_its_status_and_records_nothing(
    world: World, who: str, body: dict, status: int, code: str
):
    pid = submit(world)["id"]
    head = world.head()

    response = getattr(world, who).post(f"/territory-plans/{pid}/approve", json=body)

    assert response.status_code == status, response.json
    assert error_of(response)["code"] == code
    assert world.head() == head


def test_a_leader_cannot_approve_their_own_plan_but_an_admin_can(world: World):
    pid = submit(world, who=world.leader)["id"]

    own = world.leader.post(f"/territory-plans/{pid}/approve", json={})
    admin = world.admin.post(f"/territory-plans/{pid}/approve", json={})

    assert own.status_code == 403
    assert admin.status_code == 200


@pytest.mark.parametrize(
    ("who", "changes", "status", "code", "field"),
    [
        ("admin", {}, 403, "forbidden", None),
        ("outsider", {}, 404, "not_found", None),
        ("rep", {"summary": ""}, 422, "validation_failed", "summary"),
        ("rep", {"summary": "  "}, 422, "validation_failed", "summary"),
        ("rep", {"summary": "x" * 4001}, 422, "validation_failed", "summary"),
        ("rep", {"accounts": [{"name": ""}]}, 422, "validation_failed", "accounts"),
        ("rep", {"accounts": [{"name": " "}]}, 422, "validation_failed", "accounts"),
        ("rep", {"accounts": [{"segment": "x"}]}, 422, "validation_failed", "accounts"),
        (
            "rep",
            {"accounts": [{"name": "A", "segment": "x" * 61}]},
            422,
            "validation_failed",
            "accounts",
        ),
        (
            "rep",
            {"accounts": [{"name": "A", "potential": "-1"}]},
            422,
            "validation_failed",
            "accounts",
        ),
        (
            "rep",
            {"accounts": [{"name": "A", "potential": "lots"}]},
            422,
            "validation_failed",
            "accounts",
        ),
        (
            "rep",
            {"accounts": [{"name": "A", "potential": 12}]},
            422,
            "validation_failed",
            "accounts",
        ),
        (
            "rep",
            {"accounts": [{"name": "A"}] * 501},
            422,
            "validation_failed",
            "accounts",
        ),
        ("rep", {"accounts": "Acme"}, 422, "validation_failed", "accounts"),
        ("rep", {"team_id": "nope"}, 422, "validation_failed", "team_id"),
    ],
)
@sqlite_only
def test_a_refused_submission_gets_its_status_and_records_nothing(
    world: World, who: str, changes: dict, status: int, code: str, field: str | None
):
    body = {"team_id": world.team_id, "summary": "S", "accounts": [], **changes}
    head = world.head()

    response = getattr(world, who).post("/territory-plans", json=body)

    assert response.status_code == status, response.json
    error = error_of(response)
    assert error["code"] == code
    if field is not None:
        assert field in error["fields"]
    assert world.head() == head


def test_a_plan_holds_five_hundred_accounts(world: World):
    accounts = [{"name": f"Account {n}", "potential": "10"} for n in range(500)]
    plan = submit(world, accounts=accounts)
    assert len(plan["accounts"]) == 500
    assert world.leader.get(f"/territory-plans/{plan['id']}").json == plan


def test_teammates_see_plans_and_outsiders_do_not(world: World):
    pid = submit(world)["id"]

    answers = {
        who: getattr(world, who).get(f"/territory-plans/{pid}").status_code
        for who in ("admin", "leader", "rep", "teammate", "outsider")
    }

    assert answers == {
        "admin": 200,
        "leader": 200,
        "rep": 200,
        "teammate": 200,
        "outsider": 404,
    }
    assert world.outsider.get(f"/territory-plans/{pid}/history").status_code == 404
    assert world.rep.get(f"/territory-plans/{world.team_id}").status_code == 404


def test_plans_are_listed_by_team_and_owner(world: World):
    mine = submit(world)["id"]
    theirs = submit(world, who=world.teammate, accounts=[])["id"]
    south = submit(world, who=world.outsider, team_id=world.other_team_id)["id"]
    world.leader.post(f"/territory-plans/{mine}/approve", json={})

    def listed(who: ApiUser, query: str = "") -> list[dict]:
        response = who.get(f"/territory-plans{query}")
        assert response.status_code == 200, response.json
        return response.json

    team = listed(world.teammate, f"?team_id={world.team_id}")
    assert [p["id"] for p in team] == [mine, theirs]
    assert team[0]["account_count"] == 1
    assert (team[0]["approved_version"], team[0]["approved_by"]) == (
        1,
        world.leader.id,
    )
    assert [p["id"] for p in listed(world.leader, f"?user_id={world.rep.id}")] == [mine]
    assert [p["id"] for p in listed(world.outsider)] == [south]
    assert {p["id"] for p in listed(world.admin)} == {mine, theirs, south}
    refused = world.outsider.get(f"/territory-plans?team_id={world.team_id}")
    assert refused.status_code == 404


def test_a_retried_submission_returns_the_first_answer_and_records_nothing(
    world: World,
):
    body = {"team_id": world.team_id, "summary": "S", "accounts": []}
    key = {"Idempotency-Key": "plan-1"}
    first = world.rep.post("/territory-plans", json=body, headers=key)
    head = world.head()

    second = world.rep.post("/territory-plans", json=body, headers=key)

    assert first.status_code == second.status_code == 201
    assert second.json == first.json
    assert world.head() == head


def test_a_stale_if_match_is_refused(world: World):
    pid = submit(world)["id"]
    submit(world, summary="Version two.")
    head = world.head()

    stale = world.leader.post(
        f"/territory-plans/{pid}/approve", json={}, headers={"If-Match": '"2"'}
    )
    fresh = world.leader.post(
        f"/territory-plans/{pid}/approve", json={}, headers={"If-Match": '"3"'}
    )

    assert stale.status_code == 409
    assert error_of(stale)["code"] == "version_conflict"
    assert fresh.status_code == 200
    assert world.head() == head + 1
