"""The least a command over HTTP can cost here: a Flask view that only saves it.

The real-time benchmark serves ``create_app()`` with the same gunicorn settings and
drives it with the same HTTP clients as the real ``POST /api/v1/commitments``: no
authentication, validation, team load, read models or pushes, just Flask, the JSON
body and one save to the same event store. Its rate, as a ratio to the raw save
rate, is the most any command over Flask can reach on the machine.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from flask import Flask, request

from events.application import Wolfpack
from events.base import Actor
from events.commitment import Commitment
from events.team import Team
from server.config import Settings


def scratch_team(events: Wolfpack) -> tuple[Team, Actor]:
    """Save a team with a leader and a rep; return it and the rep."""
    admin, leader, rep = Actor(uuid4(), is_admin=True), Actor(uuid4()), Actor(uuid4())
    now = datetime.now(UTC)
    team = Team.create(admin, "Raw", "UTC", now)
    team.add_member(admin, leader.user_id, "leader", now)
    team.add_member(leader, rep.user_id, "rep", now)
    events.save(team)
    return team, rep


def new_commitment(team: Team, rep: Actor, title: str) -> Commitment:
    """Return a new, unsaved commitment of the rep's, due in a week."""
    made = datetime.now(UTC)
    return Commitment.make(rep, team, title, None, made + timedelta(days=7), [], made)


def create_app() -> Flask:
    """Return the bare app, on the event store the WOLFPACK_* settings name."""
    events = Wolfpack(env=Settings.from_env().event_store_env())
    team, rep = scratch_team(events)
    app = Flask(__name__)

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        return {"status": "ok"}

    @app.post("/api/v1/commitments")
    def make() -> tuple[dict[str, Any], int]:
        commitment = new_commitment(team, rep, str(request.get_json()["title"]))
        events.save(commitment)
        return {"id": str(commitment.id)}, 201

    return app
