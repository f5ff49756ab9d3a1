"""Badges through the HTTP API: definitions, awards, who sees them, time travel."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from urllib.parse import quote

from sqlalchemy import select

from projections import badge_sources, badges
from tests.integration.apiclient import ApiUser, error_of
from tests.integration.conftest import World


def now(world: World) -> datetime:
    return world.app.extensions["wolfpack"].events.clock()


def keep_one(world: World, who: ApiUser | None = None) -> str:
    """Make a commitment and keep it at once; return its id."""
    cid = world.make_commitment(who)["id"]
    kept = (who or world.rep).post(f"/commitments/{cid}/keep", json={})
    assert kept.status_code == 200, kept.json
    return cid


def badges_of(world: World, viewer: ApiUser, query: str = "") -> list[dict]:
    response = viewer.get(f"/users/{world.rep.id}/badges?{query}")
    assert response.status_code == 200, response.json
    return response.json


def test_the_definitions_list_every_badge_with_its_tiers_or_threshold(world: World):
    response = world.rep.get("/badges")

    assert response.status_code == 200
    found = {badge["key"]: badge for badge in response.json}
    assert len(found) >= 12
    assert found["promise_keeper"]["tiers"] == {"bronze": 5, "silver": 20, "gold": 50}
    assert found["promise_keeper"]["threshold"] is None
    assert (
        found["charter_signatory"]["kind"],
        found["charter_signatory"]["threshold"],
    ) == (
        "first_time",
        1,
    )
    assert found["consistent_daily"]["counts"].startswith("Working days")
    assert world.app.test_client().get("/api/v1/badges").status_code == 401
    spec = world.rep.client.get("/api/openapi.json").json
    listing = spec["paths"]["/api/v1/users/{user_id}/badges"]["get"]
    assert {"team_id", "as_of"} <= {p["name"] for p in listing["parameters"]}


def test_badges_are_awarded_at_the_event_that_earned_them(world: World):
    world.travel(timedelta(0))
    kept = [keep_one(world)]
    first_kept_at = now(world)
    for _ in range(2):
        world.travel(timedelta(hours=1))
        kept.append(keep_one(world))

    listed = badges_of(world, world.rep)

    assert [(b["badge"], b["tier"]) for b in listed] == [
        ("first_promise_kept", None),
        ("unbroken_word", "bronze"),
    ]
    first, streak = listed
    assert datetime.fromisoformat(first["awarded_at"]) == first_kept_at
    assert (first["source_ids"], first["team_id"]) == (kept[:1], world.team_id)
    assert streak["source_ids"] == kept
    assert streak["name"] == "Unbroken word"


def test_teammates_and_admins_see_a_person_s_badges_and_others_do_not(world: World):
    keep_one(world)
    for viewer in (world.rep, world.teammate, world.leader, world.admin):
        assert len(badges_of(world, viewer)) == 1
    hidden = world.outsider.get(f"/users/{world.rep.id}/badges")
    assert hidden.status_code == 404
    assert error_of(hidden)["code"] == "not_found"
    other_team = world.rep.get(
        f"/users/{world.rep.id}/badges?team_id={world.other_team_id}"
    )
    assert other_team.status_code == 404
    unknown = world.admin.get(f"/users/{world.team_id}/badges")
    assert unknown.status_code == 404


def test_a_badge_earned_in_one_team_is_shown_only_to_that_team(world: World):
    world.admin.post(
        f"/teams/{world.other_team_id}/members",
        json={"user_id": world.rep.id, "role": "rep"},
    )
    keep_one(world)
    south = world.make_commitment(team_id=world.other_team_id)["id"]
    world.rep.post(f"/commitments/{south}/keep", json={})

    mine = badges_of(world, world.rep)
    north_view = badges_of(world, world.teammate)
    south_view = badges_of(world, world.outsider)

    assert sorted(b["team_id"] for b in mine) == sorted(
        [world.team_id, world.other_team_id]
    )
    assert [b["team_id"] for b in north_view] == [world.team_id]
    assert [b["team_id"] for b in south_view] == [world.other_team_id]
    assert badges_of(world, world.rep, f"team_id={world.team_id}") == north_view


def test_as_of_shows_the_list_as_it_was_live_at_that_moment(world: World):
    world.travel(timedelta(0))
    before_anything = now(world)
    moments, live = [], []
    for _ in range(3):
        world.travel(timedelta(hours=5))
        keep_one(world)
        moments.append(now(world))
        live.append(badges_of(world, world.teammate))
    world.travel(timedelta(days=1))
    keep_one(world)
    keep_one(world)  # a fifth: promise keeper

    past = [
        badges_of(world, world.teammate, f"as_of={quote(moment.isoformat())}")
        for moment in moments
    ]

    assert past == live
    assert [len(listed) for listed in live] == [1, 1, 2]
    assert badges_of(world, world.teammate) != live[-1]
    assert (
        badges_of(world, world.teammate, f"as_of={quote(before_anything.isoformat())}")
        == []
    )
    refused = world.teammate.get(f"/users/{world.rep.id}/badges?as_of=yesterday")
    assert refused.status_code == 422
    tomorrow = quote((now(world) + timedelta(days=1)).isoformat())
    future = world.teammate.get(f"/users/{world.rep.id}/badges?as_of={tomorrow}")
    assert future.status_code == 409
    assert error_of(future)["fields"] == {"as_of": ["Must not be in the future."]}


def generate_history(world: World, steps: int, seed: int = 4) -> None:
    """Let the team live through ``steps`` random moves, over weeks of the calendar."""
    chance = random.Random(seed)
    people = [world.rep, world.teammate]
    world.leader.post(f"/teams/{world.team_id}/charter", json={"text": "Our word."})
    for _ in range(steps):
        who = chance.choice(people)
        other = people[1 - people.index(who)]
        move = chance.choice(
            ["keep", "keep", "keep", "miss", "withdraw", "deal", "peer"]
        )
        if move in ("keep", "withdraw", "miss"):
            cid = world.make_commitment(who)["id"]
            if move == "keep":
                who.post(f"/commitments/{cid}/keep", json={})
            elif move == "withdraw":
                who.post(f"/commitments/{cid}/withdraw", json={"reason": "Lost"})
            else:
                world.travel(timedelta(days=3))
                world.leader.post(f"/commitments/{cid}/miss", json={"reason": "Late"})
        elif move == "deal":
            cents = chance.randint(0, 99)
            deal = who.post(
                "/achievements",
                json={
                    "team_id": world.team_id,
                    "kind": "deal_won",
                    "value": f"{chance.randint(100, 900000)}.{cents:02d}",
                    "currency": "EUR",
                },
            ).json
            world.leader.post(f"/achievements/{deal['id']}/verify")
            if chance.random() < 0.2:
                who.post(f"/achievements/{deal['id']}/retract", json={"reason": "Dup"})
        else:
            who.post(
                "/endorsements",
                json={
                    "team_id": world.team_id,
                    "to_user_id": other.id,
                    "skill": chance.choice(["demo", "closing", "discovery"]),
                },
            )
            who.post(
                f"/teams/{world.team_id}/charter/acknowledgements", json={"version": 1}
            )
        world.travel(timedelta(hours=chance.choice([2, 9, 20, 30])))


def badge_tables(world: World) -> dict[str, list[tuple]]:
    tables = (
        badges.awards,
        badges.counters,
        badge_sources.sources,
        badge_sources.zones,
        badge_sources.members,
    )
    engine = world.app.extensions["wolfpack"].engine
    with engine.connect() as conn:
        return {
            table.name: sorted(
                (tuple(row) for row in conn.execute(select(table))), key=repr
            )
            for table in tables
        }


def test_the_live_tables_equal_a_rebuild_after_a_long_generated_history(
    world: World,
):
    world.travel(timedelta(0))
    generate_history(world, steps=120)
    live = badge_tables(world)

    world.app.extensions["wolfpack"].rebuild_read_models()

    assert badge_tables(world) == live
    earned = {(row[3], row[4]) for row in live["badge_award_view"]}
    assert {("promise_keeper", "bronze"), ("rainmaker", "bronze")} <= earned
    assert ("charter_signatory", "") in earned
