"""Idempotency keys, crashes between save and answer, and concurrent writers."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from uuid import UUID

from events.base import Actor
from tests.integration.apiclient import error_of
from tests.integration.conftest import World


def test_a_retried_create_returns_the_first_response_and_records_nothing(world: World):
    body = {"team_id": world.team_id, "title": "T", "due_at": "2099-01-01T00:00:00Z"}
    key = {"Idempotency-Key": "make-1"}

    first = world.rep.post("/commitments", json=body, headers=key)
    head = world.head()
    second = world.rep.post("/commitments", json=body, headers=key)

    assert first.status_code == second.status_code == 201
    assert second.json == first.json
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.headers["X-Event-Position"] == first.headers["X-Event-Position"]
    assert world.head() == head
    assert len(world.rep.get("/commitments").json) == 1


def test_the_same_key_from_another_user_is_a_different_request(world: World):
    body = {"team_id": world.team_id, "title": "T", "due_at": "2099-01-01T00:00:00Z"}
    key = {"Idempotency-Key": "same"}
    mine = world.rep.post("/commitments", json=body, headers=key)
    theirs = world.teammate.post("/commitments", json=body, headers=key)
    assert mine.json["id"] != theirs.json["id"]


def test_a_key_reused_for_a_different_request_is_refused(world: World):
    cid = world.make_commitment()["id"]
    key = {"Idempotency-Key": "k"}
    world.rep.post(f"/commitments/{cid}/progress", json={"note": "a"}, headers=key)
    head = world.head()

    other = world.rep.post(
        f"/commitments/{cid}/progress", json={"note": "b"}, headers=key
    )

    assert other.status_code == 422
    assert error_of(other)["code"] == "idempotency_key_reused"
    assert world.head() == head


def test_an_oversized_key_is_a_bad_request(world: World):
    cid = world.make_commitment()["id"]
    response = world.rep.post(
        f"/commitments/{cid}/progress",
        json={"note": "a"},
        headers={"Idempotency-Key": "k" * 256},
    )
    assert response.status_code == 400


def test_a_retry_after_a_crash_before_the_answer_records_nothing_twice(world: World):
    """The command was saved but the server died before storing its response."""
    cid = world.make_commitment()["id"]
    request_id = hashlib.sha256(f"{world.rep.id}:crash-key".encode()).hexdigest()[:32]
    events = world.app.extensions["wolfpack"].events
    events.report_progress(
        Actor(UUID(world.rep.id), False, request_id), UUID(cid), "once"
    )
    head = world.head()

    retry = world.rep.post(
        f"/commitments/{cid}/progress",
        json={"note": "once"},
        headers={"Idempotency-Key": "crash-key"},
    )

    assert retry.status_code == 200
    assert [p["note"] for p in retry.json["progress"]] == ["once"]
    assert world.head() == head


def test_a_retried_create_after_a_crash_returns_the_same_commitment(world: World):
    request_id = hashlib.sha256(f"{world.rep.id}:new-1".encode()).hexdigest()[:32]
    events = world.app.extensions["wolfpack"].events
    due = datetime.now(UTC) + timedelta(days=1)
    saved = events.make_commitment(
        Actor(UUID(world.rep.id), False, request_id),
        UUID(world.team_id),
        "T",
        None,
        due,
        [],
    )
    head = world.head()

    retry = world.rep.post(
        "/commitments",
        json={"team_id": world.team_id, "title": "T", "due_at": due.isoformat()},
        headers={"Idempotency-Key": "new-1"},
    )

    assert retry.status_code == 201
    assert retry.json["id"] == str(saved.aggregate.id)
    assert world.head() == head


def test_concurrent_writes_to_one_commitment_are_all_kept_or_refused(world: World):
    cid = world.make_commitment()["id"]
    notes = [f"note {i}" for i in range(12)]

    def report(note: str) -> int:
        return world.rep.post(
            f"/commitments/{cid}/progress", json={"note": note}
        ).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(report, notes))

    assert set(statuses) <= {200, 409}
    recorded = [
        h["data"]["note"]
        for h in world.rep.get(f"/commitments/{cid}/history").json
        if h["type"] == "CommitmentProgressReported"
    ]
    accepted = [n for n, s in zip(notes, statuses, strict=True) if s == 200]
    assert sorted(recorded) == sorted(accepted)
    assert len(recorded) >= 1


def test_a_body_over_the_limit_is_refused_with_413(world: World):
    cid = world.make_commitment()["id"]
    response = world.rep.post(
        f"/commitments/{cid}/progress", json={"note": "x" * 2_000_000}
    )
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"


def test_malformed_json_is_a_bad_request(world: World):
    response = world.rep.client.post(
        "/api/v1/commitments",
        data="{not json",
        headers={"Content-Type": "application/json", "X-CSRF-Token": world.rep.csrf},
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"
