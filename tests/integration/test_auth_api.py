"""Signing in and out, CSRF, API tokens, and secrets kept out of the event log."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from flask import Flask
from sqlalchemy import select, update

from server.accounts import SESSION_LIFETIME, LoginSession, utc_now
from server.housekeeping import purge_expired
from tests.integration.apiclient import API, ApiUser, error_of
from tests.integration.conftest import PASSWORD, World


def test_a_wrong_password_is_refused_with_401(world: World):
    response = world.app.test_client().post(
        f"{API}/auth/login", json={"email": "rep@example.com", "password": "nope"}
    )
    assert response.status_code == 401
    assert error_of(response)["code"] == "invalid_credentials"


def test_me_shows_the_user_their_csrf_token_and_their_teams(world: World):
    me = world.leader.get("/me").json
    assert me["user"]["email"] == "leader@example.com"
    assert me["csrf_token"] == world.leader.csrf
    assert me["teams"] == [{"id": world.team_id, "name": "North", "role": "leader"}]
    assert "password" not in me["user"]


def test_anonymous_requests_are_refused_with_401(client):
    for path in ("/me", "/teams", "/commitments", "/users"):
        response = client.get(API + path)
        assert response.status_code == 401
        assert error_of(response)["code"] == "unauthorized"


def test_a_write_without_the_csrf_header_is_refused_and_records_nothing(world: World):
    head = world.head()
    response = world.rep.client.post(
        f"{API}/commitments",
        json={"team_id": world.team_id, "title": "T", "due_at": "2031-01-01T00:00:00Z"},
    )
    assert response.status_code == 403
    assert error_of(response)["code"] == "csrf_failed"
    assert world.head() == head


def test_logging_out_ends_the_session_for_good(world: World):
    assert world.rep.post("/auth/logout").status_code == 204
    assert world.rep.get("/me").status_code == 401


def test_an_api_token_works_without_csrf_until_revoked(world: World):
    issued = world.admin.post("/tokens", json={"name": "CRM", "user_id": world.rep.id})
    assert issued.status_code == 201
    bearer = {"Authorization": f"Bearer {issued.json['token']}"}
    script = world.app.test_client()

    me = script.get(f"{API}/me", headers=bearer)
    made = script.post(
        f"{API}/commitments",
        json={"team_id": world.team_id, "title": "T", "due_at": "2031-01-01T00:00:00Z"},
        headers=bearer,
    )
    listed = world.admin.get("/tokens").json
    revoked = world.admin.delete(f"/tokens/{issued.json['id']}")

    assert me.json["user"]["id"] == world.rep.id
    assert me.json["csrf_token"] is None
    assert made.status_code == 201
    assert made.json["owner_id"] == world.rep.id
    assert "token" not in listed[0]
    assert revoked.status_code == 204
    assert script.get(f"{API}/me", headers=bearer).status_code == 401


def test_malformed_or_unknown_bearer_tokens_are_refused(client):
    for header in ("Bearer", "Basic abc", "Bearer wp_unknown"):
        response = client.get(f"{API}/me", headers={"Authorization": header})
        assert response.status_code == 401


def test_only_admins_issue_tokens(world: World):
    response = world.leader.post("/tokens", json={"name": "mine"})
    assert response.status_code == 403
    unknown = world.admin.post(
        "/tokens", json={"name": "x", "user_id": "00000000-0000-0000-0000-000000000000"}
    )
    assert unknown.status_code == 404
    assert "user_id" in error_of(unknown)["fields"]


def test_password_and_token_secrets_never_enter_the_event_log(world: World, app: Flask):
    token = world.admin.post("/tokens", json={"name": "CRM"}).json["token"]
    world.make_commitment()
    recorder = app.extensions["wolfpack"].events.recorder

    stored = b"".join(n.state for n in recorder.select_notifications(1, 10_000))

    for secret in (PASSWORD, token, "pbkdf2", "scrypt", "csrf"):
        assert secret.encode() not in stored
    assert ApiUser(app, "rep@example.com", PASSWORD).id == world.rep.id


def test_repeated_wrong_passwords_are_slowed_down_with_429(world: World):
    client = world.app.test_client()

    def attempt(password: str):
        return client.post(
            f"{API}/auth/login", json={"email": "REP@example.com", "password": password}
        )

    statuses = [attempt("guess").status_code for _ in range(10)]
    blocked = attempt(PASSWORD)

    assert statuses == [401] * 10
    assert blocked.status_code == 429
    assert error_of(blocked)["code"] == "rate_limited"
    # 15 minutes from the first failure: seconds may have passed since (a slow run).
    assert 840 <= int(blocked.headers["Retry-After"]) <= 900
    assert attempt("guess").status_code == 429


def test_a_successful_sign_in_forgets_earlier_failures(world: World):
    client = world.app.test_client()
    body = {"email": "rep@example.com", "password": "guess"}
    for _ in range(9):
        client.post(f"{API}/auth/login", json=body)
    assert (
        client.post(
            f"{API}/auth/login", json={**body, "password": PASSWORD}
        ).status_code
        == 200
    )
    for _ in range(9):
        assert client.post(f"{API}/auth/login", json=body).status_code == 401


def test_a_session_past_its_lifetime_is_refused_then_purged(world: World, app: Flask):
    sessions = app.extensions["wolfpack"].sessions
    with sessions() as db_session:
        db_session.execute(
            update(LoginSession)
            .where(LoginSession.user_id == UUID(world.rep.id))
            .values(created_at=utc_now() - SESSION_LIFETIME - timedelta(1))
        )
        db_session.commit()

    assert world.rep.get("/me").status_code == 401
    purge_expired(sessions, utc_now())

    with sessions() as db_session:
        mine = select(LoginSession).where(LoginSession.user_id == UUID(world.rep.id))
        assert db_session.scalars(mine).all() == []
