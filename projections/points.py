"""Points: every award with the rule version that produced it, and period totals.

Each award is a ledger row (the receipt) and adds to the earner's totals for the
week, month, quarter and year it falls in (in the team's time zone) and for all
time, so a leaderboard is one indexed read. Taking something back (a retracted
achievement, a withdrawn recognition) is a negative award, never an edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Integer,
    RowMapping,
    String,
    Table,
    UniqueConstraint,
    Uuid,
    select,
)

from events.achievement import Achievement
from events.charter import Charter
from events.commitment import Commitment
from events.deal_review import DealReview
from events.endorsement import EndorsementLedger
from events.mentorship import Mentorship
from events.recognition import Recognition
from events.scoring import DEFAULT_RULES, ScoringRules
from projections.schema import UtcDateTime, metadata
from projections.scoring import ALL_TIME, period_names
from projections.teams import members, teams

rules = Table(
    "points_rules_view",
    metadata,
    Column("team_id", Uuid, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("points", JSON, nullable=False),
)

# What later events need to know about the thing they happen to.
sources = Table(
    "points_source_view",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("team_id", Uuid),
    Column("user_id", Uuid),
    Column("kind", String(32)),
    Column("due_at", UtcDateTime),
)

ledger = Table(
    "points_ledger_view",
    metadata,
    # Rows are numbered in log order, so receipts list awards as they happened.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Uuid, nullable=False),
    Column("event_version", Integer, nullable=False),
    Column("user_id", Uuid, nullable=False, index=True),
    Column("rule_key", String(40), nullable=False),
    Column("team_id", Uuid, nullable=False, index=True),
    Column("points", Integer, nullable=False),
    Column("rule_version", Integer, nullable=False),
    Column("event_type", String(60), nullable=False),
    Column("source_id", Uuid, nullable=False, index=True),
    Column("at", UtcDateTime, nullable=False),
    # The periods it counts towards, named in the team's time zone at award time.
    Column("week", String(10), nullable=False),
    Column("month", String(10), nullable=False),
    Column("quarter", String(10), nullable=False),
    Column("year", String(10), nullable=False),
    UniqueConstraint("event_id", "event_version", "user_id", "rule_key"),
)

totals = Table(
    "points_total_view",
    metadata,
    Column("team_id", Uuid, primary_key=True),
    Column("period", String(10), primary_key=True),
    Column("user_id", Uuid, primary_key=True),
    Column("points", Integer, nullable=False),
)


def apply(conn: Connection, event: Any) -> None:
    """Remember what scoring needs from ``event``, then award what it earns."""
    _remember(conn, event)
    for team_id, user_id, rule_key, source_id in _earned(conn, event):
        _award(conn, event, team_id, user_id, rule_key, source_id)
    _take_back(conn, event)


def _remember(conn: Connection, event: Any) -> None:
    if isinstance(event, ScoringRules.Published):
        team_id = _source(conn, event.originator_id)["team_id"]
        conn.execute(rules.delete().where(rules.c.team_id == team_id))
        conn.execute(
            rules.insert().values(
                team_id=team_id, version=event.number, points=dict(event.points)
            )
        )
    elif isinstance(event, Commitment.Created):
        _store(conn, event, event.team_id, event.owner_id, due_at=event.due_at)
    elif isinstance(event, Commitment.Renegotiated):
        conn.execute(
            sources.update()
            .where(sources.c.id == event.originator_id)
            .values(due_at=event.due_at)
        )
    elif isinstance(event, Achievement.Created):
        _store(conn, event, event.team_id, event.user_id, kind=event.kind)
    elif isinstance(event, Charter.Created | ScoringRules.Created):
        _store(conn, event, event.team_id, None)
    elif isinstance(event, Mentorship.Created):
        _store(conn, event, None, event.mentee_id)


def _earned(conn: Connection, event: Any) -> list[tuple[UUID, UUID, str, UUID]]:
    """Return (team, earner, rule key, source) for each award the event earns."""
    subject = event.originator_id
    if isinstance(event, Commitment.Created):
        return [(event.team_id, event.owner_id, "commitment_made", subject)]
    if isinstance(event, Commitment.Kept):
        source = _source(conn, subject)
        keys = ["commitment_kept"]
        if event.timestamp <= source["due_at"]:
            keys.append("commitment_kept_on_time")
        return [(source["team_id"], source["user_id"], key, subject) for key in keys]
    if isinstance(event, Commitment.Missed):
        source = _source(conn, subject)
        return [(source["team_id"], source["user_id"], "commitment_missed", subject)]
    if isinstance(event, Achievement.Verified):
        source = _source(conn, subject)
        key = f"achievement_{source['kind']}"
        return [(source["team_id"], source["user_id"], key, subject)]
    if isinstance(event, EndorsementLedger.Given):
        return [
            (event.team_id, event.to_user_id, "endorsement_received", subject),
            (event.team_id, event.from_user_id, "endorsement_given", subject),
        ]
    if isinstance(event, Recognition.Created):
        return [(event.team_id, event.to_user_id, "recognition_received", subject)]
    if isinstance(event, DealReview.FeedbackGiven):
        key = "deal_review_feedback_given"
        return [(event.team_id, event.actor_id, key, subject)]
    if isinstance(event, Charter.Acknowledged):
        team_id = _source(conn, subject)["team_id"]
        return [(team_id, event.actor_id, "charter_acknowledged", subject)]
    if isinstance(event, Mentorship.CheckInAcknowledged):
        mentee = event.actor_id
        teams_of_mentee = conn.scalars(
            select(members.c.team_id).where(members.c.user_id == mentee)
        )
        return [(t, mentee, "check_in_acknowledged", subject) for t in teams_of_mentee]
    return []


def _take_back(conn: Connection, event: Any) -> None:
    """Cancel the awards of a retracted achievement or withdrawn recognition."""
    if not isinstance(event, Achievement.Retracted | Recognition.Withdrawn):
        return
    given = conn.execute(
        select(ledger).where(ledger.c.source_id == event.originator_id)
    ).mappings()
    for row in list(given):
        if row["points"] > 0:
            _write(
                conn,
                event,
                row["team_id"],
                row["user_id"],
                row["rule_key"],
                row["source_id"],
                -row["points"],
                row["rule_version"],
            )


def _award(
    conn: Connection,
    event: Any,
    team_id: UUID,
    user_id: UUID,
    rule_key: str,
    source_id: UUID,
) -> None:
    row = conn.execute(select(rules).where(rules.c.team_id == team_id)).first()
    version, book = (row.version, row.points) if row else (0, DEFAULT_RULES)
    points = int(book.get(rule_key, 0))
    if points:
        _write(conn, event, team_id, user_id, rule_key, source_id, points, version)


def _write(
    conn: Connection,
    event: Any,
    team_id: UUID,
    user_id: UUID,
    rule_key: str,
    source_id: UUID,
    points: int,
    rule_version: int,
) -> None:
    timezone = conn.scalar(select(teams.c.timezone).where(teams.c.id == team_id))
    periods = period_names(event.timestamp, timezone or "UTC")
    conn.execute(
        ledger.insert().values(
            event_id=event.originator_id,
            event_version=event.originator_version,
            user_id=user_id,
            rule_key=rule_key,
            team_id=team_id,
            points=points,
            rule_version=rule_version,
            event_type=type(event).TOPIC.removeprefix("wolfpack:"),
            source_id=source_id,
            at=event.timestamp,
            **dict(zip(("week", "month", "quarter", "year"), periods, strict=False)),
        )
    )
    for period in periods:
        key = (totals.c.team_id == team_id, totals.c.period == period)
        updated = conn.execute(
            totals.update()
            .where(*key, totals.c.user_id == user_id)
            .values(points=totals.c.points + points)
        )
        if updated.rowcount == 0:
            conn.execute(
                totals.insert().values(
                    team_id=team_id, period=period, user_id=user_id, points=points
                )
            )


def _store(
    conn: Connection,
    event: Any,
    team_id: UUID | None,
    user_id: UUID | None,
    kind: str | None = None,
    due_at: datetime | None = None,
) -> None:
    conn.execute(
        sources.insert().values(
            id=event.originator_id,
            team_id=team_id,
            user_id=user_id,
            kind=kind,
            due_at=due_at,
        )
    )


def _source(conn: Connection, source_id: UUID) -> RowMapping:
    return (
        conn.execute(select(sources).where(sources.c.id == source_id)).mappings().one()
    )


def team_totals(conn: Connection, team_id: UUID, period: str) -> dict[UUID, int]:
    """Return each earner's points in the team for the named period."""
    query = select(totals.c.user_id, totals.c.points).where(
        totals.c.team_id == team_id, totals.c.period == period
    )
    return {row.user_id: row.points for row in conn.execute(query)}


def rules_version(conn: Connection, team_id: UUID) -> int:
    """Return the version of the team's rules in force (0 for the defaults)."""
    return int(
        conn.scalar(select(rules.c.version).where(rules.c.team_id == team_id)) or 0
    )


def receipts(
    conn: Connection, user_id: UUID, team_ids: Sequence[UUID] | None, period: str
) -> Sequence[RowMapping]:
    """Return the user's awards in a period (or "all"), oldest first: the receipts."""
    c = ledger.c
    query = select(ledger).where(c.user_id == user_id).order_by(c.id)
    if team_ids is not None:
        query = query.where(c.team_id.in_(team_ids))
    if period != ALL_TIME:
        query = query.where(
            (c.week == period)
            | (c.month == period)
            | (c.quarter == period)
            | (c.year == period)
        )
    return conn.execute(query).mappings().all()
