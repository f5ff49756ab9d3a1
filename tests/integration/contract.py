"""A workspace with one of everything, whose ids Schemathesis mostly draws from.

Random ids are all unknown (404), and random due dates mostly past (409): with
real ones, commands succeed and the stateful phase has something to follow.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.integration.apiclient import ApiUser
from tests.integration.conftest import World


def made(user: ApiUser, path: str, body: dict[str, Any] | None = None) -> Any:
    """POST as ``user`` and return the body, which must say it was made."""
    response = user.post(path, json=body or {})
    assert response.status_code in (200, 201), (path, response.json)
    return response.json


# Fields that name a person, wherever they are.
PEOPLE = (
    "user_id",
    "owner_id",
    "from_user_id",
    "actor_id",
    "requested_by",
    "reviewer_id",
    "to_user_id",
    "mentor_id",
    "mentee_id",
    "witness_ids[*]",
)


def draws(seeded: dict[str, list[str]]) -> dict[str, str]:
    """Return which seeded values each parameter draws from, by location."""
    where = {f"path.{name}": name for name in seeded if name.endswith("_id")}
    for location in ("query", "body"):
        where[f"{location}.team_id"] = "team_id"
        where.update({f"{location}.{field}": "user_id" for field in PEOPLE})
    where.update({"body.due_at": "due_at", "body.held_on": "held_on"})
    return where


def seed(world: World) -> dict[str, list[str]]:
    """Record one of every kind of thing; return their ids by path parameter."""
    clock = world.app.extensions["wolfpack"].events.clock
    now = clock()
    team, rep, leader = world.team_id, world.rep, world.leader
    commitment = world.make_commitment(witness_ids=[world.teammate.id])
    target = made(
        rep,
        "/targets",
        {"team_id": team, "metric": "revenue", "period": "2030-Q1", "value": "9000"},
    )
    achievement = made(
        rep,
        "/achievements",
        {"team_id": team, "kind": "deal_won", "value": "1200.50", "currency": "EUR"},
    )
    deal_review = made(
        rep, "/deal-reviews", {"team_id": team, "deal": "Acme", "question": "Price?"}
    )
    plan = made(
        rep,
        "/territory-plans",
        {"team_id": team, "summary": "North", "accounts": [{"name": "Acme"}]},
    )
    endorsement = made(
        rep,
        "/endorsements",
        {"team_id": team, "to_user_id": world.teammate.id, "skill": "Demos"},
    )
    made(leader, f"/teams/{team}/charter", {"text": "We keep our word."})
    recognition = made(
        leader,
        "/recognitions",
        {
            "team_id": team,
            "to_user_id": rep.id,
            "title": "Closer",
            "message": "Well done",
        },
    )
    review = made(
        leader,
        "/reviews",
        {
            "team_id": team,
            "user_id": rep.id,
            "period": "2030-01",
            "summary": "Good",
            "feedback": "More",
        },
    )
    mentorship = made(
        leader, "/mentorships", {"mentor_id": leader.id, "mentee_id": rep.id}
    )
    check_in = made(
        leader,
        f"/mentorships/{mentorship['id']}/check-ins",
        {
            "held_on": now.date().isoformat(),
            "notes": "Pipeline",
            "confidence": 4,
            "action_items": ["Call Acme"],
        },
    )
    screen = made(leader, f"/teams/{team}/screen-tokens", {"name": "Floor TV"})
    return {
        "team_id": [team, world.other_team_id],
        "user_id": [
            u.id for u in (world.admin, leader, rep, world.teammate, world.outsider)
        ],
        "commitment_id": [commitment["id"]],
        "target_id": [target["id"]],
        "achievement_id": [achievement["id"]],
        "review_id": [review["id"], deal_review["id"]],
        "plan_id": [plan["id"]],
        "endorsement_id": [endorsement["id"]],
        "recognition_id": [recognition["id"]],
        "mentorship_id": [mentorship["id"]],
        "check_in_id": [check_in["id"]],
        "item_id": [item["id"] for item in check_in["action_items"]],
        "token_id": [screen["id"]],
        "due_at": [(now + timedelta(days=days)).isoformat() for days in (1, 30, 400)],
        "held_on": [(now - timedelta(days=days)).date().isoformat() for days in (0, 6)],
    }
