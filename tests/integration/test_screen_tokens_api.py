"""Team-screen tokens through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask import Flask

from server.accounts import utc_now
from server.api import screens
from server.realtime import LiveSocket
from server.screen_tokens import screen_token_for
from tests.integration.apiclient import ApiUser, error_of
from tests.integration.conftest import World

UNKNOWN = "00000000-0000-0000-0000-000000000000"


def path(team_id: str, token_id: str | None = None) -> str:
    base = f"/teams/{team_id}/screen-tokens"
    return base if token_id is None else f"{base}/{token_id}"


def issue(who: ApiUser, team_id: str, name: str = "Sales floor TV") -> dict[str, Any]:
    response = who.post(path(team_id), json={"name": name})
    assert response.status_code == 201, response.json
    return response.json


def find(app: Flask, secret: str) -> Any:
    with app.extensions["wolfpack"].sessions() as session:
        return screen_token_for(session, secret)


def test_a_leader_issues_a_screen_token_and_sees_the_secret_once(world: World):
    issued = issue(world.leader, world.team_id, "  Floor 2  ")

    assert set(issued) == {"id", "team_id", "name", "created_at", "revoked_at", "token"}
    assert issued["team_id"] == world.team_id
    assert issued["name"] == "Floor 2"
    assert issued["revoked_at"] is None
    assert issued["token"].startswith("wps_")


def test_the_list_shows_the_teams_tokens_without_secrets(world: World):
    first = issue(world.leader, world.team_id, "Lobby")
    second = issue(world.admin, world.team_id, "Kitchen")
    issue(world.admin, world.other_team_id, "South TV")

    response = world.leader.get(path(world.team_id))

    assert response.status_code == 200
    listed = response.json
    assert [t["id"] for t in listed] == [first["id"], second["id"]]
    assert all(
        set(t) == {"id", "team_id", "name", "created_at", "revoked_at"} for t in listed
    )
    text = response.get_data(as_text=True)
    assert first["token"] not in text
    assert second["token"] not in text


def test_a_revoked_token_stays_listed_and_stops_working(world: World, app: Flask):
    issued = issue(world.leader, world.team_id)
    found = find(app, issued["token"])
    assert found is not None
    assert str(found.id) == issued["id"]
    assert str(found.team_id) == world.team_id

    assert world.leader.delete(path(world.team_id, issued["id"])).status_code == 204

    assert find(app, issued["token"]) is None
    listed = world.leader.get(path(world.team_id)).json
    assert listed[0]["id"] == issued["id"]
    assert listed[0]["revoked_at"] is not None


def test_revoking_twice_is_not_found(world: World):
    issued = issue(world.admin, world.team_id)
    assert world.admin.delete(path(world.team_id, issued["id"])).status_code == 204

    again = world.admin.delete(path(world.team_id, issued["id"]))

    assert again.status_code == 404
    assert error_of(again)["code"] == "not_found"


def test_another_teams_token_or_an_unknown_id_is_not_found(world: World, app: Flask):
    south = issue(world.admin, world.other_team_id)

    for token_id in (south["id"], UNKNOWN):
        response = world.leader.delete(path(world.team_id, token_id))
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
    assert find(app, south["token"]) is not None


def test_an_unknown_team_is_not_found_even_for_an_admin(world: World):
    response = world.admin.post(path(UNKNOWN), json={"name": "TV"})
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    assert world.admin.get(path(UNKNOWN)).status_code == 404


@pytest.mark.parametrize(
    "body", [{}, {"name": ""}, {"name": "   "}, {"name": "x" * 101}]
)
def test_a_missing_blank_or_long_name_is_refused(world: World, body: dict):
    response = world.leader.post(path(world.team_id), json=body)

    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == {"name"}
    assert world.leader.get(path(world.team_id)).json == []


def test_reps_are_refused_and_outsiders_see_nothing(world: World):
    issued = issue(world.leader, world.team_id)

    assert world.rep.get(path(world.team_id)).status_code == 403
    assert world.rep.post(path(world.team_id), json={"name": "x"}).status_code == 403
    assert world.rep.delete(path(world.team_id, issued["id"])).status_code == 403
    assert world.outsider.get(path(world.team_id)).status_code == 404
    assert world.outsider.delete(path(world.team_id, issued["id"])).status_code == 404
    assert world.leader.get(path(world.team_id)).json[0]["revoked_at"] is None


def test_unknown_and_other_secrets_are_not_screen_tokens(world: World, app: Flask):
    issued = issue(world.leader, world.team_id)
    api_token = world.admin.post("/tokens", json={"name": "CRM"}).json["token"]

    assert find(app, issued["token"] + "x") is None
    assert find(app, "wps_" + "a" * 43) is None
    assert find(app, api_token) is None
    assert find(app, "") is None


def test_revoking_disconnects_the_screens_of_that_token_only(
    world: World, app: Flask, monkeypatch: pytest.MonkeyPatch
):
    issued = issue(world.leader, world.team_id)
    other = issue(world.leader, world.team_id, "Other TV")
    with app.extensions["wolfpack"].sessions() as session:
        now = utc_now()
        for n, token_id in enumerate([issued["id"], issued["id"], other["id"]]):
            socket = LiveSocket(sid=f"sid-{n}", connected_at=now, seen_at=now)
            socket.screen_token_id = uuid.UUID(token_id)
            session.add(socket)
        session.commit()
    closed: list[int] = []
    real = screens.disconnect_sockets

    def spy(db_session: Any, which: Any) -> int:
        closed.append(real(db_session, which))
        return closed[-1]

    monkeypatch.setattr(screens, "disconnect_sockets", spy)

    assert world.leader.delete(path(world.team_id, issued["id"])).status_code == 204
    assert closed == [2]
