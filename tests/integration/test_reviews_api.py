"""Performance reviews through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.conftest import sqlite_only
from tests.integration.apiclient import ApiUser, error_of
from tests.integration.conftest import World


def write_review(world: World, who: ApiUser | None = None, **fields: object) -> dict:
    """Draft a review of the rep (by the leader unless told) and return it."""
    body = {
        "team_id": world.team_id,
        "user_id": world.rep.id,
        "period": "2026-Q4",
        "summary": "A strong quarter.",
        "feedback": "Qualify earlier; keep the pipeline notes current.",
        **fields,
    }
    response = (who or world.leader).post("/reviews", json=body)
    assert response.status_code == 201, response.json
    return response.json


def shared_review(world: World, **fields: object) -> dict:
    """Draft a review of the rep and share it with them."""
    rid = write_review(world, **fields)["id"]
    response = world.leader.post(f"/reviews/{rid}/share")
    assert response.status_code == 200, response.json
    return response.json


def test_a_review_is_drafted_revised_shared_acknowledged_and_told(world: World):
    made = write_review(world)
    rid = made["id"]
    assert made["status"] == "draft"
    assert (made["team_id"], made["user_id"], made["reviewer_id"]) == (
        world.team_id,
        world.rep.id,
        world.leader.id,
    )
    assert (made["period"], made["version"], made["acknowledged_at"]) == (
        "2026-Q4",
        1,
        None,
    )
    assert world.rep.get(f"/reviews/{rid}").status_code == 404

    revised = world.leader.post(
        f"/reviews/{rid}/revise",
        json={"feedback": "Qualify earlier.", "reason": "Shorter is clearer."},
    )
    shared = world.leader.post(f"/reviews/{rid}/share")
    seen = world.rep.get(f"/reviews/{rid}")
    acknowledged = world.rep.post(
        f"/reviews/{rid}/acknowledge", json={"comment": "Fair. On it."}
    )

    assert revised.status_code == 200
    assert (revised.json["summary"], revised.json["feedback"]) == (
        "A strong quarter.",
        "Qualify earlier.",
    )
    assert shared.json["status"] == "shared"
    assert seen.status_code == 200
    assert seen.headers["ETag"] == '"3"'
    assert acknowledged.status_code == 200
    assert acknowledged.json["acknowledged_at"] is not None
    assert acknowledged.json["acknowledgement"] == "Fair. On it."
    assert acknowledged.json["version"] == 4
    assert int(acknowledged.headers["X-Event-Position"]) == world.head()
    history = world.leader.get(f"/reviews/{rid}/history").json
    assert [h["type"] for h in history] == [
        "ReviewDrafted",
        "ReviewRevised",
        "ReviewShared",
        "ReviewAcknowledged",
    ]
    assert [h["actor_id"] for h in history] == [world.leader.id] * 3 + [world.rep.id]
    assert history[1]["data"]["reason"] == "Shorter is clearer."


def test_an_admin_reviews_the_leader_and_the_leader_waits_for_it(world: World):
    rid = write_review(world, who=world.admin, user_id=world.leader.id)["id"]

    hidden = world.leader.get(f"/reviews/{rid}")
    world.admin.post(f"/reviews/{rid}/share")
    seen = world.leader.get(f"/reviews/{rid}")

    assert hidden.status_code == 404
    assert seen.json["reviewer_id"] == world.admin.id


@pytest.mark.parametrize(
    ("who", "changes", "status", "code", "field"),
    [
        ("rep", {"user_id": "teammate"}, 403, "forbidden", None),
        ("leader", {"user_id": "leader"}, 403, "forbidden", None),
        ("admin", {"team_id": "other"}, 409, "rule_violation", "user_id"),
        ("outsider", {}, 404, "not_found", None),
        ("leader", {"user_id": "outsider"}, 409, "rule_violation", "user_id"),
        (
            "leader",
            {"user_id": "00000000-0000-0000-0000-000000000000"},
            409,
            "rule_violation",
            "user_id",
        ),
        ("leader", {"period": "2026-W48"}, 422, "validation_failed", "period"),
        ("leader", {"period": "soon"}, 422, "validation_failed", "period"),
        ("leader", {"summary": ""}, 422, "validation_failed", "summary"),
        ("leader", {"summary": "   "}, 422, "validation_failed", "summary"),
        ("leader", {"feedback": "x" * 8001}, 422, "validation_failed", "feedback"),
        ("leader", {"user_id": "nope"}, 422, "validation_failed", "user_id"),
        ("leader", {"mood": "good"}, 422, "validation_failed", "mood"),
    ],
)
@sqlite_only
def test_a_refused_review_gets_its_status_and_records_nothing(
    world: World, who: str, changes: dict, status: int, code: str, field: str | None
):
    people = {"teammate", "leader", "outsider"}
    body = {
        "team_id": world.team_id,
        "user_id": world.rep.id,
        "period": "2026-11",
        "summary": "S",
        "feedback": "F",
        **changes,
    }
    if body["user_id"] in people:
        body["user_id"] = getattr(world, body["user_id"]).id
    if body["team_id"] == "other":
        body["team_id"] = world.other_team_id
    head = world.head()

    response = getattr(world, who).post("/reviews", json=body)

    assert response.status_code == status, response.json
    error = error_of(response)
    assert error["code"] == code
    if field is not None:
        assert field in error["fields"]
    assert world.head() == head


def test_one_review_per_member_and_period(world: World):
    write_review(world)
    head = world.head()

    again = world.admin.post(
        "/reviews",
        json={
            "team_id": world.team_id,
            "user_id": world.rep.id,
            "period": "2026-Q4",
            "summary": "Another view",
            "feedback": "F",
        },
    )

    assert again.status_code == 409
    assert error_of(again)["code"] == "review_exists"
    assert world.head() == head
    assert write_review(world, period="2026-11")["period"] == "2026-11"
    assert write_review(world, period="2026")["period"] == "2026"


@pytest.mark.parametrize(
    ("who", "action", "body", "status", "code"),
    [
        ("rep", "acknowledge", {}, 404, "not_found"),
        ("rep", "share", {}, 404, "not_found"),
        ("teammate", "revise", {"summary": "x", "reason": "y"}, 404, "not_found"),
        ("outsider", "share", {}, 404, "not_found"),
        ("leader", "acknowledge", {}, 403, "forbidden"),
        ("leader", "revise", {"reason": "y"}, 409, "rule_violation"),
        (
            "leader",
            "revise",
            {"summary": "  ", "reason": "y"},
            422,
            "validation_failed",
        ),
        ("leader", "revise", {"summary": "x"}, 422, "validation_failed"),
        ("leader", "revise", {"summary": "", "reason": "y"}, 422, "validation_failed"),
    ],
)
@sqlite_only
def test_a_refused_command_on_a_draft_records_nothing(
    world: World, who: str, action: str, body: dict, status: int, code: str
):
    rid = write_review(world)["id"]
    head = world.head()

    response = getattr(world, who).post(f"/reviews/{rid}/{action}", json=body)

    assert response.status_code == status, response.json
    assert error_of(response)["code"] == code
    assert world.head() == head


@pytest.mark.parametrize(
    ("who", "action", "body", "status", "code"),
    [
        ("leader", "revise", {"summary": "x", "reason": "y"}, 409, "review_shared"),
        ("admin", "share", {}, 409, "review_shared"),
        ("rep", "revise", {"summary": "x", "reason": "y"}, 403, "forbidden"),
        ("rep", "share", {}, 403, "forbidden"),
        ("teammate", "acknowledge", {}, 404, "not_found"),
        ("rep", "acknowledge", {"comment": "x" * 4001}, 422, "validation_failed"),
    ],
)
def test_a_shared_review_is_final(
    world: World, who: str, action: str, body: dict, status: int, code: str
):
    rid = shared_review(world)["id"]
    head = world.head()

    response = getattr(world, who).post(f"/reviews/{rid}/{action}", json=body)

    assert response.status_code == status, response.json
    assert error_of(response)["code"] == code
    assert world.head() == head


def test_a_review_is_acknowledged_only_once(world: World):
    rid = shared_review(world)["id"]
    first = world.rep.post(f"/reviews/{rid}/acknowledge", json={})
    head = world.head()

    second = world.rep.post(f"/reviews/{rid}/acknowledge", json={"comment": "Again"})

    assert first.status_code == 200
    assert first.json["acknowledgement"] is None
    assert second.status_code == 409
    assert error_of(second)["code"] == "review_acknowledged"
    assert world.head() == head


def test_reviews_are_seen_only_by_the_member_once_shared_and_by_leaders(world: World):
    rid = write_review(world)["id"]

    answers = {
        who: getattr(world, who).get(f"/reviews/{rid}").status_code
        for who in ("admin", "leader", "rep", "teammate", "outsider")
    }
    history = {
        who: getattr(world, who).get(f"/reviews/{rid}/history").status_code
        for who in ("rep", "teammate", "outsider")
    }

    assert answers == {
        "admin": 200,
        "leader": 200,
        "rep": 404,
        "teammate": 404,
        "outsider": 404,
    }
    assert history == dict.fromkeys(("rep", "teammate", "outsider"), 404)
    unknown = world.leader.get("/reviews/00000000-0000-0000-0000-000000000000")
    assert unknown.status_code == 404


def test_reviews_are_listed_for_those_who_may_see_them(world: World):
    shared = shared_review(world, period="2026-Q3")["id"]
    draft = write_review(world, period="2026-Q4")["id"]
    other = write_review(world, user_id=world.teammate.id, period="2026-Q4")["id"]

    def ids(who: ApiUser, query: str = "") -> list[str]:
        response = who.get(f"/reviews{query}")
        assert response.status_code == 200, response.json
        return [r["id"] for r in response.json]

    team = f"?team_id={world.team_id}"
    assert ids(world.rep) == [shared]
    assert ids(world.rep, team) == [shared]
    assert ids(world.teammate, team) == []
    assert ids(world.leader) == []
    assert ids(world.leader, team) == [shared, draft, other]
    assert ids(world.leader, f"?user_id={world.rep.id}") == [shared, draft]
    assert ids(world.leader, f"{team}&period=2026-Q4") == [draft, other]
    assert ids(world.admin, f"?user_id={world.teammate.id}") == [other]
    assert ids(world.outsider, f"?user_id={world.rep.id}") == []
    assert world.outsider.get(f"/reviews{team}").status_code == 404
    bad = world.leader.get("/reviews?period=2026-W01")
    assert bad.status_code == 422
    assert "period" in error_of(bad)["fields"]


def test_a_listed_review_matches_the_review_read_by_id(world: World):
    rid = shared_review(world)["id"]
    world.rep.post(f"/reviews/{rid}/acknowledge", json={"comment": "Thanks"})

    listed = world.rep.get("/reviews").json
    read = world.rep.get(f"/reviews/{rid}").json

    assert listed == [read]


def test_a_retried_review_returns_the_first_answer_and_records_nothing(world: World):
    body = {
        "team_id": world.team_id,
        "user_id": world.rep.id,
        "period": "2026-11",
        "summary": "S",
        "feedback": "F",
    }
    key = {"Idempotency-Key": "review-1"}
    first = world.leader.post("/reviews", json=body, headers=key)
    head = world.head()

    second = world.leader.post("/reviews", json=body, headers=key)

    assert first.status_code == second.status_code == 201
    assert second.json == first.json
    assert world.head() == head


def test_a_stale_if_match_is_refused(world: World):
    rid = write_review(world)["id"]
    head = world.head()

    stale = world.leader.post(f"/reviews/{rid}/share", headers={"If-Match": '"2"'})
    fresh = world.leader.post(f"/reviews/{rid}/share", headers={"If-Match": '"1"'})

    assert stale.status_code == 409
    assert error_of(stale)["code"] == "version_conflict"
    assert fresh.status_code == 200
    assert world.head() == head + 1
