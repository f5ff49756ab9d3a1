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
from projections.batch import Batch
from projections.schema import metadata
from projections.scoring import ALL_TIME, period_names
from projections.sql_types import UtcDateTime
from projections.teams import teams, teams_of_user

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
    Column("team_id", Uuid, nullable=False),
    Column("points", Integer, nullable=False),
    Column("rule_version", Integer, nullable=False),
    Column("event_type", String(60), nullable=False),
    Column("source_id", Uuid, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    # The periods it counts towards, named in the team's time zone at award time.
    Column("week", String(10), nullable=False),
    Column("month", String(10), nullable=False),
    Column("quarter", String(10), nullable=False),
    Column("year", String(10), nullable=False),
    # One event can award one person in several teams (a mentee's check-in).
    UniqueConstraint("event_id", "event_version", "user_id", "rule_key", "team_id"),
)

totals = Table(
    "points_total_view",
    metadata,
    Column("team_id", Uuid, primary_key=True),
    Column("period", String(10), primary_key=True),
    Column("user_id", Uuid, primary_key=True),
    Column("points", Integer, nullable=False),
)


# The positive awards a source has earned, for taking them back if it is withdrawn.
given = Table(
    "points_given_view",
    metadata,
    Column("source_id", Uuid, primary_key=True),
    # [team id, user id, rule key, points, rule version] per award.
    Column("awards", JSON, nullable=False),
)

# Events whose awards their source can later take back.
REVOCABLE = (Achievement.Verified, Recognition.Created)


def apply(batch: Batch, event: Any) -> None:
    """Remember what scoring needs from ``event``, then award what it earns."""
    _remember(batch, event)
    for team_id, user_id, rule_key, source_id in _earned(batch, event):
        _award(batch, event, team_id, user_id, rule_key, source_id)
    _take_back(batch, event)


def _remember(batch: Batch, event: Any) -> None:
    if isinstance(event, ScoringRules.Published):
        team_id = batch.require(sources, event.originator_id)["team_id"]
        rule_book = {"team_id": team_id, "version": event.number}
        batch.save(rules, {**rule_book, "points": dict(event.points)})
    elif isinstance(event, Commitment.Created):
        _store(batch, event, event.team_id, event.owner_id, due_at=event.due_at)
    elif isinstance(event, Commitment.Renegotiated):
        batch.update(sources, event.originator_id, due_at=event.due_at)
    elif isinstance(event, Achievement.Created):
        _store(batch, event, event.team_id, event.user_id, kind=event.kind)
    elif isinstance(event, Charter.Created | ScoringRules.Created):
        _store(batch, event, event.team_id, None)
    elif isinstance(event, Mentorship.Created):
        _store(batch, event, None, event.mentee_id)


def _earned(batch: Batch, event: Any) -> list[tuple[UUID, UUID, str, UUID]]:
    """Return (team, earner, rule key, source) for each award the event earns."""
    subject = event.originator_id
    if isinstance(event, Commitment.Created):
        return [(event.team_id, event.owner_id, "commitment_made", subject)]
    if isinstance(event, Commitment.Kept):
        source = batch.require(sources, subject)
        keys = ["commitment_kept"]
        if event.timestamp <= source["due_at"]:
            keys.append("commitment_kept_on_time")
        return [(source["team_id"], source["user_id"], key, subject) for key in keys]
    if isinstance(event, Commitment.Missed):
        source = batch.require(sources, subject)
        return [(source["team_id"], source["user_id"], "commitment_missed", subject)]
    if isinstance(event, Achievement.Verified):
        source = batch.require(sources, subject)
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
        team_id = batch.require(sources, subject)["team_id"]
        return [(team_id, event.actor_id, "charter_acknowledged", subject)]
    if isinstance(event, Mentorship.CheckInAcknowledged):
        mentee = event.actor_id
        teams_of_mentee = teams_of_user(batch, mentee)
        return [(t, mentee, "check_in_acknowledged", subject) for t in teams_of_mentee]
    return []


def _take_back(batch: Batch, event: Any) -> None:
    """Cancel the awards of a retracted achievement or withdrawn recognition."""
    if not isinstance(event, Achievement.Retracted | Recognition.Withdrawn):
        return
    row = batch.get(given, event.originator_id)
    if row is None:
        return
    batch.delete(given, event.originator_id)
    for team_id, user_id, rule_key, points, rule_version in row["awards"]:
        _write(
            batch,
            event,
            UUID(team_id),
            UUID(user_id),
            rule_key,
            event.originator_id,
            -points,
            rule_version,
        )


def _award(
    batch: Batch,
    event: Any,
    team_id: UUID,
    user_id: UUID,
    rule_key: str,
    source_id: UUID,
) -> None:
    row = batch.get(rules, team_id)
    version, book = (row["version"], row["points"]) if row else (0, DEFAULT_RULES)
    points = int(book.get(rule_key, 0))
    if not points:
        return
    _write(batch, event, team_id, user_id, rule_key, source_id, points, version)
    if isinstance(event, REVOCABLE):
        award = [str(team_id), str(user_id), rule_key, points, version]
        earlier = batch.get(given, source_id)
        awards = [*earlier["awards"], award] if earlier else [award]
        batch.save(given, {"source_id": source_id, "awards": awards})


def _write(
    batch: Batch,
    event: Any,
    team_id: UUID,
    user_id: UUID,
    rule_key: str,
    source_id: UUID,
    points: int,
    rule_version: int,
) -> None:
    team = batch.get(teams, team_id)
    periods = period_names(event.timestamp, team["timezone"] if team else "UTC")
    week, month, quarter, year, _ = periods
    batch.append(
        ledger,
        {
            "event_id": event.originator_id,
            "event_version": event.originator_version,
            "user_id": user_id,
            "rule_key": rule_key,
            "team_id": team_id,
            "points": points,
            "rule_version": rule_version,
            "event_type": type(event).TOPIC.removeprefix("wolfpack:"),
            "source_id": source_id,
            "at": event.timestamp,
            "week": week,
            "month": month,
            "quarter": quarter,
            "year": year,
        },
    )
    for period in periods:
        total = batch.get(totals, team_id, period, user_id)
        before = total["points"] if total else 0
        batch.save(
            totals,
            {
                "team_id": team_id,
                "period": period,
                "user_id": user_id,
                "points": before + points,
            },
        )


def _store(
    batch: Batch,
    event: Any,
    team_id: UUID | None,
    user_id: UUID | None,
    kind: str | None = None,
    due_at: datetime | None = None,
) -> None:
    batch.save(
        sources,
        {
            "id": event.originator_id,
            "team_id": team_id,
            "user_id": user_id,
            "kind": kind,
            "due_at": due_at,
        },
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
