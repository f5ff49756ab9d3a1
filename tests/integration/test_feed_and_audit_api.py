"""The team feed and the team audit log through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import Engine, select

from events.history import history_record
from projections import audit as audit_model
from projections import feed as feed_model
from projections import team_of
from tests.conftest import sqlite_only
from tests.integration.apiclient import ApiUser, error_of
from tests.integration.conftest import World

SECRET = "PRIVATE-WORDS"


def audit(who: ApiUser, team_id: str, **query: Any) -> Any:
    return who.get(f"/teams/{team_id}/audit", query_string=query)


def feed(who: ApiUser, team_id: str, **query: Any) -> Any:
    return who.get(f"/teams/{team_id}/feed", query_string=query)


def busy_week(world: World) -> dict[str, str]:
    """Do one of most things in North (and a little in South); return the ids."""
    team = world.team_id
    commitment = world.make_commitment(title="Call Globex", description=SECRET)["id"]
    world.rep.post(f"/commitments/{commitment}/progress", json={"note": SECRET})
    world.rep.post(f"/commitments/{commitment}/keep", json={"evidence": SECRET})
    target = world.rep.post(
        "/targets",
        json={"team_id": team, "metric": "revenue", "period": "2030-01", "value": "9"},
    ).json["id"]
    world.leader.post(f"/targets/{target}/agree")
    ids = {
        "commitment": commitment,
        "target": target,
        "recognition": world.leader.post(
            "/recognitions",
            json={
                "team_id": team,
                "to_user_id": world.rep.id,
                "title": "Closer",
                "message": SECRET,
            },
        ).json["id"],
        "achievement": world.rep.post(
            "/achievements", json={"team_id": team, "kind": "meeting", "note": SECRET}
        ).json["id"],
        "mentorship": world.admin.post(
            "/mentorships",
            json={"mentor_id": world.outsider.id, "mentee_id": world.rep.id},
        ).json["id"],
    }
    held_on = world.app.extensions["wolfpack"].events.clock().date().isoformat()
    for response in (
        world.teammate.post(
            "/endorsements",
            json={"team_id": team, "to_user_id": world.rep.id, "skill": "demos"},
        ),
        world.leader.post(f"/teams/{team}/charter", json={"text": SECRET}),
        world.outsider.post(
            f"/mentorships/{ids['mentorship']}/check-ins",
            json={"held_on": held_on, "notes": SECRET, "confidence": 4},
        ),
    ):
        assert response.status_code == 201, response.json
    world.make_commitment(world.outsider, team_id=world.other_team_id, title="South")
    return ids


def test_the_audit_log_is_the_union_of_the_team_s_histories_in_log_order(
    world: World,
):
    ids = busy_week(world)
    app = world.app.extensions["wolfpack"].events

    rows = audit(world.leader, world.team_id, limit=500).json

    stored = app.recorder.select_notifications(1, 1000)
    position = {(n.originator_id, n.originator_version): n.id for n in stored}
    mine = {UUID(r["aggregate_id"]) for r in rows}
    expected = [
        {
            "position": position[(e.originator_id, e.originator_version)],
            "aggregate_id": str(e.originator_id),
            **history_record(e),
        }
        for e in map(app.mapper.to_domain_event, stored)
        if e.originator_id in mine
    ]
    assert rows == expected
    assert {UUID(i) for i in ids.values()} | {UUID(world.team_id)} <= mine
    assert UUID(world.other_team_id) not in mine
    # Besides those: the charter and the teammate's endorsement ledger.
    assert len(mine) == len(ids) + 3
    assert "MentorshipCheckInLogged" in [r["type"] for r in rows]


def test_a_rebuild_replays_the_same_feed_and_audit_log(world: World):
    busy_week(world)
    services = world.app.extensions["wolfpack"]
    before = read_model_rows(services.engine)

    services.rebuild_read_models()

    assert read_model_rows(services.engine) == before
    assert all(before.values())


def read_model_rows(engine: Engine) -> dict[str, list[Any]]:
    tables = (
        audit_model.audit_log,
        feed_model.feed_items,
        feed_model.subjects,
        team_of.owners,
    )
    with engine.connect() as conn:
        return {
            t.name: list(conn.execute(select(t).order_by(*t.primary_key)))
            for t in tables
        }


def test_the_audit_log_of_a_commitment_is_its_history(world: World):
    commitment = world.make_commitment()["id"]
    world.rep.post(f"/commitments/{commitment}/progress", json={"note": "Drafted"})
    kept = world.rep.post(f"/commitments/{commitment}/keep", json={"evidence": "Sent"})

    rows = audit(world.admin, world.team_id, after=0).json
    history = world.leader.get(f"/commitments/{commitment}/history").json

    ours = [r for r in rows if r["aggregate_id"] == commitment]
    assert [{k: r[k] for k in history[0]} for r in ours] == history
    assert ours[-1]["position"] == int(kept.headers["X-Event-Position"])


def test_the_audit_log_filters_by_actor_type_and_time(world: World):
    first = world.make_commitment(title="First")["id"]
    world.travel(timedelta(hours=1))
    start = world.app.extensions["wolfpack"].events.clock()
    world.make_commitment(world.teammate, title="Second")
    world.travel(timedelta(hours=1))
    end = world.app.extensions["wolfpack"].events.clock()
    world.rep.post(f"/commitments/{first}/keep", json={})

    by_rep = audit(world.leader, world.team_id, actor_id=world.rep.id).json
    made = audit(world.leader, world.team_id, type="CommitmentMade").json
    window = audit(
        world.leader,
        world.team_id,
        **{"from": start.isoformat(), "to": end.isoformat()},
    ).json

    assert [r["type"] for r in by_rep] == ["CommitmentMade", "CommitmentKept"]
    assert [r["data"]["title"] for r in made] == ["First", "Second"]
    assert [r["data"]["title"] for r in window] == ["Second"]


def test_the_audit_log_pages_after_a_position(world: World):
    for n in range(4):
        world.make_commitment(title=f"Call {n}")

    first = audit(world.leader, world.team_id, type="CommitmentMade", limit=3).json
    rest = audit(
        world.leader, world.team_id, type="CommitmentMade", after=first[-1]["position"]
    ).json

    assert [r["data"]["title"] for r in first + rest] == [f"Call {n}" for n in range(4)]


def test_a_full_audit_page_links_to_the_next_with_the_same_filters(world: World):
    for n in range(5):
        world.make_commitment(title=f"Call {n}")

    # An unknown parameter is ignored, as everywhere, and not carried on.
    pages, query = [], {"type": "CommitmentMade", "limit": 2, "endpoint": "x"}
    response = audit(world.leader, world.team_id, **query)
    pages.append(response.json)
    while link := response.headers.get("Link"):
        url, rel = link.split("; ")
        assert rel == 'rel="next"'
        response = world.leader.client.get(url.strip("<>"))
        pages.append(response.json)

    titles = [[r["data"]["title"] for r in page] for page in pages]
    assert titles == [["Call 0", "Call 1"], ["Call 2", "Call 3"], ["Call 4"]]


@pytest.mark.parametrize(
    ("caller", "status"),
    [("rep", 403), ("teammate", 403), ("outsider", 404)],
)
def test_only_the_leader_or_an_admin_reads_the_audit_log(
    world: World, caller: str, status: int
):
    response = audit(getattr(world, caller), world.team_id)

    assert response.status_code == status
    assert error_of(response)["code"] == {403: "forbidden", 404: "not_found"}[status]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2030-01-01T00:00:00"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"to": "1969-12-31T23:59:59Z"}, "to"),
        ({"actor_id": "nobody"}, "actor_id"),
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"after": -1}, "after"),
    ],
)
@sqlite_only
def test_bad_audit_queries_are_refused_field_by_field(
    world: World, query: dict[str, Any], field: str
):
    response = audit(world.leader, world.team_id, **query)

    assert response.status_code == 422
    assert field in error_of(response)["fields"]


@pytest.mark.parametrize("length", [timedelta(0), timedelta(days=-1)])
def test_a_window_that_ends_where_or_before_it_starts_holds_no_events(
    world: World, length: timedelta
):
    start = world.app.extensions["wolfpack"].events.clock() - timedelta(hours=1)
    busy_week(world)
    window = {"from": start.isoformat(), "to": (start + length).isoformat()}

    response = audit(world.leader, world.team_id, **window)
    wider = audit(world.leader, world.team_id, **{"from": start.isoformat()})

    assert response.status_code == 200, response.json
    assert response.json == []
    assert wider.json != []


def test_the_feed_tells_the_team_what_happened_newest_first_by_name(world: World):
    busy_week(world)

    items = feed(world.teammate, world.team_id, limit=200).json

    assert [i["text"] for i in items[:8]] == [
        "Lena Leader published version 1 of the team charter",
        "Tia Teammate endorsed Ravi Rep for demos",
        "Ravi Rep logged an achievement: meeting",
        'Lena Leader recognised Ravi Rep: "Closer"',
        "Lena Leader agreed Ravi Rep's revenue target for 2030-01",
        'Ravi Rep kept "Call Globex"',
        'Ravi Rep committed to "Call Globex"',
        "Tia Teammate joined the team",
    ]
    assert items[0]["actor_name"] == "Lena Leader"
    assert items[0]["actor_id"] == world.leader.id
    assert items[1]["subject_id"] == world.rep.id
    assert not [i for i in items if SECRET in str(i) or "South" in i["text"]]
    assert [i["position"] for i in items] == sorted(
        (i["position"] for i in items), reverse=True
    )


def test_the_feed_pages_back_before_a_position(world: World):
    for n in range(3):
        world.make_commitment(title=f"Call {n}")

    first = feed(world.rep, world.team_id, limit=2).json
    second = feed(world.rep, world.team_id, limit=2, before=first[-1]["position"]).json

    assert [i["text"] for i in first + second] == [
        'Ravi Rep committed to "Call 2"',
        'Ravi Rep committed to "Call 1"',
        'Ravi Rep committed to "Call 0"',
        "Tia Teammate joined the team",
    ]


@pytest.mark.parametrize(("caller", "status"), [("admin", 200), ("outsider", 404)])
def test_the_feed_is_for_the_team_and_admins(world: World, caller: str, status: int):
    response = feed(getattr(world, caller), world.team_id)

    assert response.status_code == status


@pytest.mark.parametrize(
    ("query", "field"),
    [({"limit": 0}, "limit"), ({"limit": 201}, "limit"), ({"before": "x"}, "before")],
)
@sqlite_only
def test_bad_feed_queries_are_refused(world: World, query: dict[str, Any], field: str):
    response = feed(world.rep, world.team_id, **query)

    assert response.status_code == 422
    assert field in error_of(response)["fields"]
