"""A script that speaks only HTTP plays the foundation's story against gunicorn."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.browser import Browser
from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e


def test_a_team_makes_and_keeps_a_commitment_over_plain_http(live_server: LiveServer):
    live_server.create_user("boss@example.com", "Boss", "boss-password-1")
    admin = Browser(live_server.url)
    admin.login("boss@example.com", "boss-password-1")

    people = {}
    for key in ("lena", "ravi", "rosa"):
        status, user = admin.call(
            "POST",
            "/users",
            {
                "name": key.title(),
                "email": f"{key}@example.com",
                "password": f"{key}-password",
            },
        )
        assert status == 201, user
        people[key] = user["id"]
    status, team = admin.call(
        "POST", "/teams", {"name": "North", "timezone": "America/Chicago"}
    )
    assert status == 201, team
    for key, role in (("lena", "leader"), ("ravi", "rep"), ("rosa", "rep")):
        status, _ = admin.call(
            "POST",
            f"/teams/{team['id']}/members",
            {"user_id": people[key], "role": role},
        )
        assert status == 201

    ravi = Browser(live_server.url)
    ravi.login("ravi@example.com", "ravi-password")
    due = datetime.now(UTC) + timedelta(days=2)
    status, made = ravi.call(
        "POST",
        "/commitments",
        {
            "team_id": team["id"],
            "title": "Send the Acme proposal",
            "due_at": due.isoformat(),
            "witness_ids": [people["rosa"]],
        },
    )
    assert status == 201, made
    cid = made["id"]
    status, _ = ravi.call(
        "POST",
        f"/commitments/{cid}/renegotiate",
        {"due_at": (due + timedelta(days=1)).isoformat(), "reason": "Legal review"},
    )
    assert status == 200
    status, kept = ravi.call("POST", f"/commitments/{cid}/keep", {"evidence": "Sent"})
    assert (status, kept["status"]) == (200, "kept")

    lena = Browser(live_server.url)
    lena.login("lena@example.com", "lena-password")
    status, history = lena.call("GET", f"/commitments/{cid}/history")
    assert status == 200
    assert [(h["type"], h["actor_id"]) for h in history] == [
        ("CommitmentMade", people["ravi"]),
        ("CommitmentRenegotiated", people["ravi"]),
        ("CommitmentKept", people["ravi"]),
    ]
    status, listed = lena.call("GET", f"/commitments?team_id={team['id']}&status=kept")
    assert [c["id"] for c in listed] == [cid]

    status, refused = lena.call("POST", f"/commitments/{cid}/keep", {})
    assert status == 403
    assert refused["error"]["code"] == "forbidden"
