"""Mentorships through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import pytest
from werkzeug.test import TestResponse

from tests.conftest import sqlite_only
from tests.integration.apiclient import ApiUser, error_of
from tests.integration.conftest import World, sign_up


@pytest.fixture
def mentor(world: World) -> ApiUser:
    """A mentor who belongs to no team."""
    return sign_up(world.app, "mentor@example.com", "Mia Mentor")


def today(world: World) -> date:
    """Return the app clock's date (UTC)."""
    return world.app.extensions["wolfpack"].events.clock().date()


def start(world: World, mentor: ApiUser, **fields: Any) -> dict[str, Any]:
    """Start the mentor's mentorship of the rep, by the leader unless told."""
    who = fields.pop("who", world.leader)
    body = {"mentor_id": mentor.id, "mentee_id": world.rep.id, **fields}
    response = who.post("/mentorships", json=body)
    assert response.status_code == 201, response.json
    return response.json


def check_in(world: World, mentor: ApiUser, mid: str, **fields: Any) -> dict:
    """Log a check-in with two action items (by the mentor)."""
    body = {
        "held_on": today(world).isoformat(),
        "notes": "Walked through the Acme deal.",
        "confidence": 3,
        "action_items": ["Call the CFO", "Send the deck"],
        **fields,
    }
    response = mentor.post(f"/mentorships/{mid}/check-ins", json=body)
    assert response.status_code == 201, response.json
    return response.json


def test_a_leader_starts_a_mentorship_with_a_mentor_from_no_team(
    world: World, mentor: ApiUser
):
    response = world.leader.post(
        "/mentorships",
        json={"mentor_id": mentor.id, "mentee_id": world.rep.id, "goals": "Grow"},
    )

    assert response.status_code == 201, response.json
    made = response.json
    assert made["mentor_id"] == mentor.id
    assert made["mentee_id"] == world.rep.id
    assert (made["goals"], made["status"]) == ("Grow", "active")
    assert made["started_by"] == world.leader.id
    assert (made["check_ins"], made["version"]) == ([], 1)
    assert made["created_at"]
    assert int(response.headers["X-Event-Position"]) == world.head()
    for who in (mentor, world.rep, world.leader, world.admin):
        seen = who.get(f"/mentorships/{made['id']}")
        assert seen.status_code == 200
        assert seen.json == made
        assert seen.headers["ETag"] == '"1"'


def test_a_mentorship_lives_through_check_ins_items_and_acknowledgements(
    world: World, mentor: ApiUser
):
    mid = start(world, mentor)["id"]

    logged = mentor.post(
        f"/mentorships/{mid}/check-ins",
        json={
            "held_on": today(world).isoformat(),
            "notes": "Good call",
            "confidence": 4,
            "action_items": ["Call the CFO", "Send the deck"],
        },
    )
    assert logged.status_code == 201, logged.json
    ci = logged.json
    assert set(ci) == {
        "id",
        "mentorship_id",
        "held_on",
        "notes",
        "confidence",
        "action_items",
        "acknowledged_at",
        "logged_at",
    }
    assert ci["mentorship_id"] == mid
    assert (ci["held_on"], ci["notes"], ci["confidence"]) == (
        today(world).isoformat(),
        "Good call",
        4,
    )
    assert ci["acknowledged_at"] is None
    assert [
        (i["text"], i["done"], i["done_at"], i["done_by"]) for i in ci["action_items"]
    ] == [("Call the CFO", False, None, None), ("Send the deck", False, None, None)]
    assert int(logged.headers["X-Event-Position"]) == world.head()
    item_id = ci["action_items"][0]["id"]

    done = world.rep.post(f"/mentorships/{mid}/action-items/{item_id}/complete")
    acked = world.rep.post(f"/mentorships/{mid}/check-ins/{ci['id']}/acknowledge")

    assert done.status_code == 200, done.json
    item = done.json["check_ins"][0]["action_items"][0]
    assert (item["done"], item["done_by"]) == (True, world.rep.id)
    assert acked.status_code == 200, acked.json
    assert acked.json["check_ins"][0]["acknowledged_at"] is not None
    assert acked.json["version"] == 4
    assert acked.json["open_action_item_count"] == 1
    history = world.leader.get(f"/mentorships/{mid}/history").json
    assert [(h["type"], h["actor_id"]) for h in history] == [
        ("MentorshipStarted", world.leader.id),
        ("MentorshipCheckInLogged", mentor.id),
        ("MentorshipActionItemCompleted", world.rep.id),
        ("MentorshipCheckInAcknowledged", world.rep.id),
    ]
    assert history[1]["data"]["held_on"] == today(world).isoformat()
    assert history[1]["data"]["action_item_ids"] == [
        i["id"] for i in ci["action_items"]
    ]
    assert world.rep.get(f"/mentorships/{mid}/check-ins").json == [
        acked.json["check_ins"][0]
    ]


@pytest.mark.parametrize(
    ("who", "body", "status", "code", "field"),
    [
        ("rep", {}, 403, "forbidden", None),
        ("teammate", {}, 403, "forbidden", None),
        ("outsider", {}, 403, "forbidden", None),
        ("leader", {"mentor_id": str(uuid4())}, 404, "not_found", "mentor_id"),
        # Whether an id exists is not told to those who may not start one for it.
        ("leader", {"mentee_id": str(uuid4())}, 403, "forbidden", None),
        ("outsider", {"mentee_id": str(uuid4())}, 403, "forbidden", None),
        ("outsider", {"mentor_id": str(uuid4())}, 403, "forbidden", None),
        ("admin", {"mentee_id": str(uuid4())}, 404, "not_found", "mentee_id"),
        ("leader", {"mentor_id": "nope"}, 422, "validation_failed", "mentor_id"),
        ("leader", {"goals": "x" * 4001}, 422, "validation_failed", "goals"),
        ("leader", {"mentee_id": None}, 422, "validation_failed", "mentee_id"),
    ],
)
@sqlite_only
def test_a_refused_start_gets_its_status_and_records_nothing(
    world: World,
    mentor: ApiUser,
    who: str,
    body: dict,
    status: int,
    code: str,
    field: str | None,
):
    head = world.head()
    payload = {"mentor_id": mentor.id, "mentee_id": world.rep.id, **body}

    response = getattr(world, who).post("/mentorships", json=payload)

    assert response.status_code == status, response.json
    assert error_of(response)["code"] == code
    if field is not None:
        assert field in error_of(response)["fields"]
    assert world.head() == head


def test_nobody_mentors_themself(world: World):
    head = world.head()
    body = {"mentor_id": world.rep.id, "mentee_id": world.rep.id}

    response = world.admin.post("/mentorships", json=body)

    assert response.status_code == 409
    assert list(error_of(response)["fields"]) == ["mentee_id"]
    assert world.head() == head


def test_the_leader_may_mentor_a_rep_of_the_team(world: World):
    made = start(world, world.leader, who=world.leader)
    assert made["mentor_id"] == world.leader.id


def test_a_pair_has_one_active_mentorship_until_it_ends(world: World, mentor: ApiUser):
    first = start(world, mentor)
    head = world.head()
    body = {"mentor_id": mentor.id, "mentee_id": world.rep.id}

    again = world.admin.post("/mentorships", json=body)

    assert again.status_code == 409
    assert error_of(again)["code"] == "mentorship_exists"
    assert world.head() == head
    ended = mentor.post(f"/mentorships/{first['id']}/end", json={"reason": "Done"})
    assert ended.status_code == 200
    assert (ended.json["status"], ended.json["end_reason"]) == ("ended", "Done")
    assert ended.json["ended_by"] == mentor.id
    second = start(world, mentor, who=world.admin)
    assert second["id"] != first["id"]


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("rep", 403, "forbidden"),
        ("leader", 403, "forbidden"),
        ("admin", 403, "forbidden"),
        ("teammate", 404, "not_found"),
        ("outsider", 404, "not_found"),
    ],
)
def test_only_the_mentor_logs_check_ins(
    world: World, mentor: ApiUser, who: str, status: int, code: str
):
    mid = start(world, mentor)["id"]
    head = world.head()
    body = {"held_on": today(world).isoformat(), "notes": "N", "confidence": 3}

    response = getattr(world, who).post(f"/mentorships/{mid}/check-ins", json=body)

    assert response.status_code == status, response.json
    assert error_of(response)["code"] == code
    assert world.head() == head


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"held_on": "tomorrow"}, "validation_failed", "held_on"),
        ({"held_on": None}, "validation_failed", "held_on"),
        ({"notes": ""}, "validation_failed", "notes"),
        ({"notes": "   "}, "validation_failed", "notes"),
        ({"notes": "x" * 4001}, "validation_failed", "notes"),
        ({"confidence": 0}, "validation_failed", "confidence"),
        ({"confidence": 6}, "validation_failed", "confidence"),
        ({"confidence": "3"}, "validation_failed", "confidence"),
        ({"confidence": 2.5}, "validation_failed", "confidence"),
        ({"confidence": True}, "validation_failed", "confidence"),
        ({"action_items": ["ok", ""]}, "validation_failed", "action_items"),
        ({"action_items": [" "]}, "validation_failed", "action_items"),
        ({"action_items": ["x" * 501]}, "validation_failed", "action_items"),
        ({"action_items": ["x"] * 21}, "validation_failed", "action_items"),
        ({"action_items": "Call"}, "validation_failed", "action_items"),
        ({"extra": 1}, "validation_failed", "extra"),
    ],
)
@sqlite_only
def test_bad_check_in_fields_are_named_and_record_nothing(
    world: World, mentor: ApiUser, body: dict, code: str, field: str
):
    mid = start(world, mentor)["id"]
    head = world.head()
    payload = {
        "held_on": today(world).isoformat(),
        "notes": "N",
        "confidence": 3,
        **body,
    }

    response = mentor.post(f"/mentorships/{mid}/check-ins", json=payload)

    assert response.status_code == 422, response.json
    assert error_of(response)["code"] == code
    assert field in error_of(response)["fields"]
    assert world.head() == head


def test_held_on_is_judged_by_the_app_clock(world: World, mentor: ApiUser):
    mid = start(world, mentor)["id"]
    tomorrow = (today(world) + timedelta(days=1)).isoformat()
    head = world.head()

    early = mentor.post(
        f"/mentorships/{mid}/check-ins",
        json={"held_on": tomorrow, "notes": "N", "confidence": 3},
    )
    assert early.status_code == 409
    assert error_of(early)["fields"] == {"held_on": ["Must not be in the future."]}
    assert world.head() == head

    world.travel(timedelta(days=1))
    assert check_in(world, mentor, mid, held_on=tomorrow)["held_on"] == tomorrow


def test_the_limits_of_a_check_in_are_accepted(world: World, mentor: ApiUser):
    mid = start(world, mentor)["id"]
    made = check_in(
        world,
        mentor,
        mid,
        notes="x" * 4000,
        confidence=5,
        action_items=["y" * 500] * 20,
        held_on="2001-01-01",
    )
    bare = mentor.post(
        f"/mentorships/{mid}/check-ins",
        json={"held_on": today(world).isoformat(), "notes": "N", "confidence": 1},
    )
    assert len(made["action_items"]) == 20
    assert bare.status_code == 201, bare.json
    assert bare.json["action_items"] == []


def test_an_ended_mentorship_takes_no_check_ins_and_ends_once(
    world: World, mentor: ApiUser
):
    mid = start(world, mentor)["id"]
    ended = world.leader.post(f"/mentorships/{mid}/end", json={"reason": "Moved"})
    assert ended.status_code == 200
    head = world.head()

    logged = mentor.post(
        f"/mentorships/{mid}/check-ins",
        json={"held_on": today(world).isoformat(), "notes": "N", "confidence": 3},
    )
    again = world.admin.post(f"/mentorships/{mid}/end", json={"reason": "Again"})

    assert logged.status_code == again.status_code == 409
    assert error_of(logged)["code"] == error_of(again)["code"] == "mentorship_ended"
    assert world.head() == head


@pytest.mark.parametrize(
    ("who", "body", "status", "code"),
    [
        ("rep", {"reason": "Quit"}, 403, "forbidden"),
        ("teammate", {"reason": "Quit"}, 404, "not_found"),
        ("outsider", {"reason": "Quit"}, 404, "not_found"),
        ("leader", {}, 422, "validation_failed"),
        ("leader", {"reason": " "}, 422, "validation_failed"),
    ],
)
@sqlite_only
def test_a_refused_end_records_nothing(
    world: World, mentor: ApiUser, who: str, body: dict, status: int, code: str
):
    mid = start(world, mentor)["id"]
    head = world.head()

    response = getattr(world, who).post(f"/mentorships/{mid}/end", json=body)

    assert response.status_code == status, response.json
    assert error_of(response)["code"] == code
    assert world.head() == head


@pytest.mark.parametrize(
    ("who", "action", "status", "code"),
    [
        ("leader", "complete", 403, "forbidden"),
        ("admin", "complete", 403, "forbidden"),
        ("outsider", "complete", 404, "not_found"),
        ("rep", "complete-unknown", 404, "not_found"),
        ("mentor", "acknowledge", 403, "forbidden"),
        ("leader", "acknowledge", 403, "forbidden"),
        ("teammate", "acknowledge", 404, "not_found"),
        ("rep", "acknowledge-unknown", 404, "not_found"),
    ],
)
@sqlite_only
def test_refused_follow_ups_record_nothing(
    world: World, mentor: ApiUser, who: str, action: str, status: int, code: str
):
    mid = start(world, mentor)["id"]
    ci = check_in(world, mentor, mid)
    item_id = str(uuid4()) if "unknown" in action else ci["action_items"][0]["id"]
    ci_id = str(uuid4()) if "unknown" in action else ci["id"]
    path = {
        "complete": f"/mentorships/{mid}/action-items/{item_id}/complete",
        "acknowledge": f"/mentorships/{mid}/check-ins/{ci_id}/acknowledge",
    }[action.removesuffix("-unknown")]
    caller = mentor if who == "mentor" else getattr(world, who)
    head = world.head()

    response = caller.post(path)

    assert response.status_code == status, response.json
    assert error_of(response)["code"] == code
    assert world.head() == head


def test_items_are_done_once_and_check_ins_acknowledged_once(
    world: World, mentor: ApiUser
):
    mid = start(world, mentor)["id"]
    ci = check_in(world, mentor, mid)
    complete = f"/mentorships/{mid}/action-items/{ci['action_items'][1]['id']}/complete"
    acknowledge = f"/mentorships/{mid}/check-ins/{ci['id']}/acknowledge"
    assert mentor.post(complete).status_code == 200
    assert world.rep.post(acknowledge).status_code == 200
    head = world.head()

    twice = world.rep.post(complete)
    acked_again = world.rep.post(acknowledge)

    assert twice.status_code == acked_again.status_code == 409
    assert error_of(twice)["code"] == "action_item_done"
    assert error_of(acked_again)["code"] == "check_in_acknowledged"
    assert world.head() == head


def test_a_mentee_in_two_teams_scores_an_acknowledged_check_in_in_both(
    world: World, mentor: ApiUser
):
    joined = world.admin.post(
        f"/teams/{world.other_team_id}/members",
        json={"user_id": world.rep.id, "role": "rep"},
    )
    mid = start(world, mentor)["id"]
    ci = check_in(world, mentor, mid)
    acknowledge = f"/mentorships/{mid}/check-ins/{ci['id']}/acknowledge"

    assert joined.status_code == 201
    assert world.rep.post(acknowledge).status_code == 200

    for team_id in (world.team_id, world.other_team_id):
        points = world.rep.get(
            f"/users/{world.rep.id}/points?team_id={team_id}&explain=true"
        ).json
        keys = [receipt["rule_key"] for receipt in points["receipts"]]
        assert keys.count("check_in_acknowledged") == 1, team_id
    assert world.app.extensions["wolfpack"].projections.status()["set_aside"] == 0


@pytest.mark.parametrize("who", ["teammate", "outsider"])
def test_outsiders_to_the_mentorship_are_told_it_does_not_exist(
    world: World, mentor: ApiUser, who: str
):
    mid = start(world, mentor)["id"]
    caller = getattr(world, who)

    for path in ("", "/history", "/check-ins"):
        response = caller.get(f"/mentorships/{mid}{path}")
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
    assert world.admin.get(f"/mentorships/{uuid4()}").status_code == 404


def test_each_person_lists_their_mentorships_as_mentor_or_mentee(
    world: World, mentor: ApiUser
):
    first = start(world, mentor)
    second = start(world, mentor, mentee_id=world.teammate.id)
    check_in(world, mentor, first["id"], held_on="2020-05-01")
    check_in(world, mentor, first["id"], held_on="2020-04-01", action_items=[])
    mentor.post(f"/mentorships/{second['id']}/end", json={"reason": "Done"})

    mine = mentor.get("/mentorships").json
    reps = world.rep.get("/mentorships").json
    active = mentor.get("/mentorships?status=active").json

    assert [m["id"] for m in mine] == [second["id"], first["id"]]
    assert [m["id"] for m in reps] == [first["id"]]
    assert [m["id"] for m in active] == [first["id"]]
    row = reps[0]
    assert (row["status"], row["check_in_count"], row["version"]) == ("active", 2, 3)
    assert row["last_check_in_on"] == "2020-05-01"
    assert (row["open_action_item_count"], row["unacknowledged_count"]) == (2, 2)
    assert "check_ins" not in row
    ended = mine[0]
    assert (ended["status"], ended["end_reason"]) == ("ended", "Done")
    assert ended["ended_at"] is not None


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("leader", 200), ("teammate", 403), ("outsider", 403)],
)
def test_others_lists_are_for_admins_and_the_users_leaders(
    world: World, mentor: ApiUser, who: str, status: int
):
    mid = start(world, mentor)["id"]

    response = getattr(world, who).get(f"/mentorships?user_id={world.rep.id}")

    assert response.status_code == status, response.json
    if status == 200:
        assert [m["id"] for m in response.json] == [mid]
    else:
        assert error_of(response)["code"] == "forbidden"


def test_a_leader_does_not_list_a_mentor_from_outside_the_team(
    world: World, mentor: ApiUser
):
    start(world, mentor)
    response = world.leader.get(f"/mentorships?user_id={mentor.id}")
    assert response.status_code == 403
    assert world.leader.get("/mentorships?status=paused").status_code == 422


def test_a_retried_start_and_check_in_return_the_first_answer(
    world: World, mentor: ApiUser
):
    body = {"mentor_id": mentor.id, "mentee_id": world.rep.id}
    key = {"Idempotency-Key": "start-1"}
    first = world.leader.post("/mentorships", json=body, headers=key)
    again = world.leader.post("/mentorships", json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json
    mid = first.json["id"]
    entry = {"held_on": today(world).isoformat(), "notes": "N", "confidence": 2}
    logged = mentor.post(
        f"/mentorships/{mid}/check-ins", json=entry, headers={"Idempotency-Key": "c"}
    )
    head = world.head()

    retried = mentor.post(
        f"/mentorships/{mid}/check-ins", json=entry, headers={"Idempotency-Key": "c"}
    )

    assert retried.status_code == 201
    assert retried.json == logged.json
    assert world.head() == head
    assert len(mentor.get(f"/mentorships/{mid}/check-ins").json) == 1


def test_a_stale_if_match_is_a_conflict(world: World, mentor: ApiUser):
    mid = start(world, mentor)["id"]
    entry = {"held_on": today(world).isoformat(), "notes": "N", "confidence": 2}
    head = world.head()

    stale = mentor.post(
        f"/mentorships/{mid}/check-ins", json=entry, headers={"If-Match": '"2"'}
    )
    fresh = mentor.post(
        f"/mentorships/{mid}/check-ins", json=entry, headers={"If-Match": '"1"'}
    )

    assert stale.status_code == 409
    assert error_of(stale)["code"] == "version_conflict"
    assert fresh.status_code == 201
    assert fresh.headers["ETag"] == '"2"'
    assert world.head() == head + 1


def test_a_check_in_retried_after_a_crash_answers_with_that_check_in(
    world: World, mentor: ApiUser
):
    """The check-in was saved but the server died before storing its response."""
    mid = start(world, mentor)["id"]

    def log_once() -> TestResponse:
        return mentor.post(
            f"/mentorships/{mid}/check-ins",
            json={
                "held_on": today(world).isoformat(),
                "notes": "Once",
                "confidence": 3,
                "action_items": ["Call"],
            },
            headers={"Idempotency-Key": "crash"},
        )

    world.crash_after_saving(log_once)
    check_in(world, mentor, mid, notes="Another")
    head = world.head()
    retry = log_once()

    assert retry.status_code == 201, retry.json
    assert retry.json["notes"] == "Once"
    check_ins = mentor.get(f"/mentorships/{mid}").json["check_ins"]
    assert [c["notes"] for c in check_ins] == ["Once", "Another"]
    assert retry.json["id"] == check_ins[0]["id"]
    assert world.head() == head


def test_concurrent_starts_of_one_pair_make_one_mentorship(
    world: World, mentor: ApiUser
):
    body = {"mentor_id": mentor.id, "mentee_id": world.rep.id}

    def begin(_: int) -> int:
        return world.leader.post("/mentorships", json=body).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(begin, range(6)))

    assert sorted(statuses) == [201] + [409] * 5
    assert len(world.rep.get("/mentorships").json) == 1


def test_mentor_and_mentee_see_each_others_accounts_while_it_lasts(
    world: World, mentor: ApiUser
):
    assert mentor.get(f"/users/{world.rep.id}").status_code == 404
    made = start(world, mentor)

    assert mentor.get(f"/users/{world.rep.id}").json["name"] == "Ravi Rep"
    assert world.rep.get(f"/users/{mentor.id}").json["name"] == "Mia Mentor"
    assert mentor.get(f"/users/{world.teammate.id}").status_code == 404

    ended = world.leader.post(f"/mentorships/{made['id']}/end", json={"reason": "Done"})
    assert ended.status_code == 200, ended.json
    assert mentor.get(f"/users/{world.rep.id}").status_code == 404


def test_a_mentor_sees_the_mentees_record_while_it_lasts(world: World, mentor: ApiUser):
    kept = world.make_commitment()["id"]
    world.rep.post(f"/commitments/{kept}/keep", json={})
    record = (
        f"/users/{world.rep.id}/points?explain=true",
        f"/users/{world.rep.id}/badges",
        f"/users/{world.rep.id}/reliability",
    )
    assert [mentor.get(path).status_code for path in record] == [404, 404, 404]
    made = start(world, mentor)

    points, badges, reliability = (mentor.get(path).json for path in record)
    other_team = mentor.get(
        f"/users/{world.rep.id}/badges?team_id={world.other_team_id}"
    )
    someone_else = mentor.get(f"/users/{world.teammate.id}/points")

    assert points["total"] == sum(r["points"] for r in points["receipts"]) > 0
    assert [b["badge"] for b in badges] == [
        b["badge"] for b in world.rep.get(f"/users/{world.rep.id}/badges").json
    ]
    assert badges
    assert reliability["kept"] == 1
    assert other_team.status_code == 404
    assert someone_else.status_code == 404
    ended = world.leader.post(f"/mentorships/{made['id']}/end", json={"reason": "Done"})
    assert ended.status_code == 200, ended.json
    assert [mentor.get(path).status_code for path in record] == [404, 404, 404]
