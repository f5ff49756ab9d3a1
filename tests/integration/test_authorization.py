"""For every endpoint and every kind of caller: allowed, or its refusal status.

Each row names an endpoint and what each caller gets. ``{placeholders}`` in the
path are filled per caller with fresh targets, so one caller's change never
decides another's answer. Grow this table with every new endpoint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import count
from pathlib import Path
from typing import Any

import pytest

from server.config import Settings
from tests.integration.apiclient import API
from tests.integration.conftest import World

CALLERS = ("admin", "leader", "rep", "outsider", "anonymous")
_serial = count()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Authorization does not depend on the database: SQLite alone keeps this fast."""
    return Settings(env="test", data_dir=tmp_path, projections="inline")


def fresh_user(world: World) -> str:
    n = next(_serial)
    body = {
        "name": f"New {n}",
        "email": f"new{n}@example.com",
        "password": "long enough",
    }
    return world.admin.post("/users", json=body).json["id"]


def fresh_teammate(world: World) -> str:
    user_id = fresh_user(world)
    path = f"/teams/{world.team_id}/members"
    world.admin.post(path, json={"user_id": user_id, "role": "rep"})
    return user_id


def fresh_token(world: World) -> str:
    return world.admin.post("/tokens", json={"name": "t"}).json["id"]


def overdue_commitment(world: World) -> str:
    cid = world.make_commitment()["id"]
    world.travel(timedelta(days=3))
    return cid


TARGETS: dict[str, Callable[[World], str]] = {
    "team": lambda w: w.team_id,
    "rep": lambda w: w.rep.id,
    "teammate": fresh_teammate,
    "commitment": lambda w: w.make_commitment()["id"],
    "overdue": overdue_commitment,
    "user": fresh_user,
    "token": fresh_token,
}


@dataclass(frozen=True)
class Rule:
    method: str
    path: str
    allowed: dict[str, int]
    body: dict[str, Any] = field(default_factory=dict)
    body_ids: dict[str, str] = field(default_factory=dict)

    def expected(self, caller: str) -> int:
        if caller == "anonymous":
            return 401
        return self.allowed.get(caller, 403)


EVERYONE_200 = dict.fromkeys(("admin", "leader", "rep", "outsider"), 200)
TEAM_ONLY_200 = {"admin": 200, "leader": 200, "rep": 200, "outsider": 404}
OWNER_ONLY = {"rep": 200, "outsider": 404}
LEADER_ONLY = {"admin": 200, "leader": 200, "outsider": 404}
DUE = "2099-01-01T00:00:00+00:00"

RULES = [
    Rule("GET", "/me", EVERYONE_200),
    Rule(
        "POST",
        "/auth/logout",
        dict.fromkeys(("admin", "leader", "rep", "outsider"), 204),
    ),
    Rule(
        "POST",
        "/users",
        {"admin": 201},
        {"name": "N", "password": "long enough"},
        body_ids={"email": "email"},
    ),
    Rule("GET", "/users", EVERYONE_200),
    Rule("GET", "/users/{rep}", TEAM_ONLY_200),
    Rule("POST", "/tokens", {"admin": 201}, {"name": "script"}),
    Rule("GET", "/tokens", {"admin": 200}),
    Rule("DELETE", "/tokens/{token}", {"admin": 204}),
    Rule("POST", "/teams", {"admin": 201}, {"name": "East"}),
    Rule("GET", "/teams", EVERYONE_200),
    Rule("GET", "/teams/{team}", TEAM_ONLY_200),
    Rule("GET", "/teams/{team}/history", TEAM_ONLY_200),
    Rule(
        "POST",
        "/teams/{team}/members",
        {"admin": 201, "leader": 201, "outsider": 404},
        {"role": "rep"},
        body_ids={"user_id": "user"},
    ),
    Rule(
        "PATCH",
        "/teams/{team}/members/{teammate}",
        {"admin": 200, "outsider": 404},
        {"role": "leader"},
    ),
    Rule(
        "DELETE",
        "/teams/{team}/members/{teammate}",
        {"admin": 200, "leader": 200, "outsider": 404},
    ),
    Rule(
        "POST",
        "/commitments",
        {"leader": 201, "rep": 201, "outsider": 404},
        {"title": "T", "due_at": DUE},
        body_ids={"team_id": "team"},
    ),
    Rule("GET", "/commitments", EVERYONE_200),
    Rule("GET", "/commitments/{commitment}", TEAM_ONLY_200),
    Rule("GET", "/commitments/{commitment}/history", TEAM_ONLY_200),
    Rule("POST", "/commitments/{commitment}/progress", OWNER_ONLY, {"note": "n"}),
    Rule(
        "POST",
        "/commitments/{commitment}/renegotiate",
        OWNER_ONLY,
        {"due_at": DUE, "reason": "r"},
    ),
    Rule("POST", "/commitments/{commitment}/keep", OWNER_ONLY),
    Rule("POST", "/commitments/{commitment}/withdraw", OWNER_ONLY, {"reason": "r"}),
    Rule("POST", "/commitments/{overdue}/miss", LEADER_ONLY, {"reason": "r"}),
    Rule("POST", "/commitments/{commitment}/call-out", LEADER_ONLY, {"note": "n"}),
]


def _request(world: World, caller: str, rule: Rule) -> int:
    ids = {
        name: make(world)
        for name, make in TARGETS.items()
        if f"{{{name}}}" in rule.path
    }
    path = rule.path.format(**ids)
    body = dict(rule.body)
    for key, target in rule.body_ids.items():
        body[key] = (
            f"x{next(_serial)}@example.com"
            if target == "email"
            else TARGETS[target](world)
        )
    if caller == "anonymous":
        client = world.app.test_client()
        return client.open(API + path, method=rule.method, json=body).status_code
    user = getattr(world, caller)
    headers = {"X-CSRF-Token": user.csrf}
    return user.client.open(
        API + path, method=rule.method, json=body, headers=headers
    ).status_code


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.method} {r.path}")
def test_every_caller_gets_the_answer_the_table_gives(world: World, rule: Rule):
    answers = {caller: _request(world, caller, rule) for caller in CALLERS}
    assert answers == {caller: rule.expected(caller) for caller in CALLERS}


def test_the_table_covers_every_api_endpoint(app):
    """A new endpoint fails here until its row is added to RULES."""
    routes = {
        (method, rule.rule.removeprefix(API))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(API + "/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    placeholders = {(r.method, _as_route(r.path)) for r in RULES}
    assert routes - {("POST", "/auth/login")} == placeholders


def _as_route(path: str) -> str:
    names = {
        "team": "team_id",
        "rep": "user_id",
        "teammate": "user_id",
        "user": "user_id",
        "commitment": "commitment_id",
        "overdue": "commitment_id",
        "token": "token_id",
    }
    for placeholder, arg in names.items():
        path = path.replace(f"{{{placeholder}}}", f"<uuid:{arg}>")
    return path
