"""What a team screen (a TV opened with a screen token) reads over HTTP."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from projections.teams import teams
from server.api.feed import feed_body
from server.api.leaderboards import BoardSchema, ranked_board
from server.db import db

PREFIX = ""
blp = Blueprint("team_screen", __name__, description="The team screen's view")

SCREEN_FEED_ITEMS = 12


class ScreenFeedItemSchema(Schema):
    position = fields.Integer()
    type = fields.String()
    text = fields.String()
    at = fields.AwareDateTime()


class ScreenSchema(Schema):
    team_id = fields.UUID()
    team_name = fields.String()
    leaderboard = fields.Nested(BoardSchema)
    feed = fields.List(fields.Nested(ScreenFeedItemSchema))


@blp.get("/screen")
@blp.response(200, ScreenSchema)
@blp.doc(security=[{"bearer": []}])
def screen() -> dict[str, Any]:
    """Return a screen token's team: this month's board and its feed.

    Members who asked are shown anonymously, as on every team screen.

    Send the screen token as ``Authorization: Bearer wps_…`` (``server.auth``
    accepts nothing else here, and a screen token opens nothing else).
    """
    token = g.screen  # server.auth lets only a live screen token in here
    team = (
        db()
        .connection()
        .execute(
            select(teams.c.name, teams.c.timezone).where(teams.c.id == token.team_id)
        )
        .one()
    )
    query = {"board": "points", "metric": "points", "view": "screen"}
    return {
        "team_id": token.team_id,
        "team_name": team.name,
        "leaderboard": ranked_board(token.team_id, team.timezone, query),
        "feed": feed_body(token.team_id, None, SCREEN_FEED_ITEMS, hidden_masked=True),
    }
