"""Idempotency keys, crashes between save and answer, and concurrent writers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from uuid import UUID, uuid4

from werkzeug.test import TestResponse

from events.application import Wolfpack
from events.base import Actor
from server.accounts import utc_now
from tests.integration.apiclient import error_of
from tests.integration.conftest import PASSWORD, World


def test_a_retried_create_returns_the_first_response_and_records_nothing(world: World):
    body = {"team_id": world.team_id, "title": "T", "due_at": "2031-01-01T00:00:00Z"}
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


def test_a_retry_spaced_or_ordered_differently_is_the_same_request(world: World):
    key = {"Idempotency-Key": "make-2", "X-CSRF-Token": world.rep.csrf}
    compact = (
        f'{{"team_id":"{world.team_id}","title":"T","due_at":"2031-01-01T00:00:00Z"}}'
    )
    spaced = (
        f'{{ "due_at": "2031-01-01T00:00:00Z",\n  "title": "T", '
        f'"team_id": "{world.team_id}" }}'
    )
    sent = [
        world.rep.client.post(
            "/api/v1/commitments",
            data=raw,
            content_type="application/json",
            headers=key,
        )
        for raw in (compact, spaced)
    ]

    assert [r.status_code for r in sent] == [201, 201]
    assert sent[1].headers["Idempotent-Replayed"] == "true"
    assert sent[1].json == sent[0].json


def test_the_same_key_from_another_user_is_a_different_request(world: World):
    body = {"team_id": world.team_id, "title": "T", "due_at": "2031-01-01T00:00:00Z"}
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
    key = {"Idempotency-Key": "crash-key"}

    def progress() -> TestResponse:
        return world.rep.post(
            f"/commitments/{cid}/progress", json={"note": "once"}, headers=key
        )

    world.crash_after_saving(progress)
    head = world.head()
    retry = progress()

    assert retry.status_code == 200
    assert [p["note"] for p in retry.json["progress"]] == ["once"]
    assert world.head() == head


def test_a_retry_within_moments_of_a_failure_is_told_to_wait(world: World):
    cid = world.make_commitment()["id"]
    key = {"Idempotency-Key": "crash-key"}
    services = world.app.extensions["wolfpack"]

    def fail(_position: int) -> bool:
        raise RuntimeError("the read models are gone")

    services.wait_for_read_models = fail
    failed = world.rep.post(
        f"/commitments/{cid}/progress", json={"note": "a"}, headers=key
    )
    del services.wait_for_read_models
    retry = world.rep.post(
        f"/commitments/{cid}/progress", json={"note": "a"}, headers=key
    )

    assert failed.status_code == 500
    assert retry.status_code == 409
    assert error_of(retry)["code"] == "idempotency_key_in_use"


def test_a_retried_create_after_a_crash_returns_the_same_commitment(world: World):
    body = {"team_id": world.team_id, "title": "T", "due_at": world.later(1)}
    key = {"Idempotency-Key": "new-1"}

    world.crash_after_saving(
        lambda: world.rep.post("/commitments", json=body, headers=key)
    )
    (saved,) = world.rep.get("/commitments").json
    head = world.head()
    retry = world.rep.post("/commitments", json=body, headers=key)

    assert retry.status_code == 201
    assert retry.json["id"] == saved["id"]
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


def _age_keys(world: World, hours: float) -> None:
    """Pretend every stored key was first used ``hours`` ago."""

    from sqlalchemy import update

    from server.idempotency import IdempotencyRecord

    with world.app.extensions["wolfpack"].sessions() as session:
        then = utc_now() - timedelta(hours=hours)
        session.execute(update(IdempotencyRecord).values(created_at=then))
        session.commit()


def test_a_key_reused_after_24_hours_is_a_new_request_and_is_recorded(world: World):
    cid = world.make_commitment()["id"]
    key = {"Idempotency-Key": "daily"}
    world.rep.post(f"/commitments/{cid}/progress", json={"note": "Monday"}, headers=key)
    _age_keys(world, 25)
    head = world.head()

    later = world.rep.post(
        f"/commitments/{cid}/progress", json={"note": "Tuesday"}, headers=key
    )

    assert later.status_code == 200
    assert "Idempotent-Replayed" not in later.headers
    assert [p["note"] for p in later.json["progress"]] == ["Monday", "Tuesday"]
    assert world.head() == head + 1


def test_a_key_still_being_processed_is_answered_409(world: World):

    from server.idempotency import IdempotencyRecord, _fingerprint

    cid = world.make_commitment()["id"]
    path, raw = f"/api/v1/commitments/{cid}/progress", '{"note": "a"}'
    with world.app.test_request_context(
        path, method="POST", data=raw, content_type="application/json"
    ):
        fingerprint = _fingerprint()
    with world.app.extensions["wolfpack"].sessions() as session:
        session.add(
            IdempotencyRecord(
                user_id=UUID(world.rep.id),
                key="busy",
                nonce="in-flight",
                fingerprint=fingerprint,
                created_at=utc_now(),
            )
        )
        session.commit()
    head = world.head()

    response = world.rep.client.post(
        path,
        data=raw,
        content_type="application/json",
        headers={"Idempotency-Key": "busy", "X-CSRF-Token": world.rep.csrf},
    )

    assert response.status_code == 409
    assert error_of(response)["code"] == "idempotency_key_in_use"
    assert world.head() == head


def test_a_refused_request_frees_its_key_for_a_corrected_one(world: World):
    cid = world.make_commitment()["id"]
    key = {"Idempotency-Key": "fix-me"}
    first = world.rep.post(
        f"/commitments/{cid}/progress", json={"note": ""}, headers=key
    )
    fixed = world.rep.post(
        f"/commitments/{cid}/progress", json={"note": "ok"}, headers=key
    )
    assert (first.status_code, fixed.status_code) == (422, 200)


def test_a_replayed_token_never_shows_its_secret_again(world: World):
    key = {"Idempotency-Key": "token-1"}
    first = world.admin.post("/tokens", json={"name": "ci"}, headers=key)
    again = world.admin.post("/tokens", json={"name": "ci"}, headers=key)

    assert first.json["token"].startswith("wp_")
    assert again.status_code == 201
    assert again.json["id"] == first.json["id"]
    assert again.json["token"] is None
    assert len(world.admin.get("/tokens").json) == 1


def test_signing_out_is_never_replayed(world: World):
    key = {"Idempotency-Key": "bye"}
    assert world.rep.post("/auth/logout", headers=key).status_code == 204
    world.rep.client.post(
        "/api/v1/auth/login", json={"email": "rep@example.com", "password": PASSWORD}
    )
    csrf = world.rep.client.get("/api/v1/me").json["csrf_token"]
    world.rep.client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf, **key})
    assert world.rep.client.get("/api/v1/me").status_code == 401


def test_a_team_cached_by_one_process_catches_up_with_what_another_saved(
    tmp_path: Path,
):
    # Two web instances on one store: each keeps its own cache of aggregates.
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(tmp_path / "events.db"),
    }
    admin = Actor(uuid4(), is_admin=True)
    first, second = Wolfpack(env=env), Wolfpack(env=env)
    try:
        team_id = first.create_team(admin, "North", "UTC").aggregate.id
        assert second.get_team(admin, team_id).members == {}  # now in its cache
        rosa, ravi = uuid4(), uuid4()

        first.add_team_member(admin, team_id, rosa, "rep")
        second.add_team_member(admin, team_id, ravi, "rep")  # no stale version

        for app in (first, second):
            assert app.get_team(admin, team_id).members == {rosa: "rep", ravi: "rep"}
    finally:
        first.close()
        second.close()
