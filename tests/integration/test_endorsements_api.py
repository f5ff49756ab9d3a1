"""Peer endorsements, allowances and the team's limits through the HTTP API."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import sqlite_only
from tests.integration.apiclient import FIELD_CODES, ApiUser, error_of
from tests.integration.conftest import World

# A Wednesday in ISO week 2026-W48, in North's time zone (London, on GMT).
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
NIL = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def north(world: World) -> World:
    """The world with its clock stopped on a Wednesday in 2026-W48."""
    world.app.extensions["wolfpack"].events.clock = lambda: NOW
    return world


def endorse(
    world: World,
    who: ApiUser | None = None,
    to: ApiUser | None = None,
    headers: dict[str, str] | None = None,
    **fields: Any,
) -> Any:
    """Endorse in North (the rep endorses the teammate unless told)."""
    body = {
        "team_id": world.team_id,
        "to_user_id": (to or world.teammate).id,
        "skill": "Cold calling",
        **fields,
    }
    return (who or world.rep).post("/endorsements", json=body, headers=headers)


def set_limits(world: World, weekly: int, pair: int, who: ApiUser | None = None):
    """Set North's limits (by the leader unless told)."""
    return (who or world.leader).client.put(
        f"/api/v1/teams/{world.team_id}/endorsement-policy",
        json={"weekly_allowance": weekly, "per_receiver_skill_weekly": pair},
        headers={"X-CSRF-Token": (who or world.leader).csrf},
    )


def allowance_in_north(world: World, who: ApiUser | None = None) -> dict[str, Any]:
    """The caller's allowance in North this week."""
    response = (who or world.rep).get(
        f"/me/endorsement-allowance?team_id={world.team_id}"
    )
    assert response.status_code == 200, response.json
    [allowance] = response.json
    return allowance


def test_a_rep_endorses_a_teammate_and_everyone_in_the_team_sees_it(north: World):
    response = endorse(north, skill="  Cold   Calling ", message="Booked Acme!")

    assert response.status_code == 201, response.json
    given = response.json
    assert set(given) == {
        "id",
        "team_id",
        "from_user_id",
        "to_user_id",
        "skill",
        "message",
        "week",
        "given_at",
    }
    assert (given["team_id"], given["from_user_id"], given["to_user_id"]) == (
        north.team_id,
        north.rep.id,
        north.teammate.id,
    )
    assert (given["skill"], given["message"], given["week"]) == (
        "cold-calling",
        "Booked Acme!",
        "2026-W48",
    )
    assert datetime.fromisoformat(given["given_at"]) == NOW
    assert int(response.headers["X-Event-Position"]) == north.head()
    assert north.leader.get(f"/endorsements/{given['id']}").json == given
    assert north.teammate.get(f"/endorsements?user_id={north.teammate.id}").json == [
        given
    ]


def test_the_allowance_shows_the_limits_what_was_given_and_when_it_renews(
    north: World,
):
    before = allowance_in_north(north)
    endorse(north, skill="Discovery")
    endorse(north, to=north.leader)

    after = allowance_in_north(north)

    assert before == {
        "team_id": north.team_id,
        "team_name": "North",
        "week": "2026-W48",
        "weekly_allowance": 5,
        "used": 0,
        "remaining": 5,
        "per_receiver_skill_weekly": 1,
        "given_this_week": [],
        "renews_on": "2026-11-30",
    }
    assert (after["used"], after["remaining"]) == (2, 3)
    assert after["given_this_week"] == [
        {"to_user_id": north.teammate.id, "skill": "discovery"},
        {"to_user_id": north.leader.id, "skill": "cold-calling"},
    ]
    assert allowance_in_north(north, north.teammate)["used"] == 0


def test_the_allowance_covers_each_of_the_callers_teams(north: World):
    north.admin.post(
        f"/teams/{north.other_team_id}/members",
        json={"user_id": north.rep.id, "role": "rep"},
    )

    mine = north.rep.get("/me/endorsement-allowance").json

    assert [(a["team_name"], a["remaining"]) for a in mine] == [
        ("North", 5),
        ("South", 5),
    ]
    assert north.admin.get("/me/endorsement-allowance").json == []


def test_the_weekly_allowance_is_enforced_with_a_message_naming_it(north: World):
    set_limits(north, 2, 1)
    endorse(north, skill="Discovery")
    endorse(north, skill="Closing")
    head = north.head()

    refused = endorse(north, to=north.leader)

    assert refused.status_code == 409
    error = error_of(refused)
    assert error["code"] == "weekly_allowance_used"
    assert error["message"] == (
        "You have used your weekly allowance of 2 endorsements in North; "
        "it renews on Monday 2026-11-30."
    )
    assert north.head() == head
    assert allowance_in_north(north)["remaining"] == 0


def test_one_endorsement_per_receiver_and_skill_each_week(north: World):
    endorse(north, skill="Cold calling")
    head = north.head()

    refused = endorse(north, skill="cold  CALLING")
    other_skill = endorse(north, skill="Discovery")
    other_person = endorse(north, to=north.leader, skill="Cold calling")

    assert refused.status_code == 409
    assert error_of(refused)["code"] == "already_endorsed_this_week"
    assert (
        "North allows 1 endorsement per teammate and skill"
        in (error_of(refused)["message"])
    )
    assert (other_skill.status_code, other_person.status_code) == (201, 201)
    assert north.head() == head + 2


def test_limits_renew_the_next_week(north: World):
    set_limits(north, 1, 1)
    endorse(north)
    assert endorse(north, to=north.leader).status_code == 409

    north.travel(timedelta(days=7))
    again = endorse(north)

    assert again.status_code == 201
    assert again.json["week"] == "2026-W49"
    assert allowance_in_north(north)["renews_on"] == "2026-12-07"


@pytest.mark.parametrize(
    ("who", "to", "status", "code"),
    [
        ("rep", "rep", 409, "self_endorsement"),
        ("outsider", "teammate", 404, "not_found"),
        ("admin", "teammate", 403, "forbidden"),
        ("rep", "outsider", 409, "rule_violation"),
        ("rep", "admin", 409, "rule_violation"),
    ],
)
@sqlite_only
def test_a_refused_endorsement_gets_its_status_and_records_nothing(
    north: World, who: str, to: str, status: int, code: str
):
    head = north.head()

    response = endorse(north, who=getattr(north, who), to=getattr(north, to))

    assert response.status_code == status, response.json
    assert error_of(response)["code"] == code
    assert north.head() == head


@pytest.mark.parametrize(
    ("changes", "field", "status"),
    [
        ({"skill": ""}, "skill", 422),
        ({"skill": "   "}, "skill", 422),
        ({"skill": "x" * 41}, "skill", 422),
        ({"skill": "a;b"}, "skill", 422),
        ({"skill": "İzmir"}, "skill", 422),
        ({"skill": 7}, "skill", 422),
        ({"message": "x" * 501}, "message", 422),
        ({"to_user_id": NIL}, "to_user_id", 409),
        ({"to_user_id": "someone"}, "to_user_id", 422),
        ({"team_id": "north"}, "team_id", 422),
        ({"extra": True}, "extra", 422),
    ],
)
@sqlite_only
def test_bad_fields_of_an_endorsement_are_named(
    north: World, changes: dict[str, Any], field: str, status: int
):
    head = north.head()

    response = endorse(north, **changes)

    assert response.status_code == status, response.json
    assert error_of(response)["code"] == FIELD_CODES[status]
    assert field in error_of(response)["fields"]
    assert north.head() == head


def test_an_unknown_team_is_not_found(north: World):
    response = endorse(north, team_id=NIL)

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_endorsements_are_listed_by_team_receiver_and_giver(north: World):
    first = endorse(north, skill="Discovery").json
    second = endorse(north, who=north.teammate, to=north.rep).json
    north.travel(timedelta(minutes=5))
    third = endorse(north, who=north.leader).json
    north.admin.post(
        f"/teams/{north.other_team_id}/members",
        json={"user_id": north.admin.id, "role": "rep"},
    )
    outsiders = endorse(
        north, who=north.outsider, to=north.admin, team_id=north.other_team_id
    )
    assert outsiders.status_code == 201

    team = north.rep.get(f"/endorsements?team_id={north.team_id}").json
    received = north.leader.get(f"/endorsements?user_id={north.teammate.id}").json
    given = north.rep.get(f"/endorsements?from_user_id={north.rep.id}").json

    assert team[0]["id"] == third["id"]
    assert {e["id"] for e in team} == {first["id"], second["id"], third["id"]}
    assert {e["id"] for e in received} == {first["id"], third["id"]}
    assert [e["id"] for e in given] == [first["id"]]
    assert len(north.rep.get("/endorsements").json) == 3
    assert len(north.admin.get("/endorsements").json) == 4
    assert [e["id"] for e in north.outsider.get("/endorsements").json] == [
        outsiders.json["id"]
    ]


def test_endorsements_of_other_teams_are_hidden(north: World):
    given = endorse(north).json

    listing = north.outsider.get(f"/endorsements?team_id={north.team_id}")
    one = north.outsider.get(f"/endorsements/{given['id']}")

    assert (listing.status_code, one.status_code) == (404, 404)
    assert north.admin.get(f"/endorsements/{given['id']}").status_code == 200
    assert north.rep.get(f"/endorsements/{NIL}").status_code == 404
    assert north.rep.get("/endorsements?user_id=nobody").status_code == 422


def test_the_allowance_of_a_team_the_caller_is_not_in_is_refused(north: World):
    outsider = north.outsider.get(f"/me/endorsement-allowance?team_id={north.team_id}")
    admin = north.admin.get(f"/me/endorsement-allowance?team_id={north.team_id}")
    bad = north.rep.get("/me/endorsement-allowance?team_id=north")

    assert (outsider.status_code, admin.status_code) == (404, 403)
    assert bad.status_code == 422
    assert north.rep.get("/me").status_code == 200


def test_the_policy_starts_at_the_defaults_and_the_leader_changes_it(north: World):
    path = f"/teams/{north.team_id}/endorsement-policy"
    defaults = north.rep.get(path)

    changed = set_limits(north, 3, 2)
    north.travel(timedelta(hours=1))
    by_admin = set_limits(north, 8, 1, who=north.admin)

    assert defaults.status_code == 200
    assert defaults.json == {
        "team_id": north.team_id,
        "weekly_allowance": 5,
        "per_receiver_skill_weekly": 1,
        "version": 0,
        "changed_at": None,
        "changed_by": None,
    }
    assert defaults.headers["ETag"] == '"0"'
    assert changed.status_code == 200, changed.json
    assert (changed.json["weekly_allowance"], changed.json["version"]) == (3, 1)
    assert changed.json["changed_by"] == north.leader.id
    assert int(by_admin.headers["X-Event-Position"]) == north.head()
    now = north.rep.get(path)
    assert (now.json["weekly_allowance"], now.json["per_receiver_skill_weekly"]) == (
        8,
        1,
    )
    assert now.json["changed_by"] == north.admin.id
    assert datetime.fromisoformat(now.json["changed_at"]) == NOW + timedelta(hours=1)
    assert now.headers["ETag"] == '"2"'
    assert allowance_in_north(north)["weekly_allowance"] == 8


def test_the_policy_history_tells_who_changed_the_limits_in_order(north: World):
    path = f"/teams/{north.team_id}/endorsement-policy/history"
    assert north.rep.get(path).json == []
    set_limits(north, 3, 2)
    set_limits(north, 3, 2)
    set_limits(north, 4, 2, who=north.admin)

    history = north.rep.get(path).json

    assert [h["type"] for h in history] == [
        "EndorsementPolicySet",
        "EndorsementPolicyChanged",
    ]
    assert [h["actor_id"] for h in history] == [north.leader.id, north.admin.id]
    assert [h["version"] for h in history] == [1, 2]
    assert history[0]["data"] == {
        "team_id": north.team_id,
        "weekly_allowance": 3,
        "per_receiver_skill_weekly": 2,
    }
    assert history[1]["data"] == {"weekly_allowance": 4, "per_receiver_skill_weekly": 2}
    assert north.outsider.get(path).status_code == 404


def test_setting_the_same_limits_again_answers_200_and_records_nothing(north: World):
    first = set_limits(north, 3, 2)
    head = north.head()

    repeated = set_limits(north, 3, 2)

    assert repeated.status_code == 200
    assert repeated.json == first.json
    assert north.head() == head


@pytest.mark.parametrize(
    ("who", "body", "status", "code"),
    [
        ("rep", {"weekly_allowance": 3, "per_receiver_skill_weekly": 2}, 403, None),
        (
            "outsider",
            {"weekly_allowance": 3, "per_receiver_skill_weekly": 2},
            404,
            "not_found",
        ),
        ("leader", {"weekly_allowance": 0, "per_receiver_skill_weekly": 1}, 422, None),
        ("leader", {"weekly_allowance": 51, "per_receiver_skill_weekly": 1}, 422, None),
        ("leader", {"weekly_allowance": 5, "per_receiver_skill_weekly": 11}, 422, None),
        (
            "leader",
            {"weekly_allowance": "5", "per_receiver_skill_weekly": 1},
            422,
            None,
        ),
        (
            "leader",
            {"weekly_allowance": 5.5, "per_receiver_skill_weekly": 1},
            422,
            None,
        ),
        (
            "leader",
            {"weekly_allowance": True, "per_receiver_skill_weekly": 1},
            422,
            None,
        ),
        ("leader", {"weekly_allowance": 5}, 422, None),
    ],
)
@sqlite_only
def test_a_refused_change_of_limits_gets_its_status_and_records_nothing(
    north: World, who: str, body: dict[str, Any], status: int, code: str | None
):
    user = getattr(north, who)
    head = north.head()

    response = user.client.put(
        f"/api/v1/teams/{north.team_id}/endorsement-policy",
        json=body,
        headers={"X-CSRF-Token": user.csrf},
    )

    assert response.status_code == status, response.json
    error = error_of(response)
    assert error["code"] == (
        code or {403: "forbidden", 422: "validation_failed"}[status]
    )
    assert north.head() == head


def test_a_stale_if_match_on_the_policy_is_refused_with_409(north: World):
    path = f"/api/v1/teams/{north.team_id}/endorsement-policy"
    leader = north.leader
    body = {"weekly_allowance": 3, "per_receiver_skill_weekly": 2}

    def put(version: str, weekly: int) -> Any:
        return leader.client.put(
            path,
            json={**body, "weekly_allowance": weekly},
            headers={"X-CSRF-Token": leader.csrf, "If-Match": version},
        )

    first = put('"0"', 3)
    head = north.head()
    stale = put('"0"', 4)
    garbage = put("zero", 4)
    fresh = put('"1"', 4)

    assert first.status_code == 200
    assert stale.status_code == 409
    assert error_of(stale)["code"] == "version_conflict"
    assert garbage.status_code == 400
    assert fresh.status_code == 200
    assert fresh.json["version"] == 2
    assert north.head() == head + 1


def test_a_retried_endorsement_returns_the_first_response_and_records_nothing(
    north: World,
):
    key = {"Idempotency-Key": "endorse-1"}
    first = endorse(north, headers=key)
    head = north.head()

    second = endorse(north, headers=key)

    assert first.status_code == second.status_code == 201
    assert second.json == first.json
    assert second.headers["Idempotent-Replayed"] == "true"
    assert north.head() == head
    assert allowance_in_north(north)["used"] == 1


def test_concurrent_endorsements_never_pass_the_weekly_allowance(north: World):
    set_limits(north, 3, 1)
    skills = [f"skill {i}" for i in range(10)]

    def give(skill: str) -> int:
        return endorse(north, skill=skill).status_code

    with ThreadPoolExecutor(max_workers=5) as pool:
        statuses = list(pool.map(give, skills))

    assert set(statuses) <= {201, 409}
    given = allowance_in_north(north)["given_this_week"]
    accepted = [
        skill.replace(" ", "-")
        for skill, status in zip(skills, statuses, strict=True)
        if status == 201
    ]
    assert 1 <= len(given) <= 3
    assert sorted(g["skill"] for g in given) == sorted(accepted)
