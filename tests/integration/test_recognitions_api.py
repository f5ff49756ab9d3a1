"""Leader recognition awards through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.conftest import sqlite_only
from tests.integration.apiclient import ApiUser, error_of
from tests.integration.conftest import World

GIVEN_FIELDS = {
    "id",
    "team_id",
    "from_user_id",
    "to_user_id",
    "title",
    "message",
    "given_at",
    "version",
}


def give(world: World, who: ApiUser | None = None, **fields: object) -> dict:
    """Give an award (by the leader to the rep unless told) and return it."""
    body = {
        "team_id": world.team_id,
        "to_user_id": world.rep.id,
        "title": "Deal of the month",
        "message": "Closed Acme against the odds.",
        **fields,
    }
    response = (who or world.leader).post("/recognitions", json=body)
    assert response.status_code == 201, response.json
    return response.json


def test_the_leader_gives_an_award_and_the_team_sees_it(world: World):
    response = world.leader.post(
        "/recognitions",
        json={
            "team_id": world.team_id,
            "to_user_id": world.rep.id,
            "title": "Deal of the month",
            "message": "Closed Acme against the odds.",
        },
    )

    assert response.status_code == 201
    body = response.json
    assert set(body) >= GIVEN_FIELDS
    assert (body["team_id"], body["from_user_id"], body["to_user_id"]) == (
        world.team_id,
        world.leader.id,
        world.rep.id,
    )
    assert (body["title"], body["status"], body["version"]) == (
        "Deal of the month",
        "given",
        1,
    )
    assert datetime.fromisoformat(body["given_at"]).utcoffset() is not None
    assert int(response.headers["X-Event-Position"]) == world.head()
    seen = world.teammate.get(f"/recognitions/{body['id']}")
    assert seen.status_code == 200
    assert seen.json == body
    assert seen.headers["ETag"] == '"1"'


def test_an_admin_gives_an_award_in_any_team(world: World):
    given = give(world, world.admin, to_user_id=world.leader.id)

    assert given["from_user_id"] == world.admin.id


@pytest.mark.parametrize(
    ("who", "to", "status", "code"),
    [
        ("rep", "teammate", 403, "forbidden"),
        ("teammate", "rep", 403, "forbidden"),
        ("outsider", "rep", 404, "not_found"),
        ("leader", "leader", 409, "self_recognition"),
        ("leader", "outsider", 409, "rule_violation"),
        ("leader", "admin", 409, "rule_violation"),
    ],
)
@sqlite_only
def test_a_refused_award_gets_its_status_and_records_nothing(
    world: World, who: str, to: str, status: int, code: str
):
    head = world.head()

    response = getattr(world, who).post(
        "/recognitions",
        json={
            "team_id": world.team_id,
            "to_user_id": getattr(world, to).id,
            "title": "T",
            "message": "M",
        },
    )

    assert response.status_code == status, response.json
    error = error_of(response)
    assert error["code"] == code
    if status == 422:
        assert "to_user_id" in error["fields"]
    assert world.head() == head


def test_an_unknown_receiver_or_team_is_refused(world: World):
    head = world.head()
    nobody = "00000000-0000-0000-0000-000000000000"
    unknown_user = world.leader.post(
        "/recognitions",
        json={
            "team_id": world.team_id,
            "to_user_id": nobody,
            "title": "T",
            "message": "M",
        },
    )
    unknown_team = world.leader.post(
        "/recognitions",
        json={
            "team_id": nobody,
            "to_user_id": world.rep.id,
            "title": "T",
            "message": "M",
        },
    )

    assert unknown_user.status_code == 409
    assert "to_user_id" in error_of(unknown_user)["fields"]
    assert unknown_team.status_code == 404
    assert world.head() == head


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"message": ""}, "message"),
        ({"message": "x" * 2001}, "message"),
        ({"to_user_id": "nope"}, "to_user_id"),
        ({"team_id": None}, "team_id"),
        ({"extra": 1}, "extra"),
    ],
)
@sqlite_only
def test_bad_fields_of_an_award_are_named(world: World, changes: dict, field: str):
    body = {
        "team_id": world.team_id,
        "to_user_id": world.rep.id,
        "title": "T",
        "message": "M",
        **changes,
    }
    head = world.head()

    response = world.leader.post("/recognitions", json=body)

    assert response.status_code == 422
    assert field in error_of(response)["fields"]
    assert world.head() == head


def test_a_title_of_120_and_a_message_of_2000_characters_are_accepted(world: World):
    given = give(world, title="t" * 120, message="m" * 2000)

    assert (len(given["title"]), len(given["message"])) == (120, 2000)


def test_the_giver_withdraws_an_award_once_and_the_history_tells_it(world: World):
    rid = give(world)["id"]

    withdrawn = world.leader.post(
        f"/recognitions/{rid}/withdraw", json={"reason": "Wrong rep"}
    )
    head = world.head()
    again = world.leader.post(f"/recognitions/{rid}/withdraw", json={"reason": "x"})

    assert withdrawn.status_code == 200
    assert (withdrawn.json["status"], withdrawn.json["version"]) == ("withdrawn", 2)
    assert withdrawn.json["withdrawn_by"] == world.leader.id
    assert withdrawn.json["withdrawal_reason"] == "Wrong rep"
    assert again.status_code == 409
    assert error_of(again)["code"] == "already_withdrawn"
    assert world.head() == head
    history = world.rep.get(f"/recognitions/{rid}/history").json
    assert [h["type"] for h in history] == ["RecognitionGiven", "RecognitionWithdrawn"]
    assert [h["actor_id"] for h in history] == [world.leader.id, world.leader.id]
    assert history[0]["data"]["to_user_id"] == world.rep.id
    assert history[1]["data"]["reason"] == "Wrong rep"


def test_an_admin_withdraws_an_award_the_leader_gave(world: World):
    rid = give(world)["id"]

    response = world.admin.post(f"/recognitions/{rid}/withdraw", json={"reason": "No"})

    assert response.status_code == 200
    assert response.json["withdrawn_by"] == world.admin.id


@pytest.mark.parametrize(
    ("who", "body", "status", "code"),
    [
        ("rep", {"reason": "Not mine"}, 403, "forbidden"),
        ("teammate", {"reason": "Unfair"}, 403, "forbidden"),
        ("outsider", {"reason": "x"}, 404, "not_found"),
        ("leader", {}, 422, "validation_failed"),
        ("leader", {"reason": "   "}, 422, "validation_failed"),
        ("leader", {"reason": "x" * 2001}, 422, "validation_failed"),
    ],
)
@sqlite_only
def test_a_refused_withdrawal_gets_its_status_and_records_nothing(
    world: World, who: str, body: dict, status: int, code: str
):
    rid = give(world)["id"]
    head = world.head()

    response = getattr(world, who).post(f"/recognitions/{rid}/withdraw", json=body)

    assert response.status_code == status, response.json
    assert error_of(response)["code"] == code
    assert world.head() == head


def test_the_leader_cannot_withdraw_an_award_an_admin_gave(world: World):
    rid = give(world, world.admin)["id"]

    response = world.leader.post(f"/recognitions/{rid}/withdraw", json={"reason": "x"})

    assert response.status_code == 403


def test_a_stale_if_match_refuses_a_withdrawal(world: World):
    rid = give(world)["id"]
    head = world.head()

    stale = world.leader.post(
        f"/recognitions/{rid}/withdraw", json={"reason": "x"}, headers={"If-Match": "2"}
    )
    fresh = world.leader.post(
        f"/recognitions/{rid}/withdraw",
        json={"reason": "x"},
        headers={"If-Match": '"1"'},
    )

    assert stale.status_code == 409
    assert error_of(stale)["code"] == "version_conflict"
    assert fresh.status_code == 200
    assert world.head() == head + 1


def test_a_retried_award_with_the_same_idempotency_key_is_given_once(world: World):
    body = {
        "team_id": world.team_id,
        "to_user_id": world.rep.id,
        "title": "T",
        "message": "M",
    }
    key = {"Idempotency-Key": "award-1"}
    first = world.leader.post("/recognitions", json=body, headers=key)
    head = world.head()

    retried = world.leader.post("/recognitions", json=body, headers=key)

    assert (first.status_code, retried.status_code) == (201, 201)
    assert retried.json["id"] == first.json["id"]
    assert world.head() == head


def test_recognitions_are_listed_newest_first_by_team_receiver_giver_and_status(
    world: World,
):
    first = give(world, title="First")
    world.travel(timedelta(minutes=1))
    second = give(world, world.admin, to_user_id=world.teammate.id, title="Second")
    world.travel(timedelta(minutes=1))
    world.leader.post(f"/recognitions/{first['id']}/withdraw", json={"reason": "x"})
    outsider_team = world.admin.post(
        "/recognitions",
        json={
            "team_id": world.other_team_id,
            "to_user_id": world.outsider.id,
            "title": "South",
            "message": "M",
        },
    )
    assert outsider_team.status_code == 201

    def titles(who: ApiUser, query: str = "") -> list[str]:
        response = who.get(f"/recognitions{query}")
        assert response.status_code == 200, response.json
        return [r["title"] for r in response.json]

    assert titles(world.rep) == ["Second", "First"]
    assert titles(world.leader, f"?team_id={world.team_id}") == ["Second", "First"]
    assert titles(world.rep, f"?user_id={world.teammate.id}") == ["Second"]
    assert titles(world.rep, f"?from_user_id={world.leader.id}") == ["First"]
    assert titles(world.rep, "?status=withdrawn") == ["First"]
    assert titles(world.rep, "?status=given") == ["Second"]
    assert titles(world.outsider) == ["South"]
    assert titles(world.admin) == ["South", "Second", "First"]
    listed = world.rep.get(f"/recognitions?user_id={world.teammate.id}").json[0]
    assert listed == world.rep.get(f"/recognitions/{second['id']}").json


def test_outsiders_see_neither_the_teams_awards_nor_their_history(world: World):
    rid = give(world)["id"]

    listing = world.outsider.get(f"/recognitions?team_id={world.team_id}")
    one = world.outsider.get(f"/recognitions/{rid}")
    history = world.outsider.get(f"/recognitions/{rid}/history")

    assert [r.status_code for r in (listing, one, history)] == [404, 404, 404]
    assert error_of(one)["code"] == "not_found"


def test_an_unknown_recognition_and_a_bad_filter_are_refused(world: World):
    nobody = "00000000-0000-0000-0000-000000000000"

    assert world.rep.get(f"/recognitions/{nobody}").status_code == 404
    assert world.rep.get(f"/recognitions/{world.team_id}").status_code == 404
    assert world.rep.get("/recognitions?status=lost").status_code == 422
    assert world.rep.get("/recognitions?user_id=me").status_code == 422


def test_the_openapi_document_describes_the_recognition_endpoints(world: World):
    paths = world.rep.client.get("/api/openapi.json").json["paths"]

    assert {"get", "post"} <= set(paths["/api/v1/recognitions"])
    for path in ("{recognition_id}", "{recognition_id}/history"):
        assert "get" in paths[f"/api/v1/recognitions/{path}"]
    assert "post" in paths["/api/v1/recognitions/{recognition_id}/withdraw"]
