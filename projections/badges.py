"""Badges earned per person and team: each tier once, at the event that earned it.

Each event moves some counters (see ``badge_rules``); a tier is awarded the
moment its counter reaches it, stamped with that event's time and the ids of
what earned it. The model keeps its own record of what later events need
(whose commitment, a team's time zone and members), so it replays on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Date,
    Integer,
    RowMapping,
    String,
    Table,
    UniqueConstraint,
    Uuid,
    select,
)

from projections.badge_rules import (
    BADGES,
    Step,
    Tally,
    advanced,
    badges_counting,
    due_tiers,
    id_cap,
)
from projections.badge_sources import remember
from projections.badge_steps import steps
from projections.schema import UtcDateTime, metadata

counters = Table(
    "badge_counter_view",
    metadata,
    Column("team_id", Uuid, primary_key=True),
    Column("user_id", Uuid, primary_key=True),
    Column("counter", String(40), primary_key=True),
    # Decimals as text: exact on every database (SQLite has no decimal type).
    Column("value", String(40), nullable=False),
    Column("source_ids", JSON, nullable=False),
    Column("last_day", Date),
)

awards = Table(
    "badge_award_view",
    metadata,
    # Rows are numbered in log order, so awards of one moment keep their order.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("team_id", Uuid, nullable=False),
    Column("user_id", Uuid, nullable=False, index=True),
    Column("badge", String(40), nullable=False),
    # "" for a badge with a single threshold: a key column cannot hold NULL.
    Column("tier", String(8), nullable=False),
    Column("awarded_at", UtcDateTime, nullable=False),
    Column("event_id", Uuid, nullable=False),
    Column("event_version", Integer, nullable=False),
    Column("source_ids", JSON, nullable=False),
    UniqueConstraint("team_id", "user_id", "badge", "tier"),
)

_NAMES = {badge.key: badge.name for badge in BADGES}


def apply(conn: Connection, event: object) -> None:
    """Award what the event earns, judged on what came before; then remember it."""
    for step in steps(conn, event):
        _count(conn, event, step)
    remember(conn, event)


def _count(conn: Connection, event: Any, step: Step) -> None:
    """Move one counter, then award every tier it newly reaches."""
    c = counters.c
    key = (
        c.team_id == step.team_id,
        c.user_id == step.user_id,
        c.counter == step.counter,
    )
    row = conn.execute(select(counters).where(*key)).mappings().one_or_none()
    before = _tally(row)
    after = advanced(before, step, id_cap(step.counter))
    values = {
        "value": str(after.value),
        "source_ids": [str(i) for i in after.source_ids],
        "last_day": after.last_day,
    }
    if row is None:
        conn.execute(
            counters.insert().values(
                team_id=step.team_id, user_id=step.user_id, counter=step.counter
            ),
            values,
        )
    else:
        conn.execute(counters.update().where(*key).values(values))
    if after.value <= before.value:
        return
    for badge in badges_counting(step.counter):
        for tier in due_tiers(badge, after.value, _held(conn, step, badge.key)):
            conn.execute(
                awards.insert().values(
                    team_id=step.team_id,
                    user_id=step.user_id,
                    badge=badge.key,
                    tier=tier or "",
                    awarded_at=event.timestamp,
                    event_id=event.originator_id,
                    event_version=event.originator_version,
                    source_ids=values["source_ids"],
                )
            )


def _tally(row: RowMapping | None) -> Tally:
    if row is None:
        return Tally()
    ids = tuple(UUID(i) for i in row["source_ids"])
    return Tally(Decimal(row["value"]), ids, row["last_day"])


def _held(conn: Connection, step: Step, badge: str) -> set[str | None]:
    a = awards.c
    query = select(a.tier).where(
        a.team_id == step.team_id, a.user_id == step.user_id, a.badge == badge
    )
    return {tier or None for tier in conn.scalars(query)}


def awards_of(
    conn: Connection, user_id: UUID, team_ids: Sequence[UUID] | None
) -> list[dict[str, Any]]:
    """Return the user's badges (in the given teams, or all), earliest first."""
    a = awards.c
    query = select(awards).where(a.user_id == user_id).order_by(a.awarded_at, a.id)
    if team_ids is not None:
        query = query.where(a.team_id.in_(team_ids))
    return [
        {
            "badge": row["badge"],
            "name": _NAMES.get(row["badge"], row["badge"]),
            "tier": row["tier"] or None,
            "awarded_at": row["awarded_at"],
            "team_id": row["team_id"],
            "source_ids": [UUID(i) for i in row["source_ids"]],
        }
        for row in conn.execute(query).mappings()
    ]
