"""Accounts, teams and members through the API."""

from __future__ import annotations

import pytest

from tests.integration.apiclient import error_of
from tests.integration.conftest import World


def test_an_admin_creates_a_user_who_can_then_sign_in(world: World):
    created = world.admin.post(
        "/users",
        json={
            "name": "Nia New",
            "email": "Nia@Example.com",
            "password": "long enough now",
        },
    )
    assert created.status_code == 201
    assert created.json["email"] == "nia@example.com"
    assert created.json["is_admin"] is False
    assert "password" not in created.json


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (
            {"name": "A", "email": "rep@example.com", "password": "long enough now"},
            409,
            None,
        ),
        (
            {"name": "A", "email": "not-an-email", "password": "long enough now"},
            422,
            "email",
        ),
        ({"name": "A", "email": "a@example.com", "password": "short"}, 422, "password"),
        ({"email": "a@example.com", "password": "long enough now"}, 422, "name"),
    ],
)
def test_bad_new_users_are_refused(
    world: World, body: dict, status: int, field: str | None
):
    response = world.admin.post("/users", json=body)
    assert response.status_code == status
    if field:
        assert field in error_of(response)["fields"]
    else:
        assert error_of(response)["code"] == "email_taken"


def test_only_admins_create_users(world: World):
    body = {"name": "A", "email": "a@example.com", "password": "long enough now"}
    assert world.leader.post("/users", json=body).status_code == 403


def test_people_see_their_teammates_but_not_strangers(world: World):
    assert world.rep.get(f"/users/{world.leader.id}").status_code == 200
    assert world.rep.get(f"/users/{world.outsider.id}").status_code == 404
    names = [u["name"] for u in world.rep.get("/users").json]
    assert names == ["Lena Leader", "Ravi Rep", "Tia Teammate"]
    assert len(world.admin.get("/users").json) == 5


def test_a_team_shows_its_members_leaders_first(world: World):
    team = world.rep.get(f"/teams/{world.team_id}").json
    assert team["name"] == "North"
    assert team["timezone"] == "Europe/London"
    assert [(m["name"], m["role"]) for m in team["members"]] == [
        ("Lena Leader", "leader"),
        ("Ravi Rep", "rep"),
        ("Tia Teammate", "rep"),
    ]


def test_teams_are_listed_for_members_and_all_for_admins(world: World):
    assert [t["name"] for t in world.rep.get("/teams").json] == ["North"]
    assert [t["name"] for t in world.admin.get("/teams").json] == ["North", "South"]
    assert world.outsider.get(f"/teams/{world.team_id}").status_code == 404


@pytest.mark.parametrize(
    ("body", "status"),
    [({"name": ""}, 422), ({"name": "X", "timezone": "Mars/Olympus"}, 422), ({}, 422)],
)
def test_bad_teams_are_refused(world: World, body: dict, status: int):
    head = world.head()
    assert world.admin.post("/teams", json=body).status_code == status
    assert world.head() == head


def test_only_admins_create_teams(world: World):
    response = world.leader.post("/teams", json={"name": "Mine"})
    assert response.status_code == 403


def test_a_leader_adds_and_removes_reps_but_not_leaders(world: World):
    nia = world.admin.post(
        "/users",
        json={"name": "Nia", "email": "nia@example.com", "password": "long enough now"},
    ).json
    path = f"/teams/{world.team_id}/members"

    as_leader = world.leader.post(path, json={"user_id": nia["id"], "role": "leader"})
    as_rep = world.leader.post(path, json={"user_id": nia["id"], "role": "rep"})
    again = world.leader.post(path, json={"user_id": nia["id"], "role": "rep"})
    by_rep = world.rep.delete(f"{path}/{nia['id']}")
    removed = world.leader.delete(f"{path}/{nia['id']}")
    remove_leader = world.leader.delete(f"{path}/{world.leader.id}")

    assert as_leader.status_code == 403
    assert as_rep.status_code == 201
    assert again.status_code == 409
    assert error_of(again)["code"] == "already_member"
    assert by_rep.status_code == 403
    assert removed.status_code == 200
    assert nia["id"] not in [m["user_id"] for m in removed.json["members"]]
    assert remove_leader.status_code == 403


def test_only_admins_change_roles(world: World):
    path = f"/teams/{world.team_id}/members/{world.rep.id}"
    assert world.leader.patch(path, json={"role": "leader"}).status_code == 403
    promoted = world.admin.patch(path, json={"role": "leader"})
    assert promoted.status_code == 200
    assert world.rep.get("/me").json["teams"][0]["role"] == "leader"
    assert world.admin.patch(path, json={"role": "boss"}).status_code == 422


def test_members_of_unknown_users_or_teams_are_refused(world: World):
    unknown = "00000000-0000-0000-0000-000000000000"
    response = world.admin.post(
        f"/teams/{world.team_id}/members", json={"user_id": unknown, "role": "rep"}
    )
    assert response.status_code == 404
    assert error_of(response)["fields"] == {"user_id": ["Unknown user."]}
    assert (
        world.admin.post(
            f"/teams/{unknown}/members", json={"user_id": world.rep.id, "role": "rep"}
        ).status_code
        == 404
    )
    assert (
        world.outsider.post(
            f"/teams/{world.team_id}/members",
            json={"user_id": world.outsider.id, "role": "rep"},
        ).status_code
        == 404
    )


def test_a_team_history_names_who_changed_what(world: World):
    history = world.leader.get(f"/teams/{world.team_id}/history").json
    assert [h["type"] for h in history] == ["TeamCreated"] + ["TeamMemberAdded"] * 3
    assert {h["actor_id"] for h in history} == {world.admin.id}
    assert history[1]["data"] == {"user_id": world.leader.id, "role": "leader"}
