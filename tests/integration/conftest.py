"""A small workspace for API tests: an admin, two teams and their people."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import update
from werkzeug.test import TestResponse

from server.accounts import create_user, utc_now
from server.admin_records import publish_pending
from server.idempotency import IN_FLIGHT, IdempotencyRecord
from tests.integration.apiclient import ApiUser

PASSWORD = "correct horse battery"


@dataclass
class World:
    """Signed-in users and the ids of the team they share."""

    app: Flask
    admin: ApiUser
    leader: ApiUser
    rep: ApiUser
    teammate: ApiUser
    outsider: ApiUser
    team_id: str
    other_team_id: str

    def head(self) -> int:
        """Return the event store's last position."""
        return (
            self.app.extensions["wolfpack"].events.recorder.max_notification_id() or 0
        )

    def later(self, days: float) -> str:
        """Return the moment ``days`` after now by the application's clock, as text."""
        now = self.app.extensions["wolfpack"].events.clock()
        return (now + timedelta(days=days)).isoformat()

    def make_commitment(self, who: ApiUser | None = None, **fields: object) -> dict:
        """Make a commitment in the team (by the rep unless told) and return it."""
        body = {
            "team_id": self.team_id,
            "title": "Send the proposal",
            "due_at": self.later(2),
            **fields,
        }
        response = (who or self.rep).post("/commitments", json=body)
        assert response.status_code == 201, response.json
        return response.json

    def crash_after_saving(self, send: Callable[[], TestResponse]) -> None:
        """Send a command that is recorded, then the server dies before answering.

        Its Idempotency-Key's claim is left unanswered and dated back past
        ``IN_FLIGHT``, as a retry after a restart finds it.
        """
        services = self.app.extensions["wolfpack"]

        def die(_position: int) -> bool:
            raise RuntimeError("the server died before answering")

        services.wait_for_read_models = die
        try:
            assert send().status_code == 500
        finally:
            del services.wait_for_read_models
        services.projections.catch_up()  # as the runner would, meanwhile
        records = IdempotencyRecord.__table__
        with services.sessions() as session:
            session.execute(
                update(records)
                .where(records.c.status.is_(None))
                .values(created_at=utc_now() - IN_FLIGHT)
            )
            session.commit()

    def travel(self, delta: timedelta) -> None:
        """Move the write side's clock forward by ``delta``."""
        events = self.app.extensions["wolfpack"].events
        moved = events.clock() + delta
        events.clock = lambda: moved


def sign_up(app: Flask, email: str, name: str, admin: bool = False) -> ApiUser:
    """Create an account directly in the store (on record too) and sign it in."""
    services = app.extensions["wolfpack"]
    with services.sessions() as session:
        create_user(session, email, name, PASSWORD, is_admin=admin)
        publish_pending(session, services.events)
    return ApiUser(app, email, PASSWORD)


@pytest.fixture
def world(app: Flask) -> World:
    """Two teams: leader, rep and teammate in one; the outsider in the other."""
    admin = sign_up(app, "admin@example.com", "Ada Admin", admin=True)
    people = {
        key: sign_up(app, f"{key}@example.com", name)
        for key, name in [
            ("leader", "Lena Leader"),
            ("rep", "Ravi Rep"),
            ("teammate", "Tia Teammate"),
            ("outsider", "Otto Outsider"),
        ]
    }
    team = admin.post("/teams", json={"name": "North", "timezone": "Europe/London"})
    other = admin.post("/teams", json={"name": "South"})
    team_id, other_id = team.json["id"], other.json["id"]
    for key, role in [("leader", "leader"), ("rep", "rep"), ("teammate", "rep")]:
        added = admin.post(
            f"/teams/{team_id}/members", json={"user_id": people[key].id, "role": role}
        )
        assert added.status_code == 201, added.json
    admin.post(
        f"/teams/{other_id}/members",
        json={"user_id": people["outsider"].id, "role": "rep"},
    )
    return World(app, admin, team_id=team_id, other_team_id=other_id, **people)
