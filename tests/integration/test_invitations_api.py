"""Invitations: an admin or a leader invites; the link works once, for 7 days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from server.passwords import LINK_LIFETIMES
from tests.integration.apiclient import API, error_of
from tests.integration.conftest import World

NEW_PASSWORD = "a brand new passphrase"


def token_of(invitation: dict) -> str:
    return invitation["url"].split("token=", 1)[1]


def accept(app: Flask, token: str, password: str = NEW_PASSWORD):
    client = app.test_client()
    response = client.post(
        f"{API}/auth/accept-invitation", json={"token": token, "password": password}
    )
    return client, response


def test_an_invitee_joins_the_team_and_is_signed_in(world: World, app: Flask) -> None:
    invited = world.admin.post(
        "/invitations",
        json={
            "email": "Nia@Example.com",
            "name": "Nia New",
            "team_id": world.team_id,
            "role": "leader",
        },
    )

    assert invited.status_code == 201, invited.json
    assert invited.json["emailed"] is False
    assert "#/welcome?token=" in invited.json["url"]
    user_id = invited.json["user_id"]
    person = world.admin.get(f"/users/{user_id}").json
    assert (person["email"], person["status"]) == ("nia@example.com", "invited")
    team = world.admin.get(f"/teams/{world.team_id}").json
    assert {"user_id": user_id, "name": "Nia New", "role": "leader"} in team["members"]
    login = app.test_client().post(
        f"{API}/auth/login", json={"email": "nia@example.com", "password": ""}
    )
    assert login.status_code in (401, 422)  # an invited account has no password

    client, accepted = accept(app, token_of(invited.json))

    assert accepted.status_code == 200, accepted.json
    assert accepted.json["team_id"] == world.team_id
    assert accepted.json["user"]["status"] == "active"
    me = client.get(f"{API}/me")
    assert me.json["teams"] == [
        {"id": world.team_id, "name": "North", "role": "leader"}
    ]
    again = accept(app, token_of(invited.json))[1]
    assert (again.status_code, error_of(again)["code"]) == (410, "link_gone")
    log = world.admin.get("/admin/log", query_string={"subject_id": user_id}).json
    assert [entry["text"] for entry in log] == [
        "Ada Admin created the account of Nia New",
        "Ada Admin added Nia New to North as leader",
        "Ada Admin invited Nia New to North as leader",
        "Nia New accepted their invitation and set a password",
    ]


def test_a_leader_invites_reps_into_their_own_team_only(world: World) -> None:
    body = {"email": "rex@example.com", "name": "Rex Rep", "team_id": world.team_id}

    rep = world.leader.post("/invitations", json=body)
    leader = world.leader.post(
        "/invitations", json={**body, "email": "lea@example.com", "role": "leader"}
    )
    elsewhere = world.leader.post(
        "/invitations", json={**body, "team_id": world.other_team_id}
    )
    nowhere = world.leader.post("/invitations", json={**body, "team_id": None})

    assert rep.status_code == 201, rep.json
    assert leader.status_code == 403
    assert elsewhere.status_code == 404
    assert nowhere.status_code == 403
    assert world.rep.post("/invitations", json=body).status_code == 403
    emails = [u["email"] for u in world.admin.get("/users").json]
    assert "lea@example.com" not in emails  # a refusal makes no account


def test_inviting_again_replaces_the_link(world: World, app: Flask) -> None:
    body = {"email": "nia@example.com", "name": "Nia New", "team_id": world.team_id}
    first = world.admin.post("/invitations", json=body).json

    second = world.admin.post("/invitations", json=body)

    assert second.status_code == 201
    assert second.json["user_id"] == first["user_id"]
    assert accept(app, token_of(first))[1].status_code == 410
    assert accept(app, token_of(second.json))[1].status_code == 200


@pytest.mark.parametrize("who", ["rep", "admin"])
def test_an_email_with_an_account_is_taken(world: World, who: str) -> None:
    taken = world.admin.post(
        "/invitations", json={"email": f"{who}@example.com", "name": "Someone"}
    )

    assert taken.status_code == 409
    assert error_of(taken)["code"] == "email_taken"
    assert list(error_of(taken)["fields"]) == ["email"]


def test_a_deactivated_persons_email_is_taken(world: World) -> None:
    world.admin.patch(f"/users/{world.rep.id}", json={"active": False})

    taken = world.admin.post(
        "/invitations", json={"email": "rep@example.com", "name": "Ravi"}
    )

    assert error_of(taken)["code"] == "email_taken"


def test_an_invitation_works_for_seven_days_and_not_a_second_more(
    world: World, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    issued_at = datetime(2030, 10, 27, 0, 30, tzinfo=UTC)  # the night clocks change
    monkeypatch.setattr("server.passwords.utc_now", lambda: issued_at)
    in_time, late = (
        world.admin.post(
            "/invitations", json={"email": f"{who}@example.com", "name": who}
        ).json
        for who in ("nia", "ned")
    )

    just_before = issued_at + timedelta(days=7, seconds=-1)
    monkeypatch.setattr("server.passwords.utc_now", lambda: just_before)
    used_in_time = accept(app, token_of(in_time))[1]
    just_after = issued_at + timedelta(days=7, seconds=1)
    monkeypatch.setattr("server.passwords.utc_now", lambda: just_after)
    used_late = accept(app, token_of(late))[1]

    assert timedelta(days=7) == LINK_LIFETIMES["invitation"]
    assert used_in_time.status_code == 200
    assert used_late.status_code == 410
    assert "invitation" in error_of(used_late)["message"]


def test_a_weak_password_keeps_the_link(world: World, app: Flask) -> None:
    invited = world.admin.post(
        "/invitations", json={"email": "nia@example.com", "name": "Nia"}
    ).json

    short = accept(app, token_of(invited), "short")[1]
    common = accept(app, token_of(invited), "password1234")[1]

    assert short.status_code == 422
    assert "password" in error_of(short)["fields"]
    assert common.status_code == 409
    assert accept(app, token_of(invited))[1].status_code == 200


def test_a_reset_link_is_no_invitation_and_back(world: World, app: Flask) -> None:
    reset = world.admin.post(f"/users/{world.rep.id}/password-reset").json
    invited = world.admin.post(
        "/invitations", json={"email": "nia@example.com", "name": "Nia"}
    ).json

    assert accept(app, token_of(reset))[1].status_code == 410
    as_reset = app.test_client().post(
        f"{API}/auth/reset-password",
        json={"token": token_of(invited), "new_password": NEW_PASSWORD},
    )
    assert as_reset.status_code == 410
    not_yet = world.admin.post(f"/users/{invited['user_id']}/password-reset")
    assert not_yet.status_code == 409


def test_an_archived_team_takes_no_invitations(world: World) -> None:
    world.admin.post(f"/teams/{world.other_team_id}/archive")

    refused = world.admin.post(
        "/invitations",
        json={
            "email": "nia@example.com",
            "name": "Nia",
            "team_id": world.other_team_id,
        },
    )

    assert (refused.status_code, error_of(refused)["code"]) == (409, "team_archived")


def test_the_setup_state_tells_a_new_workspace(app: Flask, world: World) -> None:
    state = app.test_client().get(f"{API}/auth/setup-state")
    assert state.json == {"has_users": True}


def test_a_leader_cannot_take_over_an_invited_account_by_inviting_it_again(
    world: World, app: Flask
) -> None:
    boss = world.admin.post(
        "/invitations", json={"email": "boss@example.com", "name": "Boss"}
    ).json
    world.admin.patch(f"/users/{boss['user_id']}", json={"is_admin": True})
    elsewhere = world.admin.post(
        "/invitations",
        json={
            "email": "zoe@example.com",
            "name": "Zoe",
            "team_id": world.other_team_id,
        },
    ).json
    own = {"email": "rex@example.com", "name": "Rex", "team_id": world.team_id}
    world.leader.post("/invitations", json=own)

    for email in ("boss@example.com", "zoe@example.com"):
        again = world.leader.post(
            "/invitations", json={**own, "email": email, "name": "Mine now"}
        )
        assert (again.status_code, error_of(again)["code"]) == (409, "email_taken")
    assert accept(app, token_of(boss))[1].status_code == 200  # their links still work
    assert accept(app, token_of(elsewhere))[1].status_code == 200
    assert world.leader.post("/invitations", json=own).status_code == 201


def test_an_invitation_is_never_replayed_with_its_link(
    world: World, app: Flask
) -> None:
    body = {"email": "nia@example.com", "name": "Nia"}
    headers = {"X-CSRF-Token": world.admin.csrf, "Idempotency-Key": "invite-nia"}
    first = world.admin.client.post(f"{API}/invitations", json=body, headers=headers)
    again = world.admin.client.post(f"{API}/invitations", json=body, headers=headers)

    assert "token=" in first.json["url"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json["url"] is None
    assert accept(app, token_of(first.json))[1].status_code == 200
