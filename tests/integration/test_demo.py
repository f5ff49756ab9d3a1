"""The demo month: a team's four weeks, believable and consistent through the API."""

from __future__ import annotations

from collections import Counter

from flask import Flask

from server.demo import DEMO_PASSWORD, seed_demo
from tests.integration.apiclient import ApiUser


def test_the_demo_month_plays_a_team_s_four_weeks(app: Flask):
    assert seed_demo(app.extensions["wolfpack"]) is True
    lena = ApiUser(app, "lena@wolfpack.test", DEMO_PASSWORD)
    team = lena.get("/me").json["teams"][0]
    tid = team["id"]

    commitments = lena.get(f"/commitments?team_id={tid}").json
    targets = lena.get(f"/targets?team_id={tid}").json
    charter = lena.get(f"/teams/{tid}/charter").json
    achievements = lena.get(f"/achievements?team_id={tid}").json
    endorsements = lena.get(f"/endorsements?team_id={tid}").json

    assert team == {"id": tid, "name": "Enterprise North", "role": "leader"}
    assert Counter(c["status"] for c in commitments) == Counter(
        {"kept": 4, "open": 3, "missed": 1, "withdrawn": 1}
    )
    assert Counter(t["status"] for t in targets) == Counter(
        {"agreed": 5, "proposed": 1}
    )
    assert [p["name"] for p in charter["pending"]] == ["Lena Park", "Priya Nair"]
    assert Counter(a["status"] for a in achievements) == Counter(
        {"verified": 6, "recorded": 1, "retracted": 1}
    )
    assert len(endorsements) == 9

    priya = ApiUser(app, "priya@wolfpack.test", DEMO_PASSWORD)
    mentorships = priya.get("/mentorships").json
    mentorship = priya.get(f"/mentorships/{mentorships[0]['id']}").json
    assert len(mentorship["check_ins"]) == 4
    assert [c["confidence"] for c in mentorship["check_ins"]] == [2, 3, 4, 4]

    missed = next(c for c in commitments if c["status"] == "missed")
    history = lena.get(f"/commitments/{missed['id']}/history").json
    assert [h["type"] for h in history] == [
        "CommitmentMade",
        "CommitmentRenegotiated",
        "CommitmentCalledOut",
        "CommitmentMissed",
    ]
    times = [h["at"] for h in history]
    assert times == sorted(times)


def test_the_demo_month_is_recorded_in_the_order_it_happened(app: Flask):
    events = app.extensions["wolfpack"].events
    seed_demo(app.extensions["wolfpack"])

    notifications = events.recorder.select_notifications(start=1, limit=10_000)
    times = [events.mapper.to_domain_event(n).timestamp for n in notifications]

    assert len(times) == events.recorder.max_notification_id()
    assert times == sorted(times)


def test_loading_the_demo_twice_records_nothing_new(app: Flask):
    services = app.extensions["wolfpack"]
    seed_demo(services)
    head = services.events.recorder.max_notification_id()
    assert seed_demo(services) is False
    assert services.events.recorder.max_notification_id() == head


def test_after_the_demo_month_every_figure_is_explained_by_events(app: Flask):
    seed_demo(app.extensions["wolfpack"])
    lena = ApiUser(app, "lena@wolfpack.test", DEMO_PASSWORD)
    tid = lena.get("/me").json["teams"][0]["id"]

    board = lena.get(f"/teams/{tid}/leaderboard?period=all").json
    for row in board["rows"]:
        points = lena.get(f"/users/{row['user_id']}/points?explain=true").json
        assert (
            points["total"]
            == row["points"]
            == sum(r["points"] for r in points["receipts"])
        )
    sam = next(r for r in board["rows"] if r["name"] == "Sam Okafor")
    reliability = lena.get(f"/users/{sam['user_id']}/reliability").json
    audit = lena.get(f"/teams/{tid}/audit?limit=500").json
    feed = lena.get(f"/teams/{tid}/feed").json
    rosa = next(r for r in board["rows"] if r["name"] == "Rosa Diaz")
    badges = lena.get(f"/users/{rosa['user_id']}/badges").json

    assert (reliability["missed"], reliability["say_do_ratio"]) == (1, 0.0)
    assert [a["position"] for a in audit] == sorted(a["position"] for a in audit)
    assert {"CommitmentMissed", "TargetRevised", "CharterPublished"} <= {
        a["type"] for a in audit
    }
    assert feed
    assert all(item["text"] for item in feed)
    assert any(b["badge"] == "first_promise_kept" for b in badges)
