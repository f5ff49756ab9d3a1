"""The demo month: a team's four weeks, believable and consistent through the API.

The demo is built relative to the day it is loaded, so it is loaded here with the
application's clock set to the days a calendar makes awkward, as well as today.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from events.periods import parse_period
from server.demo import DEMO_PASSWORD, TIMEZONE, seed_demo
from tests.integration.apiclient import ApiUser

LONDON = ZoneInfo(TIMEZONE)
# The demo team's local times, each the kind of day that breaks date arithmetic.
AWKWARD = {
    "first-of-month-after-midnight": datetime(2027, 3, 1, 0, 20, tzinfo=LONDON),
    "last-of-month-before-midnight": datetime(2027, 4, 30, 23, 40, tzinfo=LONDON),
    "new-years-eve": datetime(2026, 12, 31, 23, 30, tzinfo=LONDON),
    "new-years-day": datetime(2027, 1, 1, 0, 20, tzinfo=LONDON),
    "leap-day": datetime(2028, 2, 29, 12, 0, tzinfo=LONDON),
    "clocks-go-forward": datetime(2027, 3, 28, 1, 30, tzinfo=UTC),  # 02:30 BST
    "clocks-go-back": datetime(2027, 10, 31, 0, 30, tzinfo=UTC),  # the first 01:30
    "a-month-of-28-days": datetime(2027, 2, 28, 9, 0, tzinfo=LONDON),
}


def stop_clock(app: Flask, moment: datetime) -> None:
    """Set the write side's (and so the API's) clock to ``moment``, stopped."""
    app.extensions["wolfpack"].events.clock = lambda: moment.astimezone(UTC)


def month_of(moment: datetime, months_back: int = 0) -> str:
    """Return the team's month name ``months_back`` months before ``moment``'s."""
    day = moment.astimezone(LONDON).date().replace(day=1)
    for _ in range(months_back):
        day = (day - timedelta(days=1)).replace(day=1)
    return day.strftime("%Y-%m")


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
        {"agreed": 11, "proposed": 1}
    )
    assert [p["name"] for p in charter["pending"]] == ["Lena Park", "Priya Nair"]
    assert Counter(a["status"] for a in achievements) == Counter(
        {"verified": 12, "recorded": 1, "retracted": 1}
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


@pytest.mark.parametrize("now", AWKWARD.values(), ids=AWKWARD.keys())
def test_the_demo_makes_sense_on_any_day(app: Flask, now: datetime):
    stop_clock(app, now)
    assert seed_demo(app.extensions["wolfpack"]) is True
    lena = ApiUser(app, "lena@wolfpack.test", DEMO_PASSWORD)
    tid = lena.get("/me").json["teams"][0]["id"]
    events = app.extensions["wolfpack"].events
    notifications = events.recorder.select_notifications(start=1, limit=10_000)
    times = [events.mapper.to_domain_event(n).timestamp for n in notifications]

    assert times == sorted(times)
    assert times[-1] < now, "nothing happens later than the moment it is loaded"
    targets = lena.get(f"/targets?team_id={tid}").json
    by_month = Counter((t["period"], t["status"]) for t in targets)
    assert by_month == {
        (month_of(now, 1), "agreed"): 6,
        (month_of(now), "agreed"): 5,
        (month_of(now), "proposed"): 1,
    }
    for months_back in (0, 1):
        period = month_of(now, months_back)
        board = lena.get(
            f"/teams/{tid}/leaderboard?period={period}&board=percent_to_target"
            "&metric=revenue"
        ).json
        assert len([row for row in board["rows"] if row["target"]]) == 3
    last = lena.get(
        f"/teams/{tid}/leaderboard?period={month_of(now, 1)}"
        "&board=percent_to_target&metric=revenue"
    ).json
    percent = {row["name"]: row["percent"] for row in last["rows"]}
    assert percent["Ravi Shah"] >= 112  # the review's figure, at least
    (review,) = lena.get(f"/reviews?team_id={tid}").json
    assert (review["period"], review["status"]) == (month_of(now, 1), "shared")
    assert review["acknowledged_at"] is not None
    at_risk = lena.get(f"/teams/{tid}/at-risk").json
    sam = [item for item in at_risk if item["name"] == "Sam Okafor"]
    assert "overdue_commitment" in {item["kind"] for item in sam}
    commitments = lena.get(f"/commitments?team_id={tid}").json
    due = sorted(
        datetime.fromisoformat(c["due_at"]) - now
        for c in commitments
        if c["status"] == "open"
    )
    assert due[0] < timedelta(0) < due[-1] < timedelta(days=7)


@pytest.mark.parametrize(
    "later",
    [timedelta(days=1), timedelta(days=40), timedelta(days=400)],
    ids=["next-day", "next-month", "next-year"],
)
def test_loading_the_demo_again_on_a_later_day_records_nothing_new(
    app: Flask, later: timedelta
):
    services = app.extensions["wolfpack"]
    first = AWKWARD["last-of-month-before-midnight"]
    stop_clock(app, first)
    seed_demo(services)
    head = services.events.recorder.max_notification_id()

    stop_clock(app, first + later)

    assert seed_demo(services) is False
    assert services.events.recorder.max_notification_id() == head


def test_sam_falls_behind_pace_once_a_tenth_of_the_month_is_gone(app: Flask):
    services = app.extensions["wolfpack"]
    start = datetime(2027, 5, 1, 0, 0, tzinfo=LONDON)  # May has 31 days
    stop_clock(app, start + timedelta(days=3))
    seed_demo(services)
    lena = ApiUser(app, "lena@wolfpack.test", DEMO_PASSWORD)
    tid = lena.get("/me").json["teams"][0]["id"]
    month = parse_period("2027-05")

    def sams_risks() -> set[str]:
        at_risk = lena.get(f"/teams/{tid}/at-risk").json
        return {i["kind"] for i in at_risk if i["name"] == "Sam Okafor"}

    assert "behind_pace" not in sams_risks()  # 3 of 31 days: under a tenth
    stop_clock(app, start + timedelta(days=4))
    assert "behind_pace" in sams_risks()  # 0 of 40,000 with 12% gone
    stop_clock(app, datetime.combine(month.last_day, datetime.max.time(), LONDON))
    assert "behind_pace" in sams_risks()
