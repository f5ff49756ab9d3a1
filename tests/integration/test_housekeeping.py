"""Expired sessions, reset links, idempotency claims and dead sockets' rows go."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from werkzeug.test import TestResponse

from server.accounts import SESSION_LIFETIME, LoginSession, utc_now
from server.housekeeping import purge_expired
from server.idempotency import KEEP_FOR, IdempotencyRecord
from server.passwords import RESET_LIFETIME, PasswordReset
from server.realtime import LiveSocket
from tests.integration.conftest import World


def count(world: World, model: type) -> int:
    """Return how many rows a server table holds."""
    with world.app.extensions["wolfpack"].sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def make(world: World, key: str) -> TestResponse:
    """Make a commitment as the rep, with an Idempotency-Key."""
    body = {"team_id": world.team_id, "title": "T", "due_at": "2031-01-01T00:00:00Z"}
    return world.rep.post("/commitments", json=body, headers={"Idempotency-Key": key})


def purge(world: World, now: datetime) -> dict[str, int]:
    """Purge what has expired at ``now``, as this process's housekeeper does."""
    services = world.app.extensions["wolfpack"]
    return purge_expired(services.sessions, now, services.held_sockets)


def socket_row(world: World, sid: str, at: datetime) -> None:
    """Record a live socket's row, as its connecting at ``at`` does."""
    with world.app.extensions["wolfpack"].sessions() as session:
        session.add(LiveSocket(sid=sid, connected_at=at, seen_at=at))
        session.commit()


def issue_reset_link(world: World) -> None:
    """Issue a password reset link for the rep, as an admin."""
    issued = world.admin.post(f"/users/{world.rep.id}/password-reset")
    assert issued.status_code == 201, issued.json


def test_nothing_is_purged_before_it_expires(world: World):
    make(world, "kept")
    issue_reset_link(world)
    sessions = count(world, LoginSession)

    purged = purge(world, utc_now() + timedelta(hours=1))

    assert purged == {
        "login_sessions": 0,
        "password_resets": 0,
        "idempotency_records": 0,
        "live_sockets": 0,
    }
    assert count(world, LoginSession) == sessions
    assert count(world, PasswordReset) == 1
    assert count(world, IdempotencyRecord) == 1
    assert world.rep.get("/me").status_code == 200


def test_expired_sessions_claims_and_socket_rows_are_purged(world: World):
    make(world, "old")
    issue_reset_link(world)
    socket_row(world, "gone", utc_now())
    later = utc_now() + SESSION_LIFETIME + timedelta(minutes=1)

    purged = purge(world, later)

    assert purged == {
        "login_sessions": 5,
        "password_resets": 1,
        "idempotency_records": 1,
        "live_sockets": 1,
    }
    assert count(world, LoginSession) == 0
    assert count(world, PasswordReset) == 0
    assert world.rep.get("/me").status_code == 401


def test_a_reset_link_is_purged_a_day_after_it_was_issued(world: World):
    issue_reset_link(world)

    within = purge(world, utc_now() + RESET_LIFETIME - timedelta(minutes=1))
    after = purge(world, utc_now() + RESET_LIFETIME + timedelta(minutes=1))

    assert (within["password_resets"], after["password_resets"]) == (0, 1)
    assert count(world, PasswordReset) == 0


def test_a_key_reused_after_its_claim_was_purged_is_a_new_request(world: World):
    first = make(world, "weekly-report")
    purge(world, utc_now() + KEEP_FOR + timedelta(minutes=1))
    head = world.head()

    again = make(world, "weekly-report")

    assert again.status_code == 201
    assert again.json["id"] != first.json["id"]
    assert world.head() > head


def test_the_rows_of_sockets_held_here_stay_however_long_they_are_open(world: World):
    now = utc_now()
    for sid in ("screen-on-the-wall", "died-with-its-process"):
        socket_row(world, sid, now)
    world.app.extensions["wolfpack"].held_sockets.add("screen-on-the-wall")

    for hours in range(1, 15 * 24):  # the housekeeper's hourly rounds, 15 days
        purge(world, now + timedelta(hours=hours))

    with world.app.extensions["wolfpack"].sessions() as session:
        rows = list(session.scalars(select(LiveSocket.sid)))
    assert rows == ["screen-on-the-wall"]
