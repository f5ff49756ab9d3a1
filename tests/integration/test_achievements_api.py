"""Achievements through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, timedelta
from typing import Any

import pytest

from tests.conftest import sqlite_only
from tests.integration.apiclient import FIELD_CODES, ApiUser, error_of
from tests.integration.conftest import World

DEAL = {"kind": "deal_won", "value": "12500.00", "currency": "EUR"}


def record(world: World, who: ApiUser | None = None, **fields: Any) -> dict:
    """Record a won deal in the team (by the rep unless told) and return it."""
    body = {"team_id": world.team_id, **DEAL, **fields}
    response = (who or world.rep).post("/achievements", json=body)
    assert response.status_code == 201, response.json
    return response.json


def today(world: World) -> str:
    """Return the application clock's date in UTC, as the API writes dates."""
    clock = world.app.extensions["wolfpack"].events.clock
    return clock().astimezone(UTC).date().isoformat()


def test_a_won_deal_is_recorded_verified_retracted_and_its_history_told(
    world: World,
):
    made = world.rep.post(
        "/achievements",
        json={
            "team_id": world.team_id,
            **DEAL,
            "note": "Acme, three years",
            "occurred_on": "2026-01-15",
            "external_ref": "CRM-1",
        },
    )
    assert made.status_code == 201
    aid = made.json["id"]
    assert int(made.headers["X-Event-Position"]) == world.head()
    assert {k: made.json[k] for k in ("value", "currency", "kind", "status")} == {
        "value": "12500.00",
        "currency": "EUR",
        "kind": "deal_won",
        "status": "recorded",
    }
    assert (made.json["user_id"], made.json["team_id"]) == (world.rep.id, world.team_id)
    assert (made.json["occurred_on"], made.json["external_ref"]) == (
        "2026-01-15",
        "CRM-1",
    )
    assert (made.json["note"], made.json["version"]) == ("Acme, three years", 1)
    assert made.json["verified_by"] is made.json["retraction_reason"] is None

    verified = world.leader.post(f"/achievements/{aid}/verify")
    assert verified.status_code == 200
    assert (verified.json["status"], verified.json["verified_by"]) == (
        "verified",
        world.leader.id,
    )
    assert verified.json["verified_at"] is not None
    retracted = world.rep.post(
        f"/achievements/{aid}/retract", json={"reason": "Customer cancelled"}
    )
    assert retracted.status_code == 200
    assert retracted.json["status"] == "retracted"
    assert retracted.json["retraction_reason"] == "Customer cancelled"
    assert (retracted.json["retracted_by"], retracted.json["version"]) == (
        world.rep.id,
        3,
    )

    history = world.teammate.get(f"/achievements/{aid}/history").json
    assert [h["type"] for h in history] == [
        "AchievementRecorded",
        "AchievementVerified",
        "AchievementRetracted",
    ]
    assert [h["actor_id"] for h in history] == [
        world.rep.id,
        world.leader.id,
        world.rep.id,
    ]
    assert history[0]["data"]["value"] == "12500.00"
    assert history[2]["data"] == {"reason": "Customer cancelled"}


def test_money_comes_back_exactly_as_sent_from_every_read(world: World):
    amounts = ["0.10", "0.20", "12500.00", "999999999999.9999", "7"]
    ids = [record(world, value=a)["id"] for a in amounts]

    listed = {
        a["id"]: a["value"]
        for a in world.leader.get(f"/achievements?team_id={world.team_id}").json
    }
    one_by_one = [world.rep.get(f"/achievements/{i}").json["value"] for i in ids]

    assert [listed[i] for i in ids] == amounts
    assert one_by_one == amounts


def test_a_meeting_counts_one_today_by_default(world: World):
    body = {"team_id": world.team_id, "kind": "meeting"}

    made = world.rep.post("/achievements", json=body).json
    counted = world.rep.post("/achievements", json={**body, "value": 3}).json

    assert (made["value"], made["currency"]) == ("1", None)
    assert made["occurred_on"] == today(world)
    assert counted["value"] == "3"


def test_the_default_day_follows_the_application_clock(world: World):
    world.travel(timedelta(days=40))

    made = record(world)

    assert made["occurred_on"] == today(world)


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"kind": "vibes"}, "kind", 422),
        ({"value": None}, "value", 422),
        ({"value": "abc"}, "value", 422),
        ({"value": 12500.5}, "value", 422),
        ({"value": "-1"}, "value", 422),
        ({"value": "0"}, "value", 422),
        ({"value": "1.00001"}, "value", 422),
        ({"value": "1" * 41}, "value", 422),
        ({"currency": "usd"}, "currency", 422),
        ({"currency": None}, "currency", 422),
        ({"kind": "meeting", "value": 1}, "currency", 422),
        ({"kind": "meeting", "currency": None, "value": "2.5"}, "value", 422),
        ({"occurred_on": "2100-01-01"}, "occurred_on", 409),
        ({"occurred_on": "2999-01-01"}, "occurred_on", 422),
        ({"occurred_on": "2026-13-01"}, "occurred_on", 422),
        ({"occurred_on": "2026-01-01T10:00:00Z"}, "occurred_on", 422),
        ({"note": "x" * 2001}, "note", 422),
        ({"external_ref": "x" * 201}, "external_ref", 422),
        ({"team_id": "nope"}, "team_id", 422),
        ({"points": 100}, "points", 422),
    ],
)
@sqlite_only
def test_bad_fields_of_a_new_achievement_are_named_and_record_nothing(
    world: World, body: dict, field: str, status: int
):
    head = world.head()

    response = world.rep.post(
        "/achievements", json={"team_id": world.team_id, **DEAL, **body}
    )

    assert response.status_code == status, response.json
    assert error_of(response)["code"] == FIELD_CODES[status]
    assert field in error_of(response)["fields"]
    assert world.head() == head


def test_only_team_members_record_and_outsiders_cannot_see_the_team(world: World):
    body = {"team_id": world.team_id, **DEAL}
    head = world.head()

    outsider = world.outsider.post("/achievements", json=body)
    admin = world.admin.post("/achievements", json=body)

    assert (outsider.status_code, error_of(outsider)["code"]) == (404, "not_found")
    assert (admin.status_code, error_of(admin)["code"]) == (403, "forbidden")
    assert world.head() == head


def test_a_repeated_external_ref_answers_200_with_the_first_achievement(
    world: World,
):
    first = record(world, external_ref="CRM-42")
    head = world.head()

    again = world.rep.post(
        "/achievements",
        json={"team_id": world.team_id, **DEAL, "external_ref": "CRM-42"},
    )
    by_teammate = world.teammate.post(
        "/achievements",
        json={"team_id": world.team_id, "kind": "meeting", "external_ref": "CRM-42"},
    )

    assert again.status_code == by_teammate.status_code == 200
    assert again.json == by_teammate.json == first
    assert world.head() == head
    assert len(world.rep.get("/achievements").json) == 1


def test_the_same_external_ref_in_another_team_is_another_achievement(world: World):
    north = record(world, external_ref="CRM-42")
    south = record(
        world, world.outsider, team_id=world.other_team_id, external_ref="CRM-42"
    )

    assert south["id"] != north["id"]
    assert south["user_id"] == world.outsider.id


def test_a_retried_request_with_a_key_gets_the_first_201_back(world: World):
    body = {"team_id": world.team_id, **DEAL, "external_ref": "CRM-5"}
    key = {"Idempotency-Key": "deal-5"}

    first = world.rep.post("/achievements", json=body, headers=key)
    head = world.head()
    second = world.rep.post("/achievements", json=body, headers=key)

    assert first.status_code == second.status_code == 201
    assert second.json == first.json
    assert world.head() == head


def test_simultaneous_requests_with_one_external_ref_record_it_once(world: World):
    refs = [f"CRM-race-{n}" for n in range(4)]

    def send(job: tuple[ApiUser, str]) -> tuple[int, str]:
        who, ref = job
        response = who.post(
            "/achievements",
            json={"team_id": world.team_id, **DEAL, "external_ref": ref},
        )
        return response.status_code, response.json["id"]

    jobs = [(who, ref) for ref in refs for who in (world.rep, world.teammate)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(send, jobs))

    for pair in (answers[i : i + 2] for i in range(0, len(answers), 2)):
        assert sorted(status for status, _ in pair) == [200, 201]
        assert len({aid for _, aid in pair}) == 1
    # PostgreSQL may skip positions for the losers' rolled-back inserts, so count
    # what was recorded rather than comparing positions.
    listed = world.leader.get("/achievements").json
    assert sorted(a["external_ref"] for a in listed) == refs
    for achievement in listed:
        assert (
            len(world.rep.get(f"/achievements/{achievement['id']}/history").json) == 1
        )


@pytest.mark.parametrize(
    ("who", "action", "body", "status", "code"),
    [
        ("rep", "verify", None, 403, "forbidden"),
        ("teammate", "verify", None, 403, "forbidden"),
        ("outsider", "verify", None, 404, "not_found"),
        ("teammate", "retract", {"reason": "x"}, 403, "forbidden"),
        ("outsider", "retract", {"reason": "x"}, 404, "not_found"),
        ("rep", "retract", {}, 422, "validation_failed"),
        ("rep", "retract", {"reason": ""}, 422, "validation_failed"),
        ("rep", "retract", {"reason": "   "}, 422, "validation_failed"),
        ("rep", "retract", {"reason": "x" * 2001}, 422, "validation_failed"),
        ("rep", "retract", {"reason": "x", "extra": 1}, 422, "validation_failed"),
    ],
)
@sqlite_only
def test_a_refused_command_gets_its_status_and_changes_nothing(
    world: World, who: str, action: str, body: dict | None, status: int, code: str
):
    aid = record(world)["id"]
    head = world.head()

    response = getattr(world, who).post(f"/achievements/{aid}/{action}", json=body)

    assert response.status_code == status, response.json
    assert error_of(response)["code"] == code
    assert world.head() == head
    assert world.rep.get(f"/achievements/{aid}").json["status"] == "recorded"


def test_a_leader_cannot_verify_their_own_achievement_but_an_admin_can(world: World):
    aid = record(world, world.leader)["id"]
    head = world.head()

    own = world.leader.post(f"/achievements/{aid}/verify")
    assert (own.status_code, error_of(own)["code"]) == (403, "forbidden")
    assert world.head() == head

    by_admin = world.admin.post(f"/achievements/{aid}/verify")
    assert by_admin.status_code == 200
    assert by_admin.json["verified_by"] == world.admin.id


def test_only_a_recorded_achievement_is_verified_and_retraction_is_final(
    world: World,
):
    verified = record(world)["id"]
    world.leader.post(f"/achievements/{verified}/verify")
    retracted = record(world)["id"]
    world.leader.post(f"/achievements/{retracted}/retract", json={"reason": "Dup"})
    head = world.head()

    answers = [
        (world.admin.post(f"/achievements/{verified}/verify"), "already_verified"),
        (
            world.leader.post(f"/achievements/{retracted}/verify"),
            "achievement_retracted",
        ),
        (
            world.rep.post(f"/achievements/{retracted}/retract", json={"reason": "x"}),
            "achievement_retracted",
        ),
    ]

    for response, code in answers:
        assert response.status_code == 409
        assert error_of(response)["code"] == code
    assert world.head() == head


def test_a_verified_achievement_can_be_retracted_by_the_leader(world: World):
    aid = record(world)["id"]
    world.leader.post(f"/achievements/{aid}/verify")

    response = world.leader.post(
        f"/achievements/{aid}/retract", json={"reason": "Deal fell through"}
    )

    assert response.status_code == 200
    assert response.json["status"] == "retracted"
    assert response.json["verified_by"] == world.leader.id


def test_achievements_are_listed_by_team_user_kind_and_status(world: World):
    deal = record(world, occurred_on="2026-01-10")
    meeting = record(
        world,
        world.teammate,
        kind="meeting",
        value=None,
        currency=None,
        occurred_on="2026-01-12",
    )
    revenue = record(world, kind="revenue", value="300.00", occurred_on="2026-01-11")
    world.leader.post(f"/achievements/{deal['id']}/verify")
    world.rep.post(f"/achievements/{revenue['id']}/retract", json={"reason": "Typo"})
    elsewhere = record(world, world.outsider, team_id=world.other_team_id)

    def ids(who: ApiUser, query: str = "") -> list[str]:
        response = who.get(f"/achievements{query}")
        assert response.status_code == 200, response.json
        return [a["id"] for a in response.json]

    team = ids(world.leader, f"?team_id={world.team_id}")
    assert team == [meeting["id"], revenue["id"], deal["id"]]
    assert ids(world.teammate) == team
    assert ids(world.rep, f"?user_id={world.rep.id}") == [revenue["id"], deal["id"]]
    assert ids(world.rep, "?kind=meeting") == [meeting["id"]]
    assert ids(world.rep, "?status=verified") == [deal["id"]]
    assert ids(world.rep, "?status=retracted&kind=revenue") == [revenue["id"]]
    assert ids(world.rep, "?status=recorded") == [meeting["id"]]
    assert ids(world.outsider) == [elsewhere["id"]]
    assert set(ids(world.admin)) == {*team, elsewhere["id"]}
    assert ids(world.admin, f"?team_id={world.other_team_id}") == [elsewhere["id"]]
    listed = world.rep.get("/achievements?kind=meeting").json[0]
    assert listed == world.rep.get(f"/achievements/{meeting['id']}").json


@pytest.mark.parametrize(
    "query",
    ["?status=pending", "?kind=vibes", "?team_id=nope", "?user_id=nope"],
)
def test_a_bad_filter_is_refused_with_422(world: World, query: str):
    response = world.rep.get(f"/achievements{query}")

    assert response.status_code == 422
    assert error_of(response)["code"] == "validation_failed"


def test_an_invisible_or_unknown_team_filter_is_not_found(world: World):
    unknown = "00000000-0000-0000-0000-000000000000"

    assert (
        world.outsider.get(f"/achievements?team_id={world.team_id}").status_code == 404
    )
    assert world.admin.get(f"/achievements?team_id={unknown}").status_code == 404
    assert world.rep.get(f"/achievements?team_id={unknown}").status_code == 404


def test_an_achievement_read_carries_its_version_as_etag(world: World):
    aid = record(world)["id"]
    unknown = "00000000-0000-0000-0000-000000000000"

    response = world.teammate.get(f"/achievements/{aid}")

    assert response.headers["ETag"] == '"1"'
    assert world.outsider.get(f"/achievements/{aid}").status_code == 404
    assert world.outsider.get(f"/achievements/{aid}/history").status_code == 404
    assert world.rep.get(f"/achievements/{unknown}").status_code == 404
    assert world.rep.get(f"/achievements/{world.team_id}").status_code == 404


def test_a_stale_if_match_is_refused_with_409(world: World):
    aid = record(world)["id"]
    head = world.head()

    stale = world.leader.post(f"/achievements/{aid}/verify", headers={"If-Match": "2"})
    fresh = world.leader.post(
        f"/achievements/{aid}/verify", headers={"If-Match": '"1"'}
    )

    assert (stale.status_code, error_of(stale)["code"]) == (409, "version_conflict")
    assert (fresh.status_code, fresh.json["version"]) == (200, 2)
    assert world.head() == head + 1


def test_the_openapi_document_describes_the_achievement_endpoints(world: World):
    spec = world.rep.client.get("/api/openapi.json").json

    record_op = spec["paths"]["/api/v1/achievements"]["post"]
    assert {"200", "201"} <= set(record_op["responses"])
    assert "/api/v1/achievements/{achievement_id}/verify" in spec["paths"]
    assert "/api/v1/achievements/{achievement_id}/history" in spec["paths"]
