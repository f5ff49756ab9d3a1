"""Reliability and the at-risk list through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.integration.apiclient import ApiUser, error_of
from tests.integration.conftest import World, sign_up

LONDON = ZoneInfo("Europe/London")  # The world's team "North" keeps London time.


def now_of(world: World) -> datetime:
    return world.app.extensions["wolfpack"].events.clock()


def close(world: World, outcome: str, **fields: Any) -> dict:
    """Make one of the rep's commitments and close it (missed ones after their due)."""
    cid = world.make_commitment(**fields)["id"]
    if outcome == "keep":
        answer = world.rep.post(f"/commitments/{cid}/keep", json={})
    elif outcome == "withdraw":
        answer = world.rep.post(f"/commitments/{cid}/withdraw", json={"reason": "r"})
    else:
        world.travel(timedelta(days=3))
        answer = world.leader.post(f"/commitments/{cid}/miss", json={"reason": "r"})
    assert answer.status_code == 200, answer.json
    return answer.json


def test_reliability_counts_outcomes_open_and_overdue_and_streaks(world: World):
    for outcome in ("keep", "keep", "withdraw", "miss", "keep"):
        close(world, outcome)
    world.make_commitment(title="Late soon")
    world.make_commitment(due_at=(now_of(world) + timedelta(days=9)).isoformat())
    world.travel(timedelta(days=3))

    answer = world.leader.get(f"/users/{world.rep.id}/reliability")

    assert answer.status_code == 200
    assert answer.json == {
        "user_id": world.rep.id,
        "team_id": None,
        "kept": 3,
        "missed": 1,
        "withdrawn": 1,
        "open": 2,
        "overdue": 1,
        "say_do_ratio": 0.75,
        "streak": 1,
        "best_streak": 2,
        "as_of": now_of(world).isoformat(),
    }


def test_reliability_can_be_narrowed_to_one_of_the_users_teams(world: World):
    south = world.other_team_id
    world.admin.post(
        f"/teams/{south}/members", json={"user_id": world.rep.id, "role": "rep"}
    )
    close(world, "keep")
    close(world, "keep", team_id=south)

    overall = world.rep.get(f"/users/{world.rep.id}/reliability").json
    north = world.rep.get(
        f"/users/{world.rep.id}/reliability", query_string={"team_id": world.team_id}
    ).json
    elsewhere = world.teammate.get(
        f"/users/{world.teammate.id}/reliability", query_string={"team_id": south}
    )

    assert (overall["kept"], overall["streak"], overall["team_id"]) == (2, 2, None)
    assert (north["kept"], north["streak"], north["team_id"]) == (1, 1, world.team_id)
    assert elsewhere.status_code == 404


def test_the_user_teammates_mentors_and_admins_see_reliability_others_not(
    world: World,
):
    mentor = sign_up(world.app, "mentor@example.com", "Mo Mentor")
    started = world.admin.post(
        "/mentorships", json={"mentor_id": mentor.id, "mentee_id": world.rep.id}
    )
    assert started.status_code == 201, started.json
    path = f"/users/{world.rep.id}/reliability"
    callers = [world.rep, world.teammate, world.leader, world.admin, mentor]

    assert [c.get(path).status_code for c in callers] == [200] * 5
    assert error_of(world.outsider.get(path))["code"] == "not_found"
    assert world.app.test_client().get("/api/v1" + path).status_code == 401
    unknown = "/users/00000000-0000-4000-8000-000000000000/reliability"
    assert world.admin.get(unknown).status_code == 404


def month_after_next(world: World) -> date:
    """Return the first day of the month after next, in London."""
    today = now_of(world).astimezone(LONDON).date()
    year, month = divmod(today.year * 12 + today.month + 1, 12)
    return date(year, month + 1, 1)


def at_risk_team(world: World, mentor: ApiUser) -> dict[str, str]:
    """Arrange one item of each kind, six weeks on: return the ids concerned."""
    first = month_after_next(world)
    period = first.strftime("%Y-%m")
    target = {"team_id": world.team_id, "metric": "revenue", "value": "1000"}
    target_id = world.rep.post("/targets", json={**target, "period": period}).json["id"]
    assert world.leader.post(f"/targets/{target_id}/agree").status_code == 200
    mentorship = world.admin.post(
        "/mentorships", json={"mentor_id": mentor.id, "mentee_id": world.teammate.id}
    ).json
    commitment = world.make_commitment(title="Call Globex")
    world.travel(
        datetime.combine(first.replace(day=15), time(12), LONDON) - now_of(world)
    )
    deal = {"team_id": world.team_id, "kind": "deal_won", "value": "100.00"}
    won = world.rep.post("/achievements", json={**deal, "currency": "EUR"}).json
    assert world.leader.post(f"/achievements/{won['id']}/verify").status_code == 200
    return {
        "period": period,
        "period_start": datetime.combine(first, time.min, LONDON).isoformat(),
        "target": target_id,
        "mentorship": mentorship["id"],
        "commitment": commitment["id"],
        "due_at": commitment["due_at"],
        "mentorship_started": mentorship["created_at"],
    }


def test_the_leader_sees_every_kind_of_risk_most_severe_first(world: World):
    mentor = sign_up(world.app, "mentor@example.com", "Mo Mentor")
    ids = at_risk_team(world, mentor)

    answer = world.leader.get(f"/teams/{world.team_id}/at-risk")

    assert answer.status_code == 200
    items = answer.json
    assert [(i["kind"], i["user_id"], i["subject_id"]) for i in items] == [
        ("overdue_commitment", world.rep.id, ids["commitment"]),
        ("behind_pace", world.rep.id, ids["target"]),
        ("no_recent_check_in", world.teammate.id, ids["mentorship"]),
    ]
    overdue, behind, lapsed = items
    assert (overdue["detail"], overdue["name"]) == ("Call Globex", "Ravi Rep")
    assert overdue["since"] == ids["due_at"]
    assert behind["detail"].startswith("100 of 1,000 revenue with ")
    assert behind["detail"].endswith(f"% of {ids['period']} gone")
    assert behind["since"] == ids["period_start"]
    assert lapsed["since"] == ids["mentorship_started"]
    assert world.admin.get(f"/teams/{world.team_id}/at-risk").json == items


def test_a_mentor_sees_only_their_mentees_and_reps_and_outsiders_nothing(
    world: World,
):
    mentor = sign_up(world.app, "mentor@example.com", "Mo Mentor")
    at_risk_team(world, mentor)
    path = f"/teams/{world.team_id}/at-risk"

    seen = mentor.get(path)

    assert seen.status_code == 200
    assert [(i["kind"], i["user_id"]) for i in seen.json] == [
        ("no_recent_check_in", world.teammate.id)
    ]
    assert error_of(world.rep.get(path))["code"] == "forbidden"
    assert error_of(world.outsider.get(path))["code"] == "not_found"
    elsewhere = mentor.get(f"/teams/{world.other_team_id}/at-risk")
    assert error_of(elsewhere)["code"] == "not_found"


def test_a_rep_who_mentors_a_teammate_sees_that_teammate_only(world: World):
    world.admin.post(
        "/mentorships", json={"mentor_id": world.rep.id, "mentee_id": world.teammate.id}
    )
    world.make_commitment(world.teammate, title="Teammate's call")
    world.make_commitment(title="Rep's own call")
    world.travel(timedelta(days=3))

    seen = world.rep.get(f"/teams/{world.team_id}/at-risk")

    assert [(i["user_id"], i["detail"]) for i in seen.json] == [
        (world.teammate.id, "Teammate's call")
    ]


def test_an_unknown_team_has_no_at_risk_list(world: World):
    unknown = "/teams/00000000-0000-4000-8000-000000000000/at-risk"

    assert world.admin.get(unknown).status_code == 404
