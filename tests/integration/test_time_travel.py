"""Time travel replays one team's own history, and it equals replaying everything."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from flask import Flask
from sqlalchemy import Connection, select

from events.base import Actor
from projections import badges, points
from projections.leaderboards import BOARDS, METRICS, leaderboard
from projections.replay import Scope, replay_until, team_scope
from projections.team_of import owners
from projections.teams import members, teams
from server.accounts import find_user_by_email
from server.api.badges import BADGE
from server.api.leaderboards import BOARD
from server.demo import seed_demo
from server.services import Services

# A board and a badge list at once: what either view replays, and reads.
MODELS = (*BOARD.read_models, *BADGE.read_models)
TABLES = (*BOARD.tables, *BADGE.tables)


def everything_about(conn: Connection, team_id: UUID) -> dict[str, Any]:
    """Return every board, rules version and member's badges a past view can show."""
    periods = conn.scalars(
        select(points.totals.c.period)
        .where(points.totals.c.team_id == team_id)
        .distinct()
    ).all()
    shown = [(board, "points") for board in BOARDS]
    shown += [("percent_to_target", metric) for metric in METRICS[1:]]
    boards = {
        (period, board, metric): leaderboard(conn, team_id, period, board, metric)
        for period in periods
        for board, metric in shown
        # Most improved needs a calendar period; money and deals, no weeks.
        if not (board == "most_improved" and period == "all")
        and not (metric != "points" and "-W" in period)
    }
    people = conn.scalars(select(members.c.user_id).where(members.c.team_id == team_id))
    return {
        "boards": boards,
        "rules": points.rules_version(conn, team_id),
        "badges": {p: badges.awards_of(conn, p, [team_id]) for p in people},
    }


def past(
    services: Services, moment: datetime, scope: Scope | None, team_id: UUID
) -> tuple[dict[str, Any], int]:
    """Replay to the moment (within the scope); return what it shows, its position."""
    events = services.events
    replayed = replay_until(
        events.recorder, events.mapper, MODELS, moment, scope, TABLES
    )
    with replayed.engine.connect() as conn:
        seen = everything_about(conn, team_id)
    replayed.engine.dispose()
    return seen, replayed.position


def join_south(services: Services) -> None:
    """Sam and Priya join the second team too, and each scores in both teams.

    Sam keeps a commitment in each; Priya acknowledges a mentor's check-in, which
    counts in every team she is in at the time.
    """
    events = services.events
    with services.engine.connect() as conn:
        team = {name: i for i, name in conn.execute(select(teams.c.id, teams.c.name))}
        mentorship_id = conn.scalar(
            select(owners.c.aggregate_id).where(owners.c.mentee_id.is_not(None))
        )
    with services.sessions() as session:
        person = {
            who: find_user_by_email(session, f"{who}@wolfpack.test").id
            for who in ("admin", "sam", "priya", "marco")
        }
    admin = Actor(person["admin"], is_admin=True)
    north, south = team["Enterprise North"], team["Mid-Market South"]
    for who in ("sam", "priya"):
        events.add_team_member(admin, south, person[who], "rep")
    sam = Actor(person["sam"])
    for team_id in (north, south):
        due = events.clock() + timedelta(days=1)
        made = events.make_commitment(sam, team_id, "Both teams", None, due, [])
        events.keep_commitment(sam, made.aggregate.id, None)
    both = [north, south]
    change = events.log_check_in(
        Actor(person["marco"]),
        mentorship_id,
        events.clock().date(),
        "Both teams.",
        4,
        [],
        both,
    )
    check_in_id = change.aggregate.check_ins[-1].id
    events.acknowledge_check_in(
        Actor(person["priya"]), mentorship_id, check_in_id, both
    )
    services.projections.catch_up()


def test_a_teams_own_history_shows_the_same_past_as_the_whole_log(app: Flask):
    services = app.extensions["wolfpack"]
    seed_demo(services)
    join_south(services)
    now = services.events.clock()
    with services.engine.connect() as conn:
        team_ids = list(conn.scalars(select(teams.c.id)))
        scopes = {team_id: team_scope(conn, [team_id]) for team_id in team_ids}
    recorder = services.events.recorder
    head = recorder.max_notification_id()
    every_aggregate = {n.originator_id for n in recorder.select_notifications(1, head)}

    for days_ago in (21, 14, 7, 0):
        moment = now - timedelta(days=days_ago)
        for team_id, scope in scopes.items():
            whole, position = past(services, moment, None, team_id)
            own, _ = past(services, moment, scope, team_id)
            assert own == whole, (days_ago, team_id)
            if days_ago == 0:
                # Today's past is the live view (which has every table).
                with services.engine.connect() as conn:
                    assert own == everything_about(conn, team_id)
                # Both teams have boards and badges today: real comparisons.
                assert any(
                    row["points"] for row in whole["boards"]["all", "points", "points"]
                )
                assert any(whole["badges"].values())
                assert position == head
    for scope in scopes.values():
        assert scope.known_to == head
        assert len(scope.aggregate_ids) < len(every_aggregate)  # a part of the log


def test_what_the_read_models_had_not_seen_yet_is_replayed_for_the_team_alone(
    app: Flask,
):
    services = app.extensions["wolfpack"]
    seed_demo(services)
    events = services.events
    with services.engine.connect() as conn:
        team = dict(conn.execute(select(teams.c.name, teams.c.id)).all())
        north, south = team["Enterprise North"], team["Mid-Market South"]
        rep_id, other_id = (
            conn.scalars(
                select(members.c.user_id).where(members.c.team_id == t)
            ).first()
            for t in (north, south)
        )
    rep, other = Actor(rep_id), Actor(other_id)
    due = events.clock() + timedelta(days=1)
    before = events.make_commitment(other, south, "Known", None, due, [])
    services.projections.catch_up()
    with services.engine.connect() as conn:
        scope = team_scope(conn, [north])
    # Past the position the scope was read at: another team's aggregate that the
    # scope does not name (its rows are not in the replay), another team's new
    # one, and one made in the team itself, which the replay must not miss.
    events.keep_commitment(other, before.aggregate.id, None)
    elsewhere = events.make_commitment(other, south, "Elsewhere", None, due, [])
    events.keep_commitment(other, elsewhere.aggregate.id, None)
    made = events.make_commitment(rep, north, "Late news", None, due, [])
    events.keep_commitment(rep, made.aggregate.id, None)
    moment = events.clock() + timedelta(seconds=1)

    own, position = past(services, moment, scope, north)
    whole, _ = past(services, moment, None, north)

    assert made.aggregate.id not in scope.aggregate_ids
    assert position == events.recorder.max_notification_id() > scope.known_to
    assert own == whole
