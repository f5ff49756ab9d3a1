"""Commitments through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import sqlite_only
from tests.integration.apiclient import FIELD_CODES, error_of
from tests.integration.conftest import World


def test_a_commitment_is_made_renegotiated_kept_and_its_history_told(world: World):
    made = world.make_commitment(witness_ids=[world.teammate.id])
    cid = made["id"]
    assert made["status"] == "open"
    assert made["owner_id"] == world.rep.id
    assert made["witness_ids"] == [world.teammate.id]
    assert made["version"] == 1

    moved = world.rep.post(
        f"/commitments/{cid}/renegotiate",
        json={"due_at": world.later(5), "reason": "The buyer is travelling."},
    )
    assert moved.status_code == 200
    assert moved.json["renegotiation_count"] == 1
    progress = world.rep.post(f"/commitments/{cid}/progress", json={"note": "Drafted"})
    assert progress.json["progress"][0]["note"] == "Drafted"
    kept = world.rep.post(f"/commitments/{cid}/keep", json={"evidence": "Sent 10:02"})
    assert kept.status_code == 200
    assert kept.json["status"] == "kept"
    assert kept.json["version"] == 4
    assert int(kept.headers["X-Event-Position"]) == world.head()

    history = world.leader.get(f"/commitments/{cid}/history").json
    assert [h["type"] for h in history] == [
        "CommitmentMade",
        "CommitmentRenegotiated",
        "CommitmentProgressReported",
        "CommitmentKept",
    ]
    assert [h["version"] for h in history] == [1, 2, 3, 4]
    assert {h["actor_id"] for h in history} == {world.rep.id}
    assert history[1]["data"]["reason"] == "The buyer is travelling."
    assert history[3]["data"] == {"evidence": "Sent 10:02"}


def test_the_leader_calls_out_and_marks_missed_an_overdue_commitment(world: World):
    cid = world.make_commitment(title="Call Globex")["id"]
    early = world.leader.post(f"/commitments/{cid}/miss", json={"reason": "Late"})
    assert early.status_code == 409
    assert error_of(early)["code"] == "not_overdue"

    world.travel(timedelta(days=3))
    called = world.leader.post(f"/commitments/{cid}/call-out", json={"note": "Slipped"})
    missed = world.leader.post(f"/commitments/{cid}/miss", json={"reason": "No call"})

    assert called.status_code == 200
    assert missed.status_code == 200
    assert missed.json["status"] == "missed"
    history = world.rep.get(f"/commitments/{cid}/history").json
    assert [h["actor_id"] for h in history] == [
        world.rep.id,
        world.leader.id,
        world.leader.id,
    ]


@pytest.mark.parametrize(
    ("who", "action", "body", "status", "code"),
    [
        ("teammate", "keep", {}, 403, "forbidden"),
        ("leader", "keep", {}, 403, "forbidden"),
        ("teammate", "progress", {"note": "x"}, 403, "forbidden"),
        ("rep", "miss", {"reason": "x"}, 403, "forbidden"),
        ("rep", "call-out", {"note": "x"}, 403, "forbidden"),
        ("outsider", "keep", {}, 404, "not_found"),
        ("rep", "withdraw", {}, 422, "validation_failed"),
        ("rep", "withdraw", {"reason": "   "}, 422, "validation_failed"),
        (
            "rep",
            "renegotiate",
            {"due_at": "2020-01-01T00:00:00Z", "reason": "x"},
            409,
            "rule_violation",
        ),
        (
            "rep",
            "renegotiate",
            {"due_at": "2030-01-01T00:00:00", "reason": "x"},
            422,
            "validation_failed",
        ),
        (
            "rep",
            "renegotiate",
            {"due_at": "tomorrow", "reason": "x"},
            422,
            "validation_failed",
        ),
        ("rep", "keep", {"evidence": "x", "extra": 1}, 422, "validation_failed"),
    ],
)
@sqlite_only
def test_a_refused_command_gets_its_status_and_changes_nothing(
    world: World, who: str, action: str, body: dict, status: int, code: str
):
    cid = world.make_commitment()["id"]
    head = world.head()

    response = getattr(world, who).post(f"/commitments/{cid}/{action}", json=body)

    assert response.status_code == status, response.json
    assert error_of(response)["code"] == code
    assert world.head() == head
    assert len(world.rep.get(f"/commitments/{cid}/history").json) == 1


def test_a_closed_commitment_stays_closed(world: World):
    cid = world.make_commitment()["id"]
    world.rep.post(f"/commitments/{cid}/withdraw", json={"reason": "Deal lost"})
    head = world.head()

    for action, body in [
        ("keep", {}),
        ("progress", {"note": "x"}),
        ("withdraw", {"reason": "x"}),
    ]:
        response = world.rep.post(f"/commitments/{cid}/{action}", json=body)
        assert response.status_code == 409
        assert error_of(response)["code"] == "commitment_closed"
    assert world.head() == head


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"title": ""}, "title", 422),
        ({"title": "   "}, "title", 422),
        ({"title": "x" * 201}, "title", 422),
        ({"due_at": "2001-01-01T00:00:00+00:00"}, "due_at", 409),
        ({"due_at": "2030-01-01T09:00:00"}, "due_at", 422),
        ({"witness_ids": ["not-a-uuid"]}, "witness_ids", 422),
        ({"team_id": "nope"}, "team_id", 422),
    ],
)
@sqlite_only
def test_bad_fields_of_a_new_commitment_are_named(
    world: World, body: dict, field: str, status: int
):
    payload = {"team_id": world.team_id, "title": "T", "due_at": world.later(1), **body}
    head = world.head()

    response = world.rep.post("/commitments", json=payload)

    assert response.status_code == status, response.json
    assert error_of(response)["code"] == FIELD_CODES[status]
    assert field in error_of(response)["fields"]
    assert world.head() == head


def test_witnesses_must_be_teammates_other_than_the_owner(world: World):
    for witnesses in ([world.outsider.id], [world.rep.id]):
        response = world.rep.post(
            "/commitments",
            json={
                "team_id": world.team_id,
                "title": "T",
                "due_at": world.later(1),
                "witness_ids": witnesses,
            },
        )
        assert response.status_code == 409
        assert "witness_ids" in error_of(response)["fields"]


def test_only_members_make_commitments_and_outsiders_cannot_see_the_team(world: World):
    body = {"team_id": world.team_id, "title": "T", "due_at": world.later(1)}
    assert world.outsider.post("/commitments", json=body).status_code == 404
    assert world.admin.post("/commitments", json=body).status_code == 403


def test_commitments_are_listed_by_team_owner_and_status(world: World):
    first = world.make_commitment(title="First", due_at=world.later(1))
    world.make_commitment(who=world.teammate, title="Second", due_at=world.later(2))
    world.rep.post(f"/commitments/{first['id']}/keep", json={})
    world.make_commitment(who=world.outsider, team_id=world.other_team_id)

    everything = world.leader.get(f"/commitments?team_id={world.team_id}").json
    mine = world.rep.get(f"/commitments?owner_id={world.rep.id}").json
    kept = world.leader.get("/commitments?status=kept").json
    open_ = world.leader.get("/commitments?status=open").json

    assert [c["title"] for c in everything] == ["First", "Second"]
    assert [c["title"] for c in mine] == ["First"]
    assert [c["title"] for c in kept] == ["First"]
    assert [c["title"] for c in open_] == ["Second"]
    assert len(world.admin.get("/commitments").json) == 3
    assert (
        world.outsider.get(f"/commitments?team_id={world.team_id}").status_code == 404
    )
    assert world.rep.get("/commitments?status=late").status_code == 422


def test_overdue_commitments_are_flagged(world: World):
    cid = world.make_commitment(due_at=world.later(1))["id"]
    world.travel(timedelta(days=2))

    assert world.rep.get(f"/commitments/{cid}").json["overdue"] is True
    assert [c["id"] for c in world.rep.get("/commitments?status=overdue").json] == [cid]


def test_a_stale_if_match_is_refused_with_409(world: World):
    cid = world.make_commitment()["id"]
    world.rep.post(f"/commitments/{cid}/progress", json={"note": "one"})
    head = world.head()

    stale = world.rep.post(
        f"/commitments/{cid}/progress", json={"note": "two"}, headers={"If-Match": "1"}
    )
    fresh = world.rep.post(
        f"/commitments/{cid}/progress",
        json={"note": "two"},
        headers={"If-Match": '"2"'},
    )
    garbage = world.rep.post(
        f"/commitments/{cid}/progress", json={"note": "x"}, headers={"If-Match": "two"}
    )

    assert stale.status_code == 409
    assert error_of(stale)["code"] == "version_conflict"
    assert fresh.status_code == 200
    assert fresh.json["version"] == 3
    assert garbage.status_code == 400
    assert world.head() == head + 1


def test_a_commitment_read_carries_its_version_as_etag(world: World):
    cid = world.make_commitment()["id"]
    response = world.teammate.get(f"/commitments/{cid}")
    assert response.headers["ETag"] == '"1"'
    assert world.outsider.get(f"/commitments/{cid}").status_code == 404
    assert (
        world.rep.get("/commitments/00000000-0000-0000-0000-000000000000").status_code
        == 404
    )
