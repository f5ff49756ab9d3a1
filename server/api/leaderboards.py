"""Leaderboards, nearby ranks and score receipts; any of them as of a past moment."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from events.periods import parse_period
from projections import achievements, points, targets, teams
from projections.leaderboards import BOARDS, METRICS, leaderboard, nearby
from projections.preferences import ANONYMOUS, hidden_on_team_screen
from projections.scoring import ALL_TIME, period_names
from server.accounts import names_of
from server.api.fields import Moment, period_field, query_flag
from server.api.time_travel import PastView, read_models_as_of
from server.api.visibility import person_scope
from server.auth import current_actor, current_user
from server.db import db
from server.deactivated import without_deactivated
from server.services import services

PREFIX = ""
blp = Blueprint("leaderboards", __name__, description="Leaderboards and points")

# What a past board is replayed through, and the tables a board reads.
BOARD = PastView(
    read_models=(teams, targets, achievements, points),
    tables=(
        teams.members,
        points.totals,
        points.rules,
        targets.targets,
        achievements.achievements,
    ),
)
PERIOD_HELP = (
    "2026-W48, 2026-11, 2026-Q4, 2026 or all; default: this month. "
    "A week 53 in a year without one is 404."
)
PERIOD_KINDS = ("week", "month", "quarter", "year")


class BoardQuerySchema(Schema):
    period = period_field(
        PERIOD_KINDS, all_time=True, metadata={"description": PERIOD_HELP}
    )
    board = fields.String(
        load_default="points",
        validate=validate.OneOf(BOARDS),
        metadata={"description": "most_improved needs a calendar period (else 409)."},
    )
    metric = fields.String(load_default="points", validate=validate.OneOf(METRICS))
    as_of = Moment(
        metadata={"description": "Replay up to this moment (one after now is 409)."}
    )
    view = fields.String(
        load_default="team",
        validate=validate.OneOf(("team", "screen")),
        metadata={"description": "screen: members who asked are shown anonymously."},
    )


class PointsQuerySchema(Schema):
    period = period_field(
        PERIOD_KINDS,
        all_time=True,
        load_default=ALL_TIME,
        metadata={"description": PERIOD_HELP.replace("this month", "all")},
    )
    team_id = fields.UUID()
    explain = query_flag(load_default=False)


class StandingSchema(Schema):
    rank = fields.Integer(allow_none=True)
    user_id = fields.UUID(allow_none=True)
    name = fields.String()
    points = fields.Integer()
    previous_points = fields.Integer()
    improvement = fields.Integer()
    metric = fields.String()
    actual = fields.String()
    target = fields.String(allow_none=True)
    percent = fields.Float(allow_none=True)


class BoardSchema(Schema):
    team_id = fields.UUID()
    period = fields.String()
    board = fields.String()
    metric = fields.String()
    as_of = fields.AwareDateTime(allow_none=True)
    position = fields.Integer(metadata={"description": "Event-store position shown."})
    rules_version = fields.Integer()
    rows = fields.List(fields.Nested(StandingSchema))


class ReceiptSchema(Schema):
    event_type = fields.String()
    at = fields.AwareDateTime()
    points = fields.Integer()
    rule_key = fields.String()
    rule_version = fields.Integer()
    source_id = fields.UUID()
    team_id = fields.UUID()


class PointsSchema(Schema):
    user_id = fields.UUID()
    period = fields.String()
    total = fields.Integer()
    receipts = fields.List(fields.Nested(ReceiptSchema))


def board_body(team_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """Return the board the query asks for, with names, as the API shows it."""
    team = services().events.get_team(current_actor(), team_id)
    return ranked_board(team.id, team.timezone, query)


def ranked_board(team_id: UUID, timezone: str, query: dict[str, Any]) -> dict[str, Any]:
    """Return a team's board for the query, to a caller already allowed to see it."""
    period = query.get("period") or period_names(services().events.clock(), timezone)[1]
    if period != ALL_TIME:
        period = parse_period(period).name
    as_of = query.get("as_of")
    with read_models_as_of(as_of, BOARD, [team_id]) as (conn, position):
        rows = leaderboard(conn, team_id, period, query["board"], query["metric"])
        version = points.rules_version(conn, team_id)
    if as_of is None and _is_live(period, timezone):
        rows = without_deactivated(db(), rows)
    names = names_of(db(), [row["user_id"] for row in rows])
    for row in rows:
        row["name"] = names.get(row["user_id"], "")
    # Equal scores share a rank; within it, people are listed by name.
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["name"]))
    if query.get("view") == "screen":
        hidden = hidden_on_team_screen(db().connection(), names)
        for row in rows:
            if row["user_id"] in hidden:
                row.update(user_id=None, name=ANONYMOUS)
    return {
        "team_id": team_id,
        "period": period,
        "board": query["board"],
        "metric": query["metric"],
        "as_of": as_of,
        "position": position,
        "rules_version": version,
        "rows": rows,
    }


def _is_live(period: str, timezone: str) -> bool:
    """Tell whether the period is still running (all time always is)."""
    if period == ALL_TIME:
        return True
    return services().events.clock() < parse_period(period).window(timezone)[1]


@blp.get("/teams/<uuid:team_id>/leaderboard")
@blp.arguments(BoardQuerySchema, location="query")
@blp.response(200, BoardSchema)
def team_leaderboard(query: dict[str, Any], team_id: UUID) -> dict[str, Any]:
    """Rank the team's members on a board for a period; ties share a rank."""
    return board_body(team_id, query)


@blp.get("/teams/<uuid:team_id>/leaderboard/nearby")
@blp.arguments(BoardQuerySchema, location="query")
@blp.response(200, BoardSchema)
def nearby_ranks(query: dict[str, Any], team_id: UUID) -> dict[str, Any]:
    """Show the caller's rank with the two people above and the two below."""
    body = board_body(team_id, query)
    body["rows"] = nearby(body["rows"], current_user().id)
    return body


@blp.get("/users/<uuid:user_id>/points")
@blp.arguments(PointsQuerySchema, location="query")
@blp.response(200, PointsSchema)
def user_points(query: dict[str, Any], user_id: UUID) -> dict[str, Any]:
    """Total a person's points for a period; with explain, every receipt behind it."""
    team_ids = person_scope(user_id, query.get("team_id"))
    period = query["period"]
    if period != ALL_TIME:
        period = parse_period(period).name
    rows = points.receipts(db().connection(), user_id, team_ids, period)
    body: dict[str, Any] = {
        "user_id": user_id,
        "period": period,
        "total": sum(int(row["points"]) for row in rows),
    }
    if query["explain"]:
        body["receipts"] = rows
    return body
