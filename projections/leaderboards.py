"""Leaderboards: points, percent to target and most improved, per team and period."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, String, and_, bindparam, func, select, type_coerce

from events.errors import FieldRuleError, InvalidValueError
from events.periods import parse_period, previous_period
from projections.actuals import ACTUALS, metric_actual, verified
from projections.points import team_totals, totals
from projections.scoring import ALL_TIME, competition_ranks
from projections.targets import targets
from projections.teams import members

BOARDS = ("points", "percent_to_target", "most_improved")
METRICS = ("points", "revenue", "deals_won", "meetings")
Row = dict[str, Any]

# The points board is the one screens show all day: ordered by the database in one
# statement, built once (building a statement costs more than running this one).
# User ids are read as they are stored (see ``_user_id``).
_score = func.coalesce(totals.c.points, 0)
_POINTS_BOARD = (
    select(type_coerce(members.c.user_id, String), _score.label("points"))
    .select_from(
        members.outerjoin(
            totals,
            and_(
                totals.c.team_id == members.c.team_id,
                totals.c.user_id == members.c.user_id,
                totals.c.period == bindparam("period"),
            ),
        )
    )
    .where(members.c.team_id == bindparam("team_id"))
    .order_by(_score.desc(), members.c.user_id)
)


def leaderboard(
    conn: Connection, team_id: UUID, period: str, board: str, metric: str = "points"
) -> list[Row]:
    """Return the team's current members ranked on a board; ties share a rank.

    Members with nothing on the board still appear, with 0 (or no target). Rows
    of equal score keep a stable order by user id.
    """
    if board == "points":
        ordered = conn.execute(_POINTS_BOARD, {"team_id": team_id, "period": period})
        board_rows = ordered.all()
        ranks = competition_ranks([points for _, points in board_rows])
        return [
            {"user_id": _user_id(user_id), "points": points, "rank": rank}
            for (user_id, points), rank in zip(board_rows, ranks, strict=True)
        ]
    member_ids = list(
        conn.scalars(select(members.c.user_id).where(members.c.team_id == team_id))
    )
    points = team_totals(conn, team_id, period)
    rows = [{"user_id": m, "points": points.get(m, 0)} for m in member_ids]
    if board == "most_improved":
        if period == ALL_TIME:
            raise FieldRuleError("period", "Most improved needs a calendar period.")
        before = team_totals(conn, team_id, previous_period(parse_period(period)).name)
        for row in rows:
            row["previous_points"] = before.get(row["user_id"], 0)
            row["improvement"] = row["points"] - row["previous_points"]
        return _ranked(rows, "improvement")
    actuals = _actuals(conn, team_id, period, metric, points)
    goals = _targets(conn, team_id, period, metric)
    for row in rows:
        goal = goals.get(row["user_id"])
        actual = actuals.get(row["user_id"], Decimal(0))
        row.update(metric=metric, actual=str(actual), target=goal and str(goal))
        row["percent"] = round(float(actual / goal * 100), 1) if goal else None
    with_goal = [r for r in rows if r["percent"] is not None]
    without = [{**r, "rank": None} for r in rows if r["percent"] is None]
    return _ranked(with_goal, "percent") + sorted(
        without, key=lambda r: str(r["user_id"])
    )


# SQLite stores ids as text, and making a UUID of each of a 1,000-member board's
# ids took as long as the query; the same people come back on every board.
_uuid_of_text = lru_cache(maxsize=100_000)(UUID)


def _user_id(stored: str | UUID) -> UUID:
    """Return the UUID of a user id as the database gave it (text or a UUID)."""
    return stored if isinstance(stored, UUID) else _uuid_of_text(stored)


def nearby(rows: list[Row], user_id: UUID, reach: int = 2) -> list[Row]:
    """Return the user's row with up to ``reach`` rows above and below it."""
    index = next((i for i, row in enumerate(rows) if row["user_id"] == user_id), None)
    if index is None:
        return []
    return rows[max(0, index - reach) : index + reach + 1]


def _ranked(rows: list[Row], score: str) -> list[Row]:
    ordered = sorted(rows, key=lambda r: (-r[score], str(r["user_id"])))
    ranks = competition_ranks([row[score] for row in ordered])
    return [{**row, "rank": rank} for row, rank in zip(ordered, ranks, strict=True)]


def _targets(
    conn: Connection, team_id: UUID, period: str, metric: str
) -> dict[UUID, Decimal]:
    c = targets.c
    query = select(c.user_id, c.value).where(
        c.team_id == team_id,
        c.period == period,
        c.metric == metric,
        c.status == "agreed",
    )
    return {row.user_id: Decimal(row.value) for row in conn.execute(query)}


def _actuals(
    conn: Connection, team_id: UUID, period: str, metric: str, points: dict[UUID, int]
) -> dict[UUID, Decimal]:
    """Return each member's actual for a target metric in the period, to date."""
    if metric == "points":
        return {user: Decimal(total) for user, total in points.items()}
    if metric not in ACTUALS:
        raise InvalidValueError("metric", f"Must be one of: {', '.join(METRICS)}.")
    first = last = None
    if period != ALL_TIME:
        named = parse_period(period)
        first, last = named.first_day, named.last_day
    done = verified(conn, team_id, first, last)
    return {user: metric_actual(metric, pairs) for user, pairs in done.items()}
