"""Points, receipts, leaderboards and time travel through the HTTP API."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import pytest

from events.periods import week_of
from tests.integration.apiclient import error_of
from tests.integration.conftest import World


def keep_one(world: World, who=None) -> str:
    """Make and keep a commitment on time (1 + 10 + 5 points by default)."""
    cid = world.make_commitment(who)["id"]
    assert (who or world.rep).post(
        f"/commitments/{cid}/keep", json={}
    ).status_code == 200
    return cid


def board(world: World, query: str = "period=all") -> dict:
    response = world.leader.get(f"/teams/{world.team_id}/leaderboard?{query}")
    assert response.status_code == 200, response.json
    return response.json


def test_keeping_commitments_climbs_the_board_and_ties_share_a_rank(world: World):
    keep_one(world)
    keep_one(world, world.teammate)
    keep_one(world)

    rows = board(world)["rows"]

    assert [(r["name"], r["points"], r["rank"]) for r in rows] == [
        ("Ravi Rep", 32, 1),
        ("Tia Teammate", 16, 2),
        ("Lena Leader", 0, 3),
    ]
    world.teammate.post("/commitments", json={})  # refused: changes nothing
    keep_one(world, world.teammate)
    tied = board(world)["rows"]
    assert [(r["points"], r["rank"]) for r in tied] == [(32, 1), (32, 1), (0, 3)]


def test_a_receipt_explains_every_point_with_its_rule_version(world: World):
    cid = keep_one(world)
    world.leader.post(
        f"/teams/{world.team_id}/scoring-rules", json={"points": {"commitment_made": 4}}
    )
    world.make_commitment()

    points = world.leader.get(f"/users/{world.rep.id}/points?explain=true").json

    assert points["total"] == 1 + 10 + 5 + 4
    assert [
        (r["rule_key"], r["points"], r["rule_version"]) for r in points["receipts"]
    ] == [
        ("commitment_made", 1, 0),
        ("commitment_kept", 10, 0),
        ("commitment_kept_on_time", 5, 0),
        ("commitment_made", 4, 1),
    ]
    assert points["receipts"][0]["source_id"] == cid
    assert "receipts" not in world.rep.get(f"/users/{world.rep.id}/points").json
    assert board(world)["rules_version"] == 1


def test_a_missed_commitment_costs_points_and_a_retraction_takes_them_back(
    world: World,
):
    cid = world.make_commitment()["id"]
    world.travel(timedelta(days=3))
    world.leader.post(f"/commitments/{cid}/miss", json={"reason": "No call"})
    deal = world.rep.post(
        "/achievements",
        json={
            "team_id": world.team_id,
            "kind": "deal_won",
            "value": "100",
            "currency": "EUR",
        },
    ).json
    world.leader.post(f"/achievements/{deal['id']}/verify")
    world.rep.post(f"/achievements/{deal['id']}/retract", json={"reason": "Duplicate"})

    receipts = world.rep.get(f"/users/{world.rep.id}/points?explain=true").json[
        "receipts"
    ]

    assert [(r["rule_key"], r["points"]) for r in receipts] == [
        ("commitment_made", 1),
        ("commitment_missed", -5),
        ("achievement_deal_won", 50),
        ("achievement_deal_won", -50),
    ]


def test_most_improved_and_percent_to_target_boards(world: World):
    clock = world.app.extensions["wolfpack"].events.clock()
    month = clock.strftime("%Y-%m")
    tid = world.rep.post(
        "/targets",
        json={
            "team_id": world.team_id,
            "metric": "points",
            "period": month,
            "value": "32",
        },
    ).json["id"]
    world.leader.post(f"/targets/{tid}/agree")
    keep_one(world)

    percent = board(world, f"period={month}&board=percent_to_target&metric=points")
    improved = board(world, f"period={month}&board=most_improved")

    ravi = next(r for r in percent["rows"] if r["name"] == "Ravi Rep")
    assert (ravi["rank"], ravi["percent"], ravi["target"]) == (1, 50.0, "32")
    assert [r["rank"] for r in percent["rows"] if r["name"] != "Ravi Rep"] == [
        None,
        None,
    ]
    assert improved["rows"][0]["improvement"] == 16
    bad = world.leader.get(
        f"/teams/{world.team_id}/leaderboard?period=all&board=most_improved"
    )
    assert bad.status_code == 409
    assert error_of(bad)["fields"] == {
        "period": ["Most improved needs a calendar period."]
    }


def test_percent_to_target_for_a_week_shows_actuals_with_no_targets(world: World):
    keep_one(world)
    clock = world.app.extensions["wolfpack"].events.clock()
    this_week = week_of(clock, "Europe/London")

    weekly = board(world, f"period={this_week}&board=percent_to_target&metric=revenue")

    assert weekly["period"] == this_week
    assert [r["rank"] for r in weekly["rows"]] == [None, None, None]
    assert {r["actual"] for r in weekly["rows"]} == {"0"}


@pytest.mark.parametrize(("period", "status"), [("2026-W53", 200), ("2027-W53", 404)])
def test_week_53_is_a_week_only_in_years_that_have_one(world: World, period, status):
    response = world.leader.get(f"/teams/{world.team_id}/leaderboard?period={period}")
    points = world.rep.get(f"/users/{world.rep.id}/points?period={period}")

    assert (response.status_code, points.status_code) == (status, status)
    if status == 404:
        assert error_of(response)["message"] == "2027 has no week 53."


def test_time_travel_shows_the_board_as_it_was_at_that_moment(world: World):
    keep_one(world)
    then = world.app.extensions["wolfpack"].events.clock() + timedelta(minutes=1)
    live_then = board(world)
    world.travel(timedelta(hours=2))
    keep_one(world, world.teammate)
    keep_one(world, world.teammate)

    past = board(world, f"period=all&as_of={quote(then.isoformat())}")

    assert past["rows"] == live_then["rows"]
    assert past["position"] < board(world)["position"]


def test_nearby_shows_the_caller_with_two_above_and_two_below(world: World):
    keep_one(world)
    rows = world.teammate.get(
        f"/teams/{world.team_id}/leaderboard/nearby?period=all"
    ).json
    assert [r["name"] for r in rows["rows"]] == [
        "Ravi Rep",
        "Lena Leader",
        "Tia Teammate",
    ]


def test_bad_board_queries_are_refused(world: World):
    path = f"/teams/{world.team_id}/leaderboard"
    for query in ("period=November", "board=vibes", "metric=smiles", "as_of=yesterday"):
        response = world.leader.get(f"{path}?{query}")
        assert response.status_code == 422, query
        assert error_of(response)["code"] == "validation_failed"
    # Nothing has happened in the future: a replay would show today, labelled then.
    later = world.app.extensions["wolfpack"].events.clock() + timedelta(minutes=5)
    future = world.leader.get(f"{path}?as_of={quote(later.isoformat())}")
    assert future.status_code == 409
    assert error_of(future)["fields"] == {"as_of": ["Must not be in the future."]}
    assert world.outsider.get(path).status_code == 404
    assert world.outsider.get(f"/users/{world.rep.id}/points").status_code == 404


def test_a_member_who_opted_out_is_anonymous_on_the_team_screen(world: World):
    keep_one(world)
    assert world.rep.get("/me/preferences").json == {"hide_on_team_screen": False}
    changed = world.rep.client.put(
        "/api/v1/me/preferences",
        json={"hide_on_team_screen": True},
        headers={"X-CSRF-Token": world.rep.csrf},
    )

    screen = board(world, "period=all&view=screen")["rows"]
    team_view = board(world, "period=all")["rows"]

    assert changed.status_code == 200
    assert changed.json == {"hide_on_team_screen": True}
    assert (screen[0]["name"], screen[0]["user_id"], screen[0]["points"]) == (
        "A teammate",
        None,
        16,
    )
    assert team_view[0]["name"] == "Ravi Rep"
    unknown_field = world.rep.client.put(
        "/api/v1/me/preferences",
        json={"hide": 1},
        headers={"X-CSRF-Token": world.rep.csrf},
    )
    assert unknown_field.status_code == 422
