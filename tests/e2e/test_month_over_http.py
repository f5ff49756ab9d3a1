"""A month of a team's life, played by a script that speaks only HTTP to gunicorn."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.browser import Browser
from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e


def soon(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


def test_a_month_of_a_team_s_life_over_plain_http(live_server: LiveServer):
    live_server.create_user("boss@example.com", "Boss", "boss-password-1")
    admin = Browser(live_server.url)
    admin.login("boss@example.com", "boss-password-1")
    ids, browsers = {}, {}
    for key in ("lena", "ravi", "rosa", "marco"):
        body = {
            "name": key.title(),
            "email": f"{key}@example.com",
            "password": f"{key}-password-1",
        }
        ids[key] = admin.expect(201, "POST", "/users", body)["id"]
        browsers[key] = Browser(live_server.url)
        browsers[key].login(f"{key}@example.com", f"{key}-password-1")
    lena, ravi, rosa, marco = (browsers[k] for k in ("lena", "ravi", "rosa", "marco"))
    team = admin.expect(201, "POST", "/teams", {"name": "North"})["id"]
    other = admin.expect(201, "POST", "/teams", {"name": "South"})["id"]
    for key, role in (("lena", "leader"), ("ravi", "rep"), ("rosa", "rep")):
        admin.expect(
            201, "POST", f"/teams/{team}/members", {"user_id": ids[key], "role": role}
        )
    admin.expect(
        201,
        "POST",
        f"/teams/{other}/members",
        {"user_id": ids["marco"], "role": "leader"},
    )

    # Targets, bottom-up: proposed by the rep, agreed by the leader.
    target = ravi.expect(
        201,
        "POST",
        "/targets",
        {
            "team_id": team,
            "metric": "revenue",
            "period": "2030-01",
            "value": "50000",
        },
    )
    ravi.expect(403, "POST", f"/targets/{target['id']}/agree")
    assert (
        lena.expect(200, "POST", f"/targets/{target['id']}/agree")["status"] == "agreed"
    )

    # The charter, published and acknowledged.
    lena.expect(201, "POST", f"/teams/{team}/charter", {"text": "Customer first."})
    ravi.expect(201, "POST", f"/teams/{team}/charter/acknowledgements", {"version": 1})
    charter = rosa.expect(200, "GET", f"/teams/{team}/charter")
    assert [p["user_id"] for p in charter["acknowledged"]] == [ids["ravi"]]

    # Commitments made and kept, or missed once overdue.
    kept = ravi.expect(
        201,
        "POST",
        "/commitments",
        {
            "team_id": team,
            "title": "Send the proposal",
            "due_at": soon(86400),
            "witness_ids": [ids["rosa"]],
        },
    )
    ravi.expect(200, "POST", f"/commitments/{kept['id']}/keep", {"evidence": "Sent"})
    slipping = rosa.expect(
        201,
        "POST",
        "/commitments",
        {
            "team_id": team,
            "title": "Call Globex",
            "due_at": soon(1.5),
        },
    )
    lena.expect(
        409, "POST", f"/commitments/{slipping['id']}/miss", {"reason": "Not yet due"}
    )
    time.sleep(2)  # let the promise fall due: the server's clock is the real one
    lena.expect(
        200, "POST", f"/commitments/{slipping['id']}/call-out", {"note": "Slipped"}
    )
    missed = lena.expect(
        200, "POST", f"/commitments/{slipping['id']}/miss", {"reason": "No call"}
    )
    assert missed["status"] == "missed"

    # Endorsements within, then beyond, the weekly allowance.
    lena.expect(
        200,
        "PUT",
        f"/teams/{team}/endorsement-policy",
        {"weekly_allowance": 2, "per_receiver_skill_weekly": 1},
    )
    endorse = {"team_id": team, "to_user_id": ids["rosa"], "skill": "discovery"}
    ravi.expect(201, "POST", "/endorsements", endorse)
    again = ravi.expect(409, "POST", "/endorsements", endorse)
    assert again["error"]["code"] == "already_endorsed_this_week"
    ravi.expect(201, "POST", "/endorsements", {**endorse, "skill": "negotiation"})
    beyond = ravi.expect(409, "POST", "/endorsements", {**endorse, "skill": "coaching"})
    assert beyond["error"]["code"] == "weekly_allowance_used"
    assert "2" in beyond["error"]["message"]
    allowance = ravi.expect(200, "GET", f"/me/endorsement-allowance?team_id={team}")
    assert allowance[0]["remaining"] == 0

    # A mentor from another team logs a check-in with action items.
    mentorship = lena.expect(
        201,
        "POST",
        "/mentorships",
        {
            "mentor_id": ids["marco"],
            "mentee_id": ids["rosa"],
            "goals": "Confident discovery",
        },
    )
    mid = mentorship["id"]
    check_in = marco.expect(
        201,
        "POST",
        f"/mentorships/{mid}/check-ins",
        {
            "held_on": datetime.now(UTC).date().isoformat(),
            "notes": "Role-played openers",
            "confidence": 3,
            "action_items": ["Write three openers", "Book two calls"],
        },
    )
    rosa.expect(
        403,
        "POST",
        f"/mentorships/{mid}/check-ins",
        {
            "held_on": "2020-01-01",
            "notes": "n",
            "confidence": 3,
            "action_items": [],
        },
    )
    rosa.expect(
        200, "POST", f"/mentorships/{mid}/check-ins/{check_in['id']}/acknowledge"
    )
    item = check_in["action_items"][0]["id"]
    rosa.expect(200, "POST", f"/mentorships/{mid}/action-items/{item}/complete")

    # Achievements recorded and verified.
    deal = ravi.expect(
        201,
        "POST",
        "/achievements",
        {
            "team_id": team,
            "kind": "deal_won",
            "value": "24000.00",
            "currency": "GBP",
            "external_ref": "crm-1",
        },
    )
    assert (
        ravi.expect(
            200,
            "POST",
            "/achievements",
            {
                "team_id": team,
                "kind": "deal_won",
                "value": "24000.00",
                "currency": "GBP",
                "external_ref": "crm-1",
            },
        )["id"]
        == deal["id"]
    )
    ravi.expect(403, "POST", f"/achievements/{deal['id']}/verify")
    assert (
        lena.expect(200, "POST", f"/achievements/{deal['id']}/verify")["status"]
        == "verified"
    )

    # The record tells the story, with the right people in order.
    history = rosa.expect(200, "GET", f"/commitments/{slipping['id']}/history")
    assert [(h["type"], h["actor_id"]) for h in history] == [
        ("CommitmentMade", ids["rosa"]),
        ("CommitmentCalledOut", ids["lena"]),
        ("CommitmentMissed", ids["lena"]),
    ]
