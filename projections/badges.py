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
    String,
    Table,
    UniqueConstraint,
    Uuid,
    select,
)

from projections.badge_rules import BADGES, CAPS, Step, Tally, advanced, newly_reached
from projections.badge_sources import remember
from projections.badge_steps import steps
from projections.batch import Batch
from projections.schema import metadata
from projections.sql_types import UtcDateTime

counters = Table(
    "badge_counter_view",
    metadata,
    Column("team_id", Uuid, primary_key=True),
    Column("user_id", Uuid, primary_key=True),
    Column("counter", String(40), primary_key=True),
    # Decimals as text: exact on every database (SQLite has no decimal type).
    Column("value", String(40), nullable=False),
    # The highest value it ever had: the tiers on it at or below are held.
    Column("peak", String(40), nullable=False),
    # Ids as text, up to the counter's highest threshold; once the peak reaches it
    # (every tier on the counter is held) they are left as they are.
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


def badge_name(key: str) -> str:
    """Return the badge's display name (its key for one no longer defined)."""
    return _NAMES.get(key, key)


_ZERO = Decimal(0)


def apply(batch: Batch, event: object) -> None:
    """Award what the event earns, judged on what came before; then remember it."""
    for step in steps(batch, event):
        _count(batch, event, step)
    remember(batch, event)


def _count(batch: Batch, event: Any, step: Step) -> None:
    """Move one counter, then award every tier it newly reaches."""
    counter = step.counter
    row = batch.get(counters, step.team_id, step.user_id, counter)
    if row is None:
        value = peak = _ZERO
        peak_text, kept, last_day = "0", [], None
    else:
        value, peak_text = Decimal(row["value"]), row["peak"]
        peak = Decimal(peak_text)
        kept, last_day = row["source_ids"], row["last_day"]
    cap = CAPS[counter]
    # Every tier on the counter is held once its peak reaches the cap: later ids
    # would explain nothing, so they are neither collected nor rewritten.
    frozen = peak >= cap
    after = advanced(Tally(value, () if frozen else kept, last_day), step, cap)
    ids = kept if frozen or after.source_ids is kept else list(after.source_ids)
    if row is not None and (
        after.value == value and after.last_day == last_day and ids is kept
    ):
        return  # nothing moved (a weekend's keep, a day already counted)
    value_text = str(after.value)
    batch.save(
        counters,
        {
            "team_id": step.team_id,
            "user_id": step.user_id,
            "counter": counter,
            "value": value_text,
            "peak": value_text if after.value > peak else peak_text,
            "source_ids": ids,
            "last_day": after.last_day,
        },
    )
    for badge, tier in newly_reached(counter, peak, after.value):
        batch.append(
            awards,
            {
                "team_id": step.team_id,
                "user_id": step.user_id,
                "badge": badge,
                "tier": tier or "",
                "awarded_at": event.timestamp,
                "event_id": event.originator_id,
                "event_version": event.originator_version,
                "source_ids": ids,
            },
        )


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
            "name": badge_name(row["badge"]),
            "tier": row["tier"] or None,
            "awarded_at": row["awarded_at"],
            "team_id": row["team_id"],
            "source_ids": [UUID(i) for i in row["source_ids"]],
        }
        for row in conn.execute(query).mappings()
    ]
