"""Changing, archiving and restoring teams through the API (admins)."""

from __future__ import annotations

import pytest

from tests.conftest import sqlite_only
from tests.integration.apiclient import error_of
from tests.integration.conftest import World

UNKNOWN = "00000000-0000-0000-0000-000000000000"


def team_path(world: World, tail: str = "") -> str:
    return f"/teams/{world.team_id}{tail}"


def names(response) -> list[str]:
    assert response.status_code == 200, response.json
    return [team["name"] for team in response.json]


# Changing a team


def test_an_admin_renames_a_team_and_its_members_see_the_new_name(world: World):
    version = world.admin.get(team_path(world)).json["version"]

    renamed = world.admin.patch(team_path(world), json={"name": "  North East "})

    assert renamed.status_code == 200, renamed.json
    assert renamed.json["name"] == "North East"
    assert renamed.json["version"] == version + 1
    assert names(world.rep.get("/teams")) == ["North East"]
    assert [t["name"] for t in world.rep.get("/me").json["teams"]] == ["North East"]
    last = world.leader.get(team_path(world, "/history")).json[-1]
    assert (last["type"], last["actor_id"]) == ("TeamUpdated", world.admin.id)
    assert last["data"] == {"name": "North East", "timezone": None, "currency": None}


def test_an_admin_sets_a_teams_time_zone_and_currency(world: World):
    changed = world.admin.patch(
        team_path(world), json={"timezone": "Asia/Tokyo", "currency": "JPY"}
    )

    assert changed.status_code == 200, changed.json
    assert (changed.json["timezone"], changed.json["currency"]) == ("Asia/Tokyo", "JPY")
    [summary] = world.rep.get("/teams").json
    assert summary["timezone"] == "Asia/Tokyo"
    assert (summary["currency"], summary["archived"]) == ("JPY", False)


def test_a_team_shows_no_currency_until_one_is_set(world: World):
    team = world.rep.get(team_path(world)).json

    assert (team["currency"], team["archived"]) == (None, False)


def test_a_change_to_what_the_team_already_has_records_nothing(world: World):
    version = world.admin.get(team_path(world)).json["version"]
    head = world.head()

    same = world.admin.patch(
        team_path(world), json={"name": "North", "timezone": "Europe/London"}
    )

    assert same.status_code == 200, same.json
    assert same.json["version"] == version
    assert world.head() == head


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"currency": "eur"}, "currency"),
        ({"currency": "EURO"}, "currency"),
        ({"currency": "EUR\n"}, "currency"),
        ({"currency": None}, "currency"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "South", "currency": "12"}, "currency"),
    ],
)
@sqlite_only
def test_bad_team_changes_are_refused_naming_the_field(
    world: World, body: dict, field: str
):
    head = world.head()

    response = world.admin.patch(team_path(world), json=body)

    assert response.status_code == 422, response.json
    assert list(error_of(response)["fields"]) == [field]
    assert world.head() == head


def test_a_change_naming_no_field_is_refused(world: World):
    head = world.head()

    response = world.admin.patch(team_path(world), json={})

    assert response.status_code == 422
    assert error_of(response)["code"] == "validation_failed"
    assert world.head() == head


def test_a_change_against_a_stale_version_is_refused(world: World):
    version = world.admin.get(team_path(world)).json["version"]
    world.admin.patch(team_path(world), json={"currency": "GBP"})
    head = world.head()

    stale = world.admin.patch(
        team_path(world), json={"name": "West"}, headers={"If-Match": f'"{version}"'}
    )
    current = world.admin.patch(
        team_path(world), json={"name": "West"}, headers={"If-Match": str(version + 1)}
    )

    assert stale.status_code == 409
    assert error_of(stale)["code"] == "version_conflict"
    assert current.status_code == 200, current.json
    assert current.json["name"] == "West"
    assert world.head() == head + 1


# Archiving and restoring


def test_an_archived_team_leaves_team_lists_and_me(world: World):
    archived = world.admin.post(team_path(world, "/archive"))

    assert archived.status_code == 200, archived.json
    assert archived.json["archived"] is True
    assert names(world.rep.get("/teams")) == []
    assert world.rep.get("/me").json["teams"] == []
    assert names(world.admin.get("/teams")) == ["South"]
    listed = world.admin.get("/teams?archived=true").json
    assert [(t["name"], t["archived"]) for t in listed] == [
        ("North", True),
        ("South", False),
    ]
    assert names(world.admin.get("/teams?archived=false")) == ["South"]


def test_members_still_read_an_archived_teams_record(world: World):
    world.admin.patch(team_path(world), json={"currency": "EUR"})
    world.admin.post(team_path(world, "/archive"))

    team = world.rep.get(team_path(world))
    audit = world.leader.get(team_path(world, "/audit"))

    assert team.status_code == 200
    assert len(team.json["members"]) == 3
    assert names(world.rep.get("/teams?archived=true")) == ["North"]
    assert world.rep.get(team_path(world, "/feed")).status_code == 200
    assert world.rep.get(team_path(world, "/leaderboard")).status_code == 200
    assert [row["type"] for row in audit.json][-2:] == ["TeamUpdated", "TeamArchived"]
    assert audit.json[-2]["data"]["currency"] == "EUR"


@pytest.mark.parametrize("who", ["admin", "leader"])
def test_no_one_is_added_to_an_archived_team(world: World, who: str):
    world.admin.post(team_path(world, "/archive"))
    head = world.head()

    added = getattr(world, who).post(
        team_path(world, "/members"), json={"user_id": world.outsider.id, "role": "rep"}
    )

    assert added.status_code == 409
    assert error_of(added)["code"] == "team_archived"
    assert world.head() == head


def test_a_restored_team_is_listed_and_takes_members_again(world: World):
    world.admin.post(team_path(world, "/archive"))

    restored = world.admin.post(team_path(world, "/restore"))
    added = world.leader.post(
        team_path(world, "/members"), json={"user_id": world.outsider.id, "role": "rep"}
    )

    assert restored.status_code == 200, restored.json
    assert restored.json["archived"] is False
    assert names(world.rep.get("/teams")) == ["North"]
    assert [t["name"] for t in world.rep.get("/me").json["teams"]] == ["North"]
    assert added.status_code == 201, added.json
    history = world.rep.get(team_path(world, "/history")).json
    assert [h["type"] for h in history][-3:] == [
        "TeamArchived",
        "TeamRestored",
        "TeamMemberAdded",
    ]


def test_archiving_twice_or_restoring_a_team_in_use_is_refused(world: World):
    in_use = world.admin.post(team_path(world, "/restore"))
    world.admin.post(team_path(world, "/archive"))
    head = world.head()

    again = world.admin.post(team_path(world, "/archive"))

    assert in_use.status_code == again.status_code == 409
    assert error_of(in_use)["code"] == "not_archived"
    assert error_of(again)["code"] == "already_archived"
    assert world.head() == head


def test_an_archive_retried_with_its_key_gets_the_first_answer(world: World):
    key = {"Idempotency-Key": "archive-north"}
    first = world.admin.post(team_path(world, "/archive"), headers=key)
    head = world.head()

    retried = world.admin.post(team_path(world, "/archive"), headers=key)

    assert first.status_code == retried.status_code == 200
    assert retried.json == first.json
    assert world.head() == head


def test_an_archive_retried_after_a_crash_is_not_refused(world: World):
    key = {"Idempotency-Key": "archive-crash"}

    def archive():
        return world.admin.post(team_path(world, "/archive"), headers=key)

    world.crash_after_saving(archive)
    head = world.head()
    retried = archive()

    assert retried.status_code == 200, retried.json
    assert retried.json["archived"] is True
    assert world.head() == head


# Who may


@pytest.mark.parametrize(
    ("method", "tail", "body"),
    [
        ("patch", "", {"name": "Mine"}),
        ("post", "/archive", None),
        ("post", "/restore", None),
    ],
)
def test_only_admins_change_archive_or_restore_a_team(
    world: World, method: str, tail: str, body: dict | None
):
    head = world.head()

    answers = {
        who: getattr(getattr(world, who), method)(team_path(world, tail), json=body)
        for who in ("leader", "rep", "outsider")
    }

    assert {who: r.status_code for who, r in answers.items()} == {
        "leader": 403,
        "rep": 403,
        "outsider": 404,
    }
    assert world.head() == head


@pytest.mark.parametrize(
    ("method", "tail", "body"),
    [
        ("patch", "", {"name": "Mine"}),
        ("post", "/archive", None),
        ("post", "/restore", None),
    ],
)
def test_an_unknown_team_is_not_found(
    world: World, method: str, tail: str, body: dict | None
):
    response = getattr(world.admin, method)(f"/teams/{UNKNOWN}{tail}", json=body)

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_rebuilt_read_models_keep_currencies_and_archives(world: World):
    world.admin.patch(team_path(world), json={"name": "East", "currency": "USD"})
    world.admin.post(team_path(world, "/archive"))
    before = world.admin.get("/teams?archived=true").json

    world.app.extensions["wolfpack"].projections.rebuild()

    assert world.admin.get("/teams?archived=true").json == before
    assert [(t["name"], t["currency"], t["archived"]) for t in before] == [
        ("East", "USD", True),
        ("South", None, False),
    ]
