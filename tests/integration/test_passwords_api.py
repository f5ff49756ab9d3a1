"""Passwords: one's own change, an admin's one-use reset link, and the policy."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from flask import Flask
from sqlalchemy import select

from server.idempotency import IdempotencyRecord
from server.passwords import RESET_LIFETIME
from tests.integration.apiclient import API, ApiUser, error_of
from tests.integration.conftest import PASSWORD, World
from tests.integration.test_realtime import Sockets

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def sockets(world: World) -> Iterator[Sockets]:
    """Socket.IO test clients on the world's app."""
    found = Sockets(world)
    yield found
    found.close()


def sign_in(app: Flask, email: str, password: str) -> int:
    """Try to sign in; return the status."""
    body = {"email": email, "password": password}
    return app.test_client().post(f"{API}/auth/login", json=body).status_code


def reset_token(world: World, user_id: str) -> str:
    """Issue a reset link as the admin; return its token."""
    issued = world.admin.post(f"/users/{user_id}/password-reset")
    assert issued.status_code == 201, issued.json
    return issued.json["url"].split("token=", 1)[1]


def reset(app: Flask, token: str, password: str = NEW_PASSWORD) -> object:
    """Set a password with a reset link's token, signed out."""
    body = {"token": token, "new_password": password}
    return app.test_client().post(f"{API}/auth/reset-password", json=body)


def test_changing_ones_password_ends_the_other_sessions_and_their_sockets(
    world: World, sockets: Sockets
):
    laptop = world.rep
    phone = ApiUser(world.app, "rep@example.com", PASSWORD)
    laptop_socket, phone_socket = sockets.of(laptop), sockets.of(phone)

    changed = laptop.post(
        "/me/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )

    assert changed.status_code == 204
    assert laptop.get("/me").status_code == 200
    assert phone.get("/me").status_code == 401
    assert laptop_socket.is_connected()
    assert not phone_socket.is_connected()
    assert sign_in(world.app, "rep@example.com", PASSWORD) == 401
    assert sign_in(world.app, "rep@example.com", NEW_PASSWORD) == 200


def test_a_wrong_current_password_is_refused_and_changes_nothing(world: World):
    phone = ApiUser(world.app, "rep@example.com", PASSWORD)

    refused = world.rep.post(
        "/me/password",
        json={"current_password": "not it at all", "new_password": NEW_PASSWORD},
    )

    assert refused.status_code == 403
    assert error_of(refused) == {
        "code": "wrong_password",
        "message": "That is not your current password.",
        "fields": {"current_password": ["That is not your current password."]},
    }
    assert phone.get("/me").status_code == 200
    assert sign_in(world.app, "rep@example.com", PASSWORD) == 200


def test_a_stolen_session_cannot_keep_guessing_the_current_password(world: World):
    def guess(password: str) -> int:
        body = {"current_password": password, "new_password": NEW_PASSWORD}
        return world.rep.post("/me/password", json=body).status_code

    guesses = [guess(f"guess number {n}") for n in range(10)]

    assert guesses == [403] * 10
    assert guess(PASSWORD) == 429
    assert sign_in(world.app, "rep@example.com", PASSWORD) == 200


def test_keyed_password_requests_leave_no_link_and_no_plain_hash_behind(
    world: World,
):
    key = {"Idempotency-Key": "reset-1"}
    issued = world.admin.post(f"/users/{world.rep.id}/password-reset", headers=key)
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    changed = world.teammate.post("/me/password", json=body, headers=key)
    with world.app.extensions["wolfpack"].sessions() as session:
        records = session.scalars(select(IdempotencyRecord)).all()

    token = issued.json["url"].split("token=")[1]
    assert issued.status_code == 201
    assert changed.status_code == 204
    assert all(token not in (r.body or "") for r in records)
    # A plain SHA-256 of the request, as fingerprints were, is a fast hash of
    # both passwords: anyone knowing the old one could try new ones at speed.
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    plain = f"POST {API}/me/password?\n{canonical}".encode()
    assert hashlib.sha256(plain).hexdigest() not in {r.fingerprint for r in records}


@pytest.mark.parametrize(
    ("new_password", "status", "code"),
    [
        ("eleven char", 422, "validation_failed"),
        ("qwertyuiop123", 409, "rule_violation"),
        ("QWERTYUIOP123", 409, "rule_violation"),
    ],
)
def test_a_new_password_that_is_short_or_common_is_refused_beside_its_field(
    world: World, new_password: str, status: int, code: str
):
    refused = world.rep.post(
        "/me/password",
        json={"current_password": PASSWORD, "new_password": new_password},
    )

    assert refused.status_code == status
    error = error_of(refused)
    assert error["code"] == code
    assert list(error["fields"]) == ["new_password"]
    assert sign_in(world.app, "rep@example.com", PASSWORD) == 200


def test_accounts_made_through_the_api_meet_the_policy_too(world: World):
    body = {"name": "Nia", "email": "nia@example.com"}

    short = world.admin.post("/users", json={**body, "password": "wolfpack"})
    common = world.admin.post("/users", json={**body, "password": "password1234"})

    assert short.status_code == 422
    assert error_of(short)["fields"] == {"password": ["Use 12 to 1024 characters."]}
    assert common.status_code == 409
    assert list(error_of(common)["fields"]) == ["password"]


def test_a_reset_link_sets_the_password_once_and_ends_every_session(
    world: World, sockets: Sockets
):
    rep_socket = sockets.of(world.rep)
    issued = world.admin.post(f"/users/{world.rep.id}/password-reset")
    token = issued.json["url"].split("token=", 1)[1]

    used = reset(world.app, token)
    again = reset(world.app, token, "another new passphrase")

    assert issued.status_code == 201
    assert urlsplit(issued.json["url"]).fragment.startswith("/reset-password?token=")
    assert len(token) >= 43
    assert used.status_code == 204
    assert world.rep.get("/me").status_code == 401
    assert not rep_socket.is_connected()
    assert sign_in(world.app, "rep@example.com", NEW_PASSWORD) == 200
    assert again.status_code == 410
    assert error_of(again)["code"] == "link_gone"


def test_a_used_and_an_unknown_token_get_the_same_answer(world: World):
    token = reset_token(world, world.rep.id)
    reset(world.app, token)

    used = reset(world.app, token)
    unknown = reset(world.app, "x" * 43)

    assert used.status_code == unknown.status_code == 410
    assert used.json == unknown.json


def at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    """Make the reset links' clock say ``moment``."""
    monkeypatch.setattr("server.passwords.utc_now", lambda: moment)


def test_a_reset_link_works_for_24_hours_and_not_a_second_more(
    world: World, monkeypatch: pytest.MonkeyPatch
):
    issued_at = datetime(2030, 3, 31, 0, 30, tzinfo=UTC)  # the night clocks change
    at(monkeypatch, issued_at)
    in_time, late = (
        reset_token(world, world.teammate.id),
        reset_token(world, world.rep.id),
    )

    at(monkeypatch, issued_at + RESET_LIFETIME - timedelta(seconds=1))
    used_in_time = reset(world.app, in_time)
    at(monkeypatch, issued_at + RESET_LIFETIME + timedelta(seconds=1))
    used_late = reset(world.app, late)

    assert timedelta(hours=24) == RESET_LIFETIME
    assert used_in_time.status_code == 204
    assert used_late.status_code == 410
    assert "expired" in error_of(used_late)["message"]
    assert sign_in(world.app, "rep@example.com", PASSWORD) == 200


def test_a_weak_password_does_not_spend_the_link(world: World):
    token = reset_token(world, world.rep.id)

    weak = reset(world.app, token, "qwertyuiop123")
    strong = reset(world.app, token)

    assert weak.status_code == 409
    assert list(error_of(weak)["fields"]) == ["new_password"]
    assert strong.status_code == 204


def test_a_new_link_or_a_changed_password_stops_the_earlier_link(world: World):
    first = reset_token(world, world.rep.id)
    second = reset_token(world, world.rep.id)
    third = reset_token(world, world.teammate.id)
    world.teammate.post(
        "/me/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )

    assert reset(world.app, first).status_code == 410
    assert reset(world.app, third).status_code == 410
    assert reset(world.app, second).status_code == 204


def test_a_reset_link_for_an_unknown_user_is_not_found(world: World):
    missing = world.admin.post(
        "/users/00000000-0000-0000-0000-000000000000/password-reset"
    )

    assert missing.status_code == 404
    assert error_of(missing)["code"] == "not_found"


def test_the_cli_sets_a_password_and_ends_the_users_sessions(world: World):
    runner = world.app.test_cli_runner()

    weak = runner.invoke(
        args=["users", "set-password", "rep@example.com", "--password", "password1"]
    )
    unknown = runner.invoke(
        args=["users", "set-password", "nobody@example.com", "--password", NEW_PASSWORD]
    )
    prompted = runner.invoke(
        args=["users", "set-password", "REP@example.com"],
        input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n",
    )

    assert weak.exit_code != 0
    assert "Use 12 to 1024 characters." in weak.output
    assert unknown.exit_code != 0
    assert "No account has the email nobody@example.com." in unknown.output
    assert prompted.exit_code == 0, prompted.output
    assert "Set the password of rep@example.com; 1 sign-in(s) ended." in prompted.output
    assert world.rep.get("/me").status_code == 401
    assert sign_in(world.app, "rep@example.com", NEW_PASSWORD) == 200


def test_the_cli_refuses_a_common_password_for_a_new_account(app: Flask):
    runner = app.test_cli_runner()

    common = runner.invoke(
        args=["users", "create", "a@example.com", "--name", "A"],
        input="qwertyuiop123\nqwertyuiop123\n",
    )

    assert common.exit_code != 0
    assert "most common passwords" in common.output
