"""An admin changes accounts (names, emails, admin rights, deactivation), on record."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from uuid import UUID

import pytest
from flask import Flask
from sqlalchemy import func, select

from events.account import SYSTEM_ACTOR, Account
from server.accounts import User, create_user, utc_now
from server.admin_records import PendingRecord, note, publish_pending
from tests.integration.apiclient import API, ApiUser, error_of
from tests.integration.conftest import PASSWORD, World, sign_up


def log_of(world: World, **query: str) -> list[dict]:
    response = world.admin.get("/admin/log", query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def test_an_admin_renames_and_promotes_and_the_log_says_so(world: World) -> None:
    changed = world.admin.patch(
        f"/users/{world.rep.id}", json={"name": "Ravi Rao", "is_admin": True}
    )

    assert changed.status_code == 200, changed.json
    assert changed.json["name"] == "Ravi Rao"
    assert changed.json["is_admin"] is True
    assert changed.json["status"] == "active"
    assert int(changed.headers["X-Event-Position"]) == world.head()
    entry = log_of(world, subject_id=world.rep.id)[-1]
    assert entry["action"] == "user.updated"
    assert entry["actor_id"] == world.admin.id
    assert entry["data"]["changes"] == {"name": "Ravi Rao", "is_admin": True}
    assert (
        entry["text"]
        == "Ada Admin changed Ravi Rao's account: name → Ravi Rao, made an admin"
    )


def test_a_change_to_nothing_records_nothing(world: World) -> None:
    before = world.head()

    same = world.admin.patch(f"/users/{world.rep.id}", json={"name": "Ravi Rep"})

    assert same.status_code == 200
    assert world.head() == before


def test_an_email_in_use_is_refused_naming_the_field(world: World) -> None:
    taken = world.admin.patch(
        f"/users/{world.rep.id}", json={"email": "Leader@Example.com"}
    )

    assert taken.status_code == 409
    error = error_of(taken)
    assert error["code"] == "email_taken"
    assert list(error["fields"]) == ["email"]
    both = world.admin.patch(
        f"/users/{world.rep.id}", json={"email": "leader@example.com", "active": False}
    )
    assert error_of(both)["code"] == "email_taken"
    rep = world.admin.get(f"/users/{world.rep.id}").json
    assert (rep["email"], rep["status"]) == ("rep@example.com", "active")
    assert world.rep.get("/me").status_code == 200


def test_bad_changes_are_refused(world: World) -> None:
    assert world.admin.patch(f"/users/{world.rep.id}", json={}).status_code == 422
    bad = world.admin.patch(f"/users/{world.rep.id}", json={"active": "no"})
    assert bad.status_code == 422
    assert "active" in error_of(bad)["fields"]
    unknown = world.admin.patch(
        "/users/00000000-0000-4000-8000-000000000000", json={"name": "X"}
    )
    assert unknown.status_code == 404
    assert (
        world.leader.patch(f"/users/{world.rep.id}", json={"name": "X"}).status_code
        == 403
    )


def test_a_stale_if_match_is_a_conflict(world: World) -> None:
    version = world.admin.get(f"/users/{world.rep.id}").json["version"]
    world.admin.patch(f"/users/{world.rep.id}", json={"name": "Ravi R"})

    stale = world.admin.client.patch(
        f"{API}/users/{world.rep.id}",
        json={"name": "Ravi S"},
        headers={"X-CSRF-Token": world.admin.csrf, "If-Match": str(version)},
    )

    assert stale.status_code == 409
    assert error_of(stale)["code"] == "version_conflict"


def test_deactivation_ends_access_at_once_and_sign_in_is_refused(
    world: World, app: Flask
) -> None:
    token = world.admin.post("/tokens", json={"name": "CRM", "user_id": world.rep.id})
    secret = token.json["token"]
    bearer = {"Authorization": f"Bearer {secret}"}
    assert app.test_client().get(f"{API}/me", headers=bearer).status_code == 200

    off = world.admin.patch(f"/users/{world.rep.id}", json={"active": False})

    assert off.status_code == 200, off.json
    assert off.json["status"] == "deactivated"
    assert world.rep.get("/me").status_code == 401
    assert app.test_client().get(f"{API}/me", headers=bearer).status_code == 401
    login = app.test_client().post(
        f"{API}/auth/login", json={"email": "rep@example.com", "password": PASSWORD}
    )
    assert login.status_code == 403
    assert error_of(login)["code"] == "account_deactivated"
    wrong = app.test_client().post(
        f"{API}/auth/login", json={"email": "rep@example.com", "password": "nope"}
    )
    assert wrong.status_code == 401  # the state of an account is no clue to a guesser
    actions = [e["action"] for e in log_of(world)]
    assert actions[-2:] == ["user.deactivated", "token.revoked"]


def test_a_deactivated_person_gets_no_token_nor_reset_link(world: World) -> None:
    world.admin.patch(f"/users/{world.rep.id}", json={"active": False})

    token = world.admin.post("/tokens", json={"name": "CRM", "user_id": world.rep.id})
    reset = world.admin.post(f"/users/{world.rep.id}/password-reset")

    assert (token.status_code, error_of(token)["code"]) == (409, "account_deactivated")
    assert (reset.status_code, error_of(reset)["code"]) == (409, "account_deactivated")


def test_reactivation_restores_sign_in_and_nothing_else(
    world: World, app: Flask
) -> None:
    token = world.admin.post("/tokens", json={"name": "CRM", "user_id": world.rep.id})
    world.admin.patch(f"/users/{world.rep.id}", json={"active": False})

    on = world.admin.patch(f"/users/{world.rep.id}", json={"active": True})

    assert on.json["status"] == "active"
    ApiUser(app, "rep@example.com", PASSWORD)  # signs in
    bearer = {"Authorization": f"Bearer {token.json['token']}"}
    assert app.test_client().get(f"{API}/me", headers=bearer).status_code == 401
    team = world.admin.get(f"/teams/{world.team_id}").json
    assert world.rep.id in [m["user_id"] for m in team["members"]]
    assert log_of(world)[-1]["text"] == "Ada Admin reactivated Ravi Rep"


def test_the_last_active_admin_stays(world: World, app: Flask) -> None:
    alone = world.admin.patch(f"/users/{world.admin.id}", json={"active": False})
    demoted = world.admin.patch(f"/users/{world.admin.id}", json={"is_admin": False})

    assert (alone.status_code, error_of(alone)["code"]) == (409, "last_admin")
    assert (demoted.status_code, error_of(demoted)["code"]) == (409, "last_admin")
    assert world.admin.get("/me").json["user"]["is_admin"] is True

    second = sign_up(app, "second@example.com", "Sam Second", admin=True)
    world.admin.patch(f"/users/{second.id}", json={"active": False})
    assert (
        world.admin.patch(f"/users/{second.id}", json={"active": True}).status_code
        == 200
    )
    stepped_down = world.admin.patch(
        f"/users/{world.admin.id}", json={"is_admin": False}
    )
    assert stepped_down.status_code == 200
    assert second.get("/me").status_code == 401  # deactivation ended that sign-in


def test_people_are_found_by_name_or_email_and_paged(world: World) -> None:
    world.admin.patch(f"/users/{world.outsider.id}", json={"active": False})

    found = world.admin.get("/users", query_string={"q": "TEA"})
    assert [u["name"] for u in found.json] == ["Tia Teammate"]
    by_email = world.admin.get("/users", query_string={"q": "outsider@"})
    assert [u["name"] for u in by_email.json] == ["Otto Outsider"]
    inactive = world.admin.get("/users", query_string={"active": "false"})
    assert [u["name"] for u in inactive.json] == ["Otto Outsider"]
    page = world.admin.get("/users", query_string={"limit": 2, "offset": 2})
    assert page.headers["X-Total-Count"] == "5"
    assert [u["name"] for u in page.json] == ["Otto Outsider", "Ravi Rep"]
    literal = world.admin.get("/users", query_string={"q": "%"})
    assert literal.json == []
    assert world.admin.get("/users", query_string={"limit": 0}).status_code == 422


def test_a_teammate_lists_only_teammates(world: World) -> None:
    names = [u["name"] for u in world.rep.get("/users").json]
    assert names == ["Lena Leader", "Ravi Rep", "Tia Teammate"]


def test_a_leader_finds_anyone_active_to_add_to_their_team(world: World) -> None:
    world.admin.post(
        "/invitations", json={"email": "nia@example.com", "name": "Otto Newman"}
    )
    world.admin.patch(f"/users/{world.teammate.id}", json={"active": False})

    found = world.leader.get("/users", query_string={"q": "otto"}).json

    assert [u["name"] for u in found] == ["Otto Newman", "Otto Outsider"]
    everyone = {u["name"] for u in world.leader.get("/users").json}
    assert "Tia Teammate" in everyone  # a teammate, though deactivated
    assert world.outsider.get("/users", query_string={"q": "otto"}).json == [
        {**world.outsider.get(f"/users/{world.outsider.id}").json}
    ]


def test_a_change_committed_but_not_yet_recorded_is_recorded_later(
    world: World, app: Flask
) -> None:
    services = app.extensions["wolfpack"]
    with services.sessions() as session:
        # As if the process died between committing the account and recording it.
        user = create_user(session, "late@example.com", "Lee Late", PASSWORD)
        pending = session.scalar(select(func.count()).select_from(PendingRecord))
        assert pending == 1
    # Two processes' housekeepers publish at once: each change is recorded once.
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda _: publish(services), range(2)))
    assert len(list(services.events.events.get(user.id))) == 1
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(PendingRecord)) == 0
    account = services.events.repository.get(user.id)
    assert isinstance(account, Account)
    assert (account.version, account.name) == (1, "Lee Late")
    with services.sessions() as session:
        assert session.get(User, user.id).version == 1


def publish(services) -> int:
    with services.sessions() as session:
        return publish_pending(session, services.events)


def test_a_change_to_an_account_without_its_record_is_refused(
    world: World, app: Flask
) -> None:
    with app.extensions["wolfpack"].sessions() as session:
        user = session.get(User, UUID(world.rep.id))
        user.name = "Quietly renamed"
        with pytest.raises(RuntimeError, match="without record_change"):
            session.commit()


def test_records_waiting_for_an_earlier_version_hold_up_no_one_else(
    world: World, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = app.extensions["wolfpack"]
    monkeypatch.setattr("server.admin_records.PUBLISH_BATCH", 2)
    with services.sessions() as session:
        for n in (5, 6):  # versions of an account whose earlier ones never came
            note(
                session,
                "Account",
                UUID(world.outsider.id),
                n,
                "Deactivated",
                at=utc_now(),
                actor_id=SYSTEM_ACTOR,
            )
        session.commit()

    renamed = world.admin.patch(f"/users/{world.rep.id}", json={"name": "Ravi R"})

    assert renamed.status_code == 200
    assert services.events.repository.get(UUID(world.rep.id)).name == "Ravi R"


def test_names_are_kept_trimmed(world: World) -> None:
    renamed = world.admin.patch(f"/users/{world.rep.id}", json={"name": "  Ravi R\n"})
    assert renamed.json["name"] == "Ravi R"


def test_an_invited_admin_is_no_admin_to_keep_the_workspace(world: World) -> None:
    invited = world.admin.post(
        "/invitations", json={"email": "boss@example.com", "name": "Boss"}
    ).json
    world.admin.patch(f"/users/{invited['user_id']}", json={"is_admin": True})

    alone = world.admin.patch(f"/users/{world.admin.id}", json={"is_admin": False})

    assert (alone.status_code, error_of(alone)["code"]) == (409, "last_admin")


def test_a_deactivated_person_leaves_live_boards_and_stays_on_past_ones(
    world: World,
) -> None:
    from tests.integration.test_leaderboards_api import board, keep_one

    keep_one(world)
    keep_one(world, world.teammate)
    keep_one(world)
    before = world.later(0)
    board_url = f"/teams/{world.team_id}/leaderboard"

    world.admin.patch(f"/users/{world.rep.id}", json={"active": False})

    live = [(r["name"], r["rank"]) for r in board(world)["rows"]]
    assert live == [("Tia Teammate", 1), ("Lena Leader", 2)]
    past = world.leader.get(board_url, query_string={"period": "all", "as_of": before})
    assert [(r["name"], r["rank"]) for r in past.json["rows"]] == [
        ("Ravi Rep", 1),
        ("Tia Teammate", 2),
        ("Lena Leader", 3),
    ]
    history = world.leader.get(f"/teams/{world.team_id}/feed").json
    assert any("Ravi Rep" in item["text"] for item in history)


def test_a_deactivated_person_leaves_the_at_risk_list_and_cannot_be_endorsed(
    world: World,
) -> None:
    world.make_commitment(due_at=world.later(1))
    world.travel(timedelta(days=2))
    at_risk = f"/teams/{world.team_id}/at-risk"
    assert world.rep.id in {i["user_id"] for i in world.leader.get(at_risk).json}

    world.admin.patch(f"/users/{world.rep.id}", json={"active": False})

    assert world.rep.id not in {i["user_id"] for i in world.leader.get(at_risk).json}
    endorsed = world.teammate.post(
        "/endorsements",
        json={"team_id": world.team_id, "to_user_id": world.rep.id, "skill": "Demo"},
    )
    assert (endorsed.status_code, error_of(endorsed)["code"]) == (
        409,
        "account_deactivated",
    )
    joined = world.admin.post(
        f"/teams/{world.other_team_id}/members",
        json={"user_id": world.rep.id, "role": "rep"},
    )
    assert (joined.status_code, error_of(joined)["code"]) == (
        409,
        "account_deactivated",
    )
