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
from uuid import UUID

import pytest

from events.base import Actor
from server.config import Settings
from tests.integration.apiclient import API, ApiUser
from tests.integration.conftest import PASSWORD, World

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
        "password": "long enough now",
    }
    return world.admin.post("/users", json=body).json["id"]


def fresh_teammate(world: World) -> str:
    user_id = fresh_user(world)
    path = f"/teams/{world.team_id}/members"
    world.admin.post(path, json={"user_id": user_id, "role": "rep"})
    return user_id


def fresh_reset_token(world: World) -> str:
    """The token of a fresh user's reset link, as its URL carries it."""
    url = world.admin.post(f"/users/{fresh_user(world)}/password-reset").json["url"]
    return url.split("token=", 1)[1]


def archived_team(world: World) -> str:
    """The team, archived anew for each caller (a 409 if it still is: no matter)."""
    world.admin.post(f"/teams/{world.team_id}/archive")
    return world.team_id


def fresh_invitation_token(world: World) -> str:
    """The token of a fresh invitation, as its URL carries it."""
    n = next(_serial)
    body = {"email": f"invited{n}@example.com", "name": f"Invited {n}"}
    # A fresh sign-in: accepting an invitation signs the client in as the invitee.
    admin = ApiUser(world.app, "admin@example.com", PASSWORD)
    return admin.post("/invitations", json=body).json["url"].split("=", 1)[1]


def fresh_token(world: World) -> str:
    return world.admin.post("/tokens", json={"name": "t"}).json["id"]


def fresh_screen_token(world: World) -> str:
    path = f"/teams/{world.team_id}/screen-tokens"
    return world.admin.post(path, json={"name": "TV"}).json["id"]


def overdue_commitment(world: World) -> str:
    cid = world.make_commitment()["id"]
    world.travel(timedelta(days=3))
    return cid


def fresh_period(world: World) -> str:
    n = next(_serial)
    return f"{2031 + n // 12}-{n % 12 + 1:02d}"


def fresh_target(world: World) -> str:
    body = {"team_id": world.team_id, "metric": "revenue", "value": "10"}
    body["period"] = fresh_period(world)
    return world.rep.post("/targets", json=body).json["id"]


def chartered_team(world: World) -> str:
    path = f"/teams/{world.team_id}/charter"
    world.leader.post(path, json={"text": f"Charter {next(_serial)}"})
    return world.team_id


def current_charter_version(world: World) -> int:
    return world.rep.get(f"/teams/{world.team_id}/charter").json["version"]


def rep_achievement(world: World) -> str:
    body = {"team_id": world.team_id, "kind": "deal_won", "value": "100.00"}
    body["currency"] = "EUR"
    return world.rep.post("/achievements", json=body).json["id"]


def fresh_endorsement(world: World) -> str:
    body = {"team_id": world.team_id, "to_user_id": world.rep.id}
    body["skill"] = f"s{next(_serial)}"
    return world.teammate.post("/endorsements", json=body).json["id"]


def fresh_mentorship(world: World) -> str:
    """The rep mentors a fresh teammate."""
    body = {"mentor_id": world.rep.id, "mentee_id": fresh_teammate(world)}
    return world.admin.post("/mentorships", json=body).json["id"]


def _mentored_rep(world: World) -> Any:
    """A fresh outside mentor mentors the rep, with one logged check-in."""
    mentor_id = fresh_user(world)
    body = {"mentor_id": mentor_id, "mentee_id": world.rep.id}
    mentorship_id = world.admin.post("/mentorships", json=body).json["id"]
    events = world.app.extensions["wolfpack"].events
    return events.log_check_in(
        Actor(UUID(mentor_id)),
        UUID(mentorship_id),
        events.clock().date(),
        "Notes",
        3,
        ["Call"],
    ).aggregate


def logged_check_in(world: World) -> str:
    mentorship = _mentored_rep(world)
    return f"{mentorship.id}/check-ins/{mentorship.check_ins[0].id}"


def open_action_item(world: World) -> str:
    mentorship = _mentored_rep(world)
    item = mentorship.check_ins[0].action_items[0]
    return f"{mentorship.id}/action-items/{item.id}"


def draft_review(world: World) -> str:
    body = {"team_id": world.team_id, "user_id": world.rep.id, "summary": "S"}
    body.update(period=str(2000 + next(_serial)), feedback="F")
    return world.leader.post("/reviews", json=body).json["id"]


def shared_review(world: World) -> str:
    review_id = draft_review(world)
    world.leader.post(f"/reviews/{review_id}/share")
    return review_id


def territory_plan(world: World) -> str:
    """A new version of the rep's plan, each call."""
    body = {"team_id": world.team_id, "summary": f"Plan {next(_serial)}"}
    return world.rep.post("/territory-plans", json=body).json["id"]


TARGETS: dict[str, Callable[[World], Any]] = {
    "team": lambda w: w.team_id,
    "rep": lambda w: w.rep.id,
    "teammate": fresh_teammate,
    "archived": archived_team,
    "commitment": lambda w: w.make_commitment()["id"],
    "overdue": overdue_commitment,
    "user": fresh_user,
    "token": fresh_token,
    "reset_token": fresh_reset_token,
    "invitation_token": fresh_invitation_token,
    "screen_token": fresh_screen_token,
    "target": fresh_target,
    "period": fresh_period,
    "chartered": chartered_team,
    "charter_version": current_charter_version,
    "serial": lambda w: f"Text {next(_serial)}",
    "achievement": rep_achievement,
    "mentorship": fresh_mentorship,
    "review": draft_review,
    "shared_review": shared_review,
    "plan": territory_plan,
    "check_in": logged_check_in,
    "item": open_action_item,
    "endorsement": fresh_endorsement,
    "fresh_points": lambda w: {"commitment_kept": next(_serial) % 900 + 1},
    "recognition": lambda w: w.leader.post(
        "/recognitions",
        json={
            "team_id": w.team_id,
            "to_user_id": w.rep.id,
            "title": "T",
            "message": "M",
        },
    ).json["id"],
    "deal_review": lambda w: w.rep.post(
        "/deal-reviews", json={"team_id": w.team_id, "deal": "D", "question": "Q"}
    ).json["id"],
}


@dataclass(frozen=True)
class Rule:
    method: str
    path: str
    allowed: dict[str, int]
    body: dict[str, Any] = field(default_factory=dict)
    body_ids: dict[str, str] = field(default_factory=dict)
    csv: str | None = None  # a CSV body, sent instead of JSON

    def expected(self, caller: str) -> int:
        if caller == "anonymous":
            return self.allowed.get(caller, 401)
        return self.allowed.get(caller, 403)


EVERYONE_200 = dict.fromkeys(("admin", "leader", "rep", "outsider"), 200)
TEAM_ONLY_200 = {"admin": 200, "leader": 200, "rep": 200, "outsider": 404}
OWNER_ONLY = {"rep": 200, "outsider": 404}
LEADER_ONLY = {"admin": 200, "leader": 200, "outsider": 404}
MENTOR_ONLY = {"rep": 201, "outsider": 404}
MENTEE_ONLY = {"rep": 200, "outsider": 404}
DUE = "2031-01-01T00:00:00+00:00"

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
        {"name": "N", "password": "long enough now"},
        body_ids={"email": "email"},
    ),
    Rule("GET", "/users", EVERYONE_200),
    Rule("PATCH", "/users/{user}", {"admin": 200}, {"name": "Renamed"}),
    Rule("GET", "/admin/log", {"admin": 200}),
    # A leader invites reps into their team; an outsider cannot see it.
    Rule(
        "POST",
        "/invitations",
        {"admin": 201, "leader": 201, "outsider": 404},
        {"name": "N"},
        body_ids={"email": "email", "team_id": "team"},
    ),
    # The invitation's link is the credential, like a reset link.
    Rule(
        "POST",
        "/auth/accept-invitation",
        dict.fromkeys(CALLERS, 200),
        {"password": "a brand new passphrase"},
        body_ids={"token": "invitation_token"},
    ),
    Rule("GET", "/auth/setup-state", dict.fromkeys(CALLERS, 200)),
    Rule(
        "POST",
        "/imports/people",
        {"admin": 200},
        csv="email,name,team,role\nimported{n}@example.com,Imported,,\n",
    ),
    # Each caller changes their own password; the session they use stays.
    Rule(
        "POST",
        "/me/password",
        dict.fromkeys(("admin", "leader", "rep", "outsider"), 204),
        {"current_password": PASSWORD, "new_password": "a brand new passphrase"},
    ),
    Rule("POST", "/users/{user}/password-reset", {"admin": 201}),
    # A reset link is the credential: anyone holding one may use it, once.
    Rule(
        "POST",
        "/auth/reset-password",
        dict.fromkeys(CALLERS, 204),
        {"new_password": "a brand new passphrase"},
        body_ids={"token": "reset_token"},
    ),
    Rule("GET", "/users/{rep}", TEAM_ONLY_200),
    Rule("POST", "/tokens", {"admin": 201}, {"name": "script"}),
    Rule("GET", "/tokens", {"admin": 200}),
    Rule("DELETE", "/tokens/{token}", {"admin": 204}),
    Rule("POST", "/teams", {"admin": 201}, {"name": "East"}),
    Rule("GET", "/teams", EVERYONE_200),
    Rule("GET", "/teams/{team}", TEAM_ONLY_200),
    Rule("GET", "/teams/{team}/history", TEAM_ONLY_200),
    Rule("PATCH", "/teams/{team}", {"admin": 200, "outsider": 404}, {"name": "West"}),
    Rule("POST", "/teams/{team}/archive", {"admin": 200, "outsider": 404}),
    Rule("POST", "/teams/{archived}/restore", {"admin": 200, "outsider": 404}),
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
    Rule(
        "POST",
        "/targets",
        {"leader": 201, "rep": 201, "outsider": 404},
        {"metric": "revenue", "value": "10"},
        body_ids={"team_id": "team", "period": "period"},
    ),
    Rule("GET", "/targets", EVERYONE_200),
    Rule("GET", "/targets/{target}", TEAM_ONLY_200),
    Rule("GET", "/targets/{target}/history", TEAM_ONLY_200),
    Rule("POST", "/targets/{target}/agree", LEADER_ONLY),
    Rule(
        "POST", "/targets/{target}/revise", LEADER_ONLY, {"value": "99", "reason": "r"}
    ),
    Rule(
        "POST",
        "/teams/{team}/charter",
        {"admin": 201, "leader": 201, "outsider": 404},
        body_ids={"text": "serial"},
    ),
    Rule("GET", "/teams/{team}/scoring-rules", TEAM_ONLY_200),
    Rule("GET", "/teams/{team}/scoring-rules/history", TEAM_ONLY_200),
    Rule(
        "POST",
        "/teams/{team}/scoring-rules",
        {"admin": 201, "leader": 201, "outsider": 404},
        body_ids={"points": "fresh_points"},
    ),
    Rule("GET", "/teams/{chartered}/charter", TEAM_ONLY_200),
    Rule("GET", "/teams/{chartered}/charter/history", TEAM_ONLY_200),
    Rule(
        "POST",
        "/teams/{chartered}/charter/acknowledgements",
        {"leader": 201, "rep": 201, "outsider": 404},
        body_ids={"version": "charter_version"},
    ),
    Rule(
        "POST",
        "/recognitions",
        {"admin": 201, "leader": 201, "outsider": 404},
        {"title": "T", "message": "M"},
        body_ids={"team_id": "team", "to_user_id": "rep"},
    ),
    Rule("GET", "/recognitions", EVERYONE_200),
    Rule("GET", "/recognitions/{recognition}", TEAM_ONLY_200),
    Rule("GET", "/recognitions/{recognition}/history", TEAM_ONLY_200),
    Rule("POST", "/recognitions/{recognition}/withdraw", LEADER_ONLY, {"reason": "r"}),
    Rule(
        "POST",
        "/deal-reviews",
        {"leader": 201, "rep": 201, "outsider": 404},
        {"deal": "D", "question": "Q"},
        body_ids={"team_id": "team"},
    ),
    Rule("GET", "/deal-reviews", EVERYONE_200),
    Rule("GET", "/deal-reviews/{deal_review}", TEAM_ONLY_200),
    Rule("GET", "/deal-reviews/{deal_review}/history", TEAM_ONLY_200),
    Rule(
        "POST",
        "/deal-reviews/{deal_review}/feedback",
        {"leader": 200, "outsider": 404},
        {"note": "n"},
    ),
    Rule("POST", "/deal-reviews/{deal_review}/close", TEAM_ONLY_200),
    Rule(
        "POST",
        "/achievements",
        {"leader": 201, "rep": 201, "outsider": 404},
        {"kind": "meeting"},
        body_ids={"team_id": "team"},
    ),
    Rule("GET", "/achievements", EVERYONE_200),
    Rule("GET", "/achievements/{achievement}", TEAM_ONLY_200),
    Rule("GET", "/achievements/{achievement}/history", TEAM_ONLY_200),
    Rule("POST", "/achievements/{achievement}/verify", LEADER_ONLY),
    Rule("POST", "/achievements/{achievement}/retract", TEAM_ONLY_200, {"reason": "r"}),
    Rule(
        "POST",
        "/endorsements",
        {"leader": 201, "rep": 201, "outsider": 404},
        {"skill": "s"},
        body_ids={"team_id": "team", "to_user_id": "teammate"},
    ),
    Rule("GET", "/endorsements", EVERYONE_200),
    Rule("GET", "/endorsements/{endorsement}", TEAM_ONLY_200),
    Rule("GET", "/me/endorsement-allowance", EVERYONE_200),
    Rule("GET", "/teams/{team}/endorsement-policy", TEAM_ONLY_200),
    Rule(
        "PUT",
        "/teams/{team}/endorsement-policy",
        LEADER_ONLY,
        {"weekly_allowance": 3, "per_receiver_skill_weekly": 2},
    ),
    Rule("GET", "/teams/{team}/endorsement-policy/history", TEAM_ONLY_200),
    Rule(
        "POST",
        "/mentorships",
        {"admin": 201, "leader": 201},
        body_ids={"mentor_id": "user", "mentee_id": "rep"},
    ),
    Rule("GET", "/mentorships", EVERYONE_200),
    Rule("GET", "/mentorships/{mentorship}", TEAM_ONLY_200),
    Rule("GET", "/mentorships/{mentorship}/history", TEAM_ONLY_200),
    Rule("GET", "/mentorships/{mentorship}/check-ins", TEAM_ONLY_200),
    Rule(
        "POST",
        "/mentorships/{mentorship}/check-ins",
        MENTOR_ONLY,
        {"held_on": "2020-01-01", "notes": "n", "confidence": 3},
    ),
    Rule(
        "POST",
        "/mentorships/{mentorship}/end",
        {"admin": 200, "leader": 200, "rep": 200, "outsider": 404},
        {"reason": "r"},
    ),
    Rule("POST", "/mentorships/{check_in}/acknowledge", MENTEE_ONLY),
    Rule("POST", "/mentorships/{item}/complete", MENTEE_ONLY),
    Rule(
        "POST",
        "/reviews",
        {"admin": 201, "leader": 201, "outsider": 404},
        {"period": "2026-Q4", "summary": "S", "feedback": "F"},
        body_ids={"team_id": "team", "user_id": "teammate"},
    ),
    Rule("GET", "/reviews", EVERYONE_200),
    Rule("GET", "/reviews/{shared_review}", TEAM_ONLY_200),
    Rule("GET", "/reviews/{shared_review}/history", TEAM_ONLY_200),
    Rule(
        "POST",
        "/reviews/{review}/revise",
        {"admin": 200, "leader": 200, "rep": 404, "outsider": 404},
        {"summary": "New", "reason": "r"},
    ),
    Rule(
        "POST",
        "/reviews/{review}/share",
        {"admin": 200, "leader": 200, "rep": 404, "outsider": 404},
    ),
    Rule("POST", "/reviews/{shared_review}/acknowledge", {"rep": 200, "outsider": 404}),
    Rule(
        "POST",
        "/territory-plans",
        {"leader": 201, "rep": 201, "outsider": 404},
        {"summary": "S"},
        body_ids={"team_id": "team"},
    ),
    Rule("GET", "/territory-plans", EVERYONE_200),
    Rule("GET", "/territory-plans/{plan}", TEAM_ONLY_200),
    Rule("GET", "/territory-plans/{plan}/history", TEAM_ONLY_200),
    Rule(
        "POST",
        "/territory-plans/{plan}/approve",
        {"admin": 200, "leader": 200, "outsider": 404},
    ),
    Rule("GET", "/teams/{team}/leaderboard", TEAM_ONLY_200),
    Rule("GET", "/teams/{team}/leaderboard/nearby", TEAM_ONLY_200),
    Rule("GET", "/users/{rep}/points", TEAM_ONLY_200),
    Rule("GET", "/me/preferences", EVERYONE_200),
    Rule("PUT", "/me/preferences", EVERYONE_200, {"hide_on_team_screen": True}),
    Rule("GET", "/users/{rep}/reliability", TEAM_ONLY_200),
    Rule("GET", "/teams/{team}/at-risk", LEADER_ONLY),
    Rule("GET", "/badges", EVERYONE_200),
    Rule("GET", "/users/{rep}/badges", TEAM_ONLY_200),
    Rule("GET", "/teams/{team}/feed", TEAM_ONLY_200),
    Rule("GET", "/teams/{team}/audit", LEADER_ONLY),
    Rule(
        "POST",
        "/teams/{team}/screen-tokens",
        {"admin": 201, "leader": 201, "outsider": 404},
        {"name": "TV"},
    ),
    Rule("GET", "/teams/{team}/screen-tokens", LEADER_ONLY),
    # Only a team-screen token opens the screen's view: no user does.
    Rule("GET", "/screen", dict.fromkeys(CALLERS, 401)),
    Rule(
        "DELETE",
        "/teams/{team}/screen-tokens/{screen_token}",
        {"admin": 204, "leader": 204, "outsider": 404},
    ),
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
    sent: dict[str, Any] = {"json": body}
    if rule.csv is not None:
        sent = {"data": rule.csv.format(n=next(_serial)), "content_type": "text/csv"}
    if caller == "anonymous":
        client = world.app.test_client()
        return client.open(API + path, method=rule.method, **sent).status_code
    user = getattr(world, caller)
    headers = {"X-CSRF-Token": user.csrf}
    return user.client.open(
        API + path, method=rule.method, headers=headers, **sent
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
        "archived": "team_id",
        "rep": "user_id",
        "teammate": "user_id",
        "user": "user_id",
        "commitment": "commitment_id",
        "overdue": "commitment_id",
        "token": "token_id",
        "screen_token": "token_id",
        "target": "target_id",
        "chartered": "team_id",
        "recognition": "recognition_id",
        "deal_review": "review_id",
        "achievement": "achievement_id",
        "endorsement": "endorsement_id",
        "mentorship": "mentorship_id",
        "review": "review_id",
        "shared_review": "review_id",
        "plan": "plan_id",
        # Compound placeholders: a check-in or item inside its mentorship.
        "check_in": "mentorship_id>/check-ins/<uuid:check_in_id",
        "item": "mentorship_id>/action-items/<uuid:item_id",
    }
    for placeholder, arg in names.items():
        path = path.replace(f"{{{placeholder}}}", f"<uuid:{arg}>")
    return path
