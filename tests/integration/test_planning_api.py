"""Targets and the team charter through the HTTP API."""

from __future__ import annotations

import pytest

from tests.conftest import sqlite_only
from tests.integration.apiclient import error_of
from tests.integration.conftest import World


def propose(world: World, who=None, **fields: object):
    body = {
        "team_id": world.team_id,
        "metric": "revenue",
        "period": "2026-12",
        "value": "50000",
        **fields,
    }
    return (who or world.rep).post("/targets", json=body)


def test_a_rep_proposes_and_the_leader_agrees_a_target(world: World):
    proposed = propose(world)
    tid = proposed.json["id"]
    agreed = world.leader.post(f"/targets/{tid}/agree")

    assert proposed.status_code == 201
    assert proposed.json["status"] == "proposed"
    assert proposed.json["value"] == "50000"
    assert agreed.status_code == 200
    assert agreed.json["status"] == "agreed"
    assert agreed.json["decided_by"] == world.leader.id
    history = world.rep.get(f"/targets/{tid}/history").json
    assert [(h["type"], h["actor_id"]) for h in history] == [
        ("TargetProposed", world.rep.id),
        ("TargetAgreed", world.leader.id),
    ]


def test_a_leader_revises_a_target_with_a_reason_and_every_step_stays(world: World):
    tid = propose(world, value="40000.50").json["id"]
    world.leader.post(f"/targets/{tid}/agree")

    revised = world.leader.post(
        f"/targets/{tid}/revise", json={"value": "55000", "reason": "Territory grew"}
    )

    assert revised.status_code == 200
    assert (revised.json["proposed_value"], revised.json["value"]) == (
        "40000.50",
        "55000",
    )
    assert revised.json["revision_count"] == 1
    history = world.leader.get(f"/targets/{tid}/history").json
    assert [h["type"] for h in history] == [
        "TargetProposed",
        "TargetAgreed",
        "TargetRevised",
    ]
    assert history[2]["data"] == {"value": "55000", "reason": "Territory grew"}


@pytest.mark.parametrize(
    ("fields", "status", "field"),
    [
        ({"metric": "happiness"}, 422, "metric"),
        ({"period": "2026-W48"}, 422, "period"),
        ({"period": "December"}, 422, "period"),
        ({"value": "-5"}, 422, "value"),
        ({"value": "0"}, 422, "value"),
        ({"value": "lots"}, 422, "value"),
    ],
)
@sqlite_only
def test_bad_targets_are_refused_and_record_nothing(
    world: World, fields, status, field
):
    head = world.head()
    response = propose(world, **fields)
    assert response.status_code == status
    assert field in error_of(response)["fields"]
    assert world.head() == head


def test_one_target_per_metric_and_period(world: World):
    propose(world)
    again = propose(world, value="60000")
    other_period = propose(world, period="2026-Q4")
    teammate = propose(world, who=world.teammate)

    assert again.status_code == 409
    assert error_of(again)["code"] == "target_exists"
    assert other_period.status_code == 201
    assert teammate.status_code == 201


def test_only_the_leader_of_someone_else_agrees_or_revises(world: World):
    mine = propose(world).json["id"]
    leaders_own = propose(world, who=world.leader).json["id"]
    head = world.head()

    by_rep = world.rep.post(f"/targets/{mine}/agree")
    by_teammate = world.teammate.post(
        f"/targets/{mine}/revise", json={"value": "1", "reason": "r"}
    )
    by_outsider = world.outsider.post(f"/targets/{mine}/agree")
    own = world.leader.post(f"/targets/{leaders_own}/agree")

    assert [r.status_code for r in (by_rep, by_teammate, by_outsider, own)] == [
        403,
        403,
        404,
        403,
    ]
    assert world.head() == head
    assert world.admin.post(f"/targets/{leaders_own}/agree").status_code == 200


def test_an_agreed_target_is_not_agreed_twice(world: World):
    tid = propose(world).json["id"]
    world.leader.post(f"/targets/{tid}/agree")
    again = world.leader.post(f"/targets/{tid}/agree")
    assert again.status_code == 409


def test_targets_are_listed_by_team_person_and_period(world: World):
    propose(world)
    propose(world, metric="deals_won", value="4")
    propose(world, who=world.teammate, period="2026-Q4")
    propose(world, who=world.outsider, team_id=world.other_team_id)

    everyone = world.leader.get(f"/targets?team_id={world.team_id}").json
    december = world.leader.get("/targets?period=2026-12").json
    mine = world.rep.get(f"/targets?user_id={world.rep.id}").json

    assert len(everyone) == 3
    assert {t["metric"] for t in december} == {"revenue", "deals_won"}
    assert len(mine) == 2
    assert world.outsider.get(f"/targets?team_id={world.team_id}").status_code == 404


def test_the_charter_shows_who_has_acknowledged_the_current_version(world: World):
    first = world.leader.post(
        f"/teams/{world.team_id}/charter", json={"text": "Customer first."}
    )
    world.rep.post(
        f"/teams/{world.team_id}/charter/acknowledgements", json={"version": 1}
    )

    charter = world.teammate.get(f"/teams/{world.team_id}/charter").json

    assert first.status_code == 201
    assert first.json["version"] == 1
    assert [p["name"] for p in charter["acknowledged"]] == ["Ravi Rep"]
    assert [p["name"] for p in charter["pending"]] == ["Lena Leader", "Tia Teammate"]


def test_a_new_charter_version_needs_everyone_to_acknowledge_again(world: World):
    path = f"/teams/{world.team_id}/charter"
    world.leader.post(path, json={"text": "v1"})
    world.rep.post(f"{path}/acknowledgements", json={"version": 1})
    second = world.leader.post(path, json={"text": "v2"}, headers={"If-Match": "1"})

    stale = world.teammate.post(f"{path}/acknowledgements", json={"version": 1})
    charter = world.rep.get(path).json

    assert second.json["version"] == 2
    assert stale.status_code == 409
    assert error_of(stale)["code"] == "stale_charter_version"
    assert charter["acknowledged"] == []
    history = world.rep.get(f"{path}/history").json
    assert [h["type"] for h in history] == [
        "CharterCreated",
        "CharterPublished",
        "CharterAcknowledged",
        "CharterPublished",
    ]


def test_charter_refusals_record_nothing(world: World):
    path = f"/teams/{world.team_id}/charter"
    assert world.rep.get(path).status_code == 404
    head = world.head()
    by_rep = world.rep.post(path, json={"text": "Mine"})
    by_outsider = world.outsider.post(path, json={"text": "Theirs"})
    blank = world.leader.post(path, json={"text": "  "})
    ack_nothing = world.rep.post(f"{path}/acknowledgements", json={"version": 1})
    assert [r.status_code for r in (by_rep, by_outsider, blank, ack_nothing)] == [
        403,
        404,
        422,
        404,
    ]
    assert world.head() == head

    world.leader.post(path, json={"text": "v1"})
    head = world.head()
    stale_if_match = world.leader.post(
        path, json={"text": "v2"}, headers={"If-Match": "0"}
    )
    world.rep.post(f"{path}/acknowledgements", json={"version": 1})
    twice = world.rep.post(f"{path}/acknowledgements", json={"version": 1})
    outsider_ack = world.outsider.post(f"{path}/acknowledgements", json={"version": 1})
    assert [r.status_code for r in (stale_if_match, twice, outsider_ack)] == [
        409,
        409,
        404,
    ]
    assert world.head() == head + 1


def test_scoring_rules_start_as_the_defaults_and_leaders_publish_versions(world: World):
    path = f"/teams/{world.team_id}/scoring-rules"
    defaults = world.rep.get(path).json
    published = world.leader.post(
        path,
        json={"points": {"commitment_kept": 12}, "note": "More for keeping"},
        headers={"If-Match": "0"},
    )
    current = world.rep.get(path).json

    assert defaults["version"] == 0
    assert defaults["points"]["commitment_kept"] == 10
    assert published.status_code == 201
    assert current["version"] == 1
    assert current["points"]["commitment_kept"] == 12
    assert (
        current["points"]["commitment_missed"]
        == defaults["points"]["commitment_missed"]
    )
    history = world.rep.get(f"{path}/history").json
    assert [h["type"] for h in history] == [
        "ScoringRulesCreated",
        "ScoringRulesPublished",
    ]
    assert history[1]["actor_id"] == world.leader.id


def test_bad_or_unauthorised_rule_changes_record_nothing(world: World):
    path = f"/teams/{world.team_id}/scoring-rules"
    head = world.head()
    responses = [
        world.leader.post(path, json={"points": {"vibes": 1}}),
        world.leader.post(path, json={"points": {"commitment_kept": "ten"}}),
        world.leader.post(path, json={"points": {"commitment_kept": 5000}}),
        world.rep.post(path, json={"points": {}}),
        world.outsider.post(path, json={"points": {}}),
        world.leader.post(path, json={"points": {}}, headers={"If-Match": "3"}),
    ]
    assert [r.status_code for r in responses] == [422, 422, 422, 403, 404, 409]
    assert "points" in error_of(responses[0])["fields"]
    assert world.head() == head
