"""Importing people from CSV: a dry run tells, the real run does, again nothing."""

from __future__ import annotations

import pytest
from werkzeug.test import TestResponse

from events.errors import TeamArchivedError
from tests.conftest import sqlite_only
from tests.integration.apiclient import API, error_of
from tests.integration.conftest import World

GOOD = (
    "email,name,team,role\n"
    "nia@example.com,Nia Shah,North,rep\n"
    "ned@example.com,Ned Stone,north,leader\n"
    "rep@example.com,Ravi Rao,North,rep\n"
    "outsider@example.com,Otto Outsider,North,\n"
    "zed@example.com,Zed Zero,,\n"
)


def upload(
    world: World,
    body: str | bytes,
    dry_run: bool,
    content_type: str = "text/csv",
) -> TestResponse:
    return world.admin.client.post(
        f"{API}/imports/people?dry_run={'true' if dry_run else 'false'}",
        data=body.encode() if isinstance(body, str) else body,
        headers={"X-CSRF-Token": world.admin.csrf, "Content-Type": content_type},
    )


def statuses(response: TestResponse) -> list[tuple[int, str]]:
    assert response.status_code == 200, response.json
    return [(row["line"], row["status"]) for row in response.json["rows"]]


EXPECTED = [
    (2, "created"),
    (3, "created"),
    (4, "updated"),  # renamed
    (5, "updated"),  # joins North
    (6, "created"),
]


def test_a_dry_run_tells_and_records_nothing(world: World) -> None:
    before = world.head()

    checked = upload(world, GOOD, dry_run=True)

    assert statuses(checked) == EXPECTED
    assert checked.json["dry_run"] is True
    assert checked.json["counts"] == {
        "created": 3,
        "updated": 2,
        "unchanged": 0,
        "error": 0,
    }
    assert checked.json["rows"][3]["changes"] == ["joins North as rep"]
    assert all(row["invitation_url"] is None for row in checked.json["rows"])
    assert world.head() == before
    emails = [u["email"] for u in world.admin.get("/users").json]
    assert "nia@example.com" not in emails


def test_the_real_run_does_what_the_dry_run_said_and_again_nothing(
    world: World,
) -> None:
    done = upload(world, GOOD, dry_run=False)

    assert statuses(done) == EXPECTED
    new = done.json["rows"][1]
    assert "#/welcome?token=" in new["invitation_url"]
    team = world.admin.get(f"/teams/{world.team_id}").json
    roles = {m["name"]: m["role"] for m in team["members"]}
    assert roles["Ned Stone"] == "leader"
    assert roles["Nia Shah"] == "rep"
    assert roles["Otto Outsider"] == "rep"
    assert world.admin.get(f"/users/{world.rep.id}").json["name"] == "Ravi Rao"
    outsider_teams = world.outsider.get("/me").json["teams"]
    assert len(outsider_teams) == 2  # joined, not moved

    head = world.head()
    again = upload(world, GOOD, dry_run=False)

    assert [status for _, status in statuses(again)] == ["unchanged"] * 5
    assert world.head() == head


def test_a_bad_row_is_refused_whole_and_the_good_ones_go_ahead(world: World) -> None:
    body = (
        "email,name,team,role\n"
        "not-an-email,Nobody,North,rep\n"
        "nia@example.com,,North,rep\n"
        "ned@example.com,Ned,Atlantis,rep\n"
        "ida@example.com,Ida,North,boss\n"
        "joe@example.com,Joe,,leader\n"
        "kim@example.com,Kim,North,rep\n"
        "KIM@example.com,Kim again,North,rep\n"
        "lou@example.com,Lou,North,rep,extra\n"
    )

    done = upload(world, body, dry_run=False)

    rows = done.json["rows"]
    assert [(r["line"], r["status"]) for r in rows] == [
        (2, "error"),
        (3, "error"),
        (4, "error"),
        (5, "error"),
        (6, "error"),
        (7, "created"),
        (8, "error"),
        (9, "error"),
    ]
    assert rows[0]["errors"] == ["email: not a valid email address."]
    assert rows[1]["errors"] == ["name: missing."]
    assert rows[2]["errors"] == ["team: no team is called 'Atlantis'."]
    assert rows[3]["errors"] == ["role: must be rep or leader."]
    assert rows[4]["errors"] == ["role: only with a team."]
    assert rows[6]["errors"] == ["email: already on line 7."]
    assert rows[7]["errors"] == ["Has more than the 4 columns."]
    emails = {u["email"] for u in world.admin.get("/users").json}
    assert "kim@example.com" in emails
    assert not {"nia@example.com", "ned@example.com", "ida@example.com"} & emails


def test_a_deactivated_person_is_an_error(world: World) -> None:
    world.admin.patch(f"/users/{world.rep.id}", json={"active": False})

    done = upload(
        world, "email,name,team,role\nrep@example.com,Ravi,North,rep\n", False
    )

    assert statuses(done) == [(2, "error")]
    assert "deactivated" in done.json["rows"][0]["errors"][0]


def test_a_bom_and_columns_in_any_order_are_fine(world: World) -> None:
    body = "\ufeffRole,Team,Name,Email\r\nrep,North,Nia Shah,nia@example.com\r\n"

    assert statuses(upload(world, body, dry_run=True)) == [(2, "created")]


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        (b"", 422, "empty"),
        (b"email,name\nnia@example.com,Nia\n", 422, "first line"),
        (
            "email,name,team,role\nnia@example.com,Né,North,rep\n".encode("latin-1"),
            422,
            "UTF-8",
        ),
        (b"email,name,team,role\n", 422, "nobody"),
        (b"email,name,team,role\nnia@example.com,N\x00,North,rep\n", 422, "control"),
        (
            ("email,name,team,role\n" + "a@example.com,A,,\n" * 10_000).encode(),
            413,
            "split",
        ),
    ],
)
@sqlite_only
def test_a_file_that_is_no_people_csv_is_refused_whole(
    world: World, body: bytes, status: int, says: str
) -> None:
    head = world.head()

    refused = upload(world, body, dry_run=False)

    assert refused.status_code == status
    assert says in error_of(refused)["message"]
    assert world.head() == head


def test_only_csv_is_read(world: World) -> None:
    refused = upload(world, GOOD, dry_run=True, content_type="application/pdf")
    assert refused.status_code == 415


def test_only_an_admin_imports(world: World) -> None:
    refused = world.leader.client.post(
        f"{API}/imports/people",
        data=GOOD,
        headers={"X-CSRF-Token": world.leader.csrf, "Content-Type": "text/csv"},
    )
    assert refused.status_code == 403


def test_a_team_name_several_teams_share_is_an_error(world: World) -> None:
    world.admin.post("/teams", json={"name": "NORTH"})

    checked = upload(world, "email,name,team,role\nnia@example.com,Nia,North,\n", True)

    assert statuses(checked) == [(2, "error")]
    assert "several teams" in checked.json["rows"][0]["errors"][0]


def test_a_name_on_two_lines_is_an_error(world: World) -> None:
    body = 'email,name,team,role\nnia@example.com,"Nia\nShah",North,\n'

    assert statuses(upload(world, body, True)) == [(2, "error")]


def test_a_row_whose_team_refuses_it_changes_nothing_of_it(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def archived_meanwhile(*_args: object, **_kwargs: object) -> None:
        raise TeamArchivedError("That team is archived: restore it first.")

    events = world.app.extensions["wolfpack"].events
    monkeypatch.setattr(events, "add_team_member", archived_meanwhile)
    body = "email,name,team,role\noutsider@example.com,Otto Renamed,North,rep\n"

    done = upload(world, body, dry_run=False)

    assert statuses(done) == [(2, "error")]
    name = world.admin.get(f"/users/{world.outsider.id}").json["name"]
    assert name == "Otto Outsider"


def test_an_imports_answer_is_never_replayed_with_its_links(world: World) -> None:
    headers = {
        "X-CSRF-Token": world.admin.csrf,
        "Content-Type": "text/csv",
        "Idempotency-Key": "import-1",
    }
    url = f"{API}/imports/people?dry_run=false"
    first = world.admin.client.post(url, data=GOOD, headers=headers)
    again = world.admin.client.post(url, data=GOOD, headers=headers)

    assert first.json["rows"][0]["invitation_url"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert [row["invitation_url"] for row in again.json["rows"]] == [None] * 5
