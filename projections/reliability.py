"""Read model of say/do reliability: kept, missed, withdrawn and kept streaks."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from sqlalchemy import Column, Connection, Integer, Table, Uuid, case, func, select

from events.commitment import Commitment
from projections.batch import Batch
from projections.commitments import commitments
from projections.schema import metadata

_OUTCOMES = {
    Commitment.Kept: "kept",
    Commitment.Missed: "missed",
    Commitment.Withdrawn: "withdrawn",
}
_COUNTERS = ("kept", "missed", "withdrawn", "streak", "best_streak")


def _counter_columns() -> list[Column[int]]:
    return [Column(name, Integer, nullable=False) for name in _COUNTERS]


# Per team, and across all teams: a streak across teams cannot be pieced together
# from per-team streaks, since it depends on how their closings interleave.
reliability = Table(
    "reliability_view",
    metadata,
    Column("team_id", Uuid, primary_key=True),
    Column("user_id", Uuid, primary_key=True, index=True),
    *_counter_columns(),
)
reliability_totals = Table(
    "reliability_total_view",
    metadata,
    Column("user_id", Uuid, primary_key=True),
    *_counter_columns(),
)


@dataclass(frozen=True)
class Tally:
    """Closed commitments by outcome, and runs of kept ones."""

    kept: int = 0
    missed: int = 0
    withdrawn: int = 0
    streak: int = 0
    best_streak: int = 0

    def closed(self, outcome: str) -> Tally:
        """Return the tally after one more commitment closed with ``outcome``."""
        if outcome == "kept":
            streak = self.streak + 1
            best = max(self.best_streak, streak)
            return replace(self, kept=self.kept + 1, streak=streak, best_streak=best)
        if outcome == "missed":
            return replace(self, missed=self.missed + 1, streak=0)
        # A withdrawal is neither a kept promise nor a broken one.
        return replace(self, withdrawn=self.withdrawn + 1)

    @property
    def say_do_ratio(self) -> float | None:
        """Return kept / (kept + missed), or None before anything was kept or missed."""
        decided = self.kept + self.missed
        return None if decided == 0 else round(self.kept / decided, 4)


def apply(batch: Batch, event: object) -> None:
    """Count a closed commitment for its owner (other events are ignored).

    Events arrive in log order, so streaks follow the closing events' positions.
    The commitment's row is read through the batch: commitments precede this
    model in READ_MODELS, so it is there even when made in the same batch.
    """
    if not isinstance(event, Commitment.Event):
        return
    outcome = _OUTCOMES.get(type(event))
    if outcome is None:
        return
    owner = batch.get(commitments, event.originator_id)
    if owner is None:
        raise LookupError(f"No commitment {event.originator_id} to close")
    team_id, user_id = owner["team_id"], owner["owner_id"]
    _count(batch, reliability, {"team_id": team_id, "user_id": user_id}, outcome)
    _count(batch, reliability_totals, {"user_id": user_id}, outcome)


def _count(batch: Batch, table: Table, keys: dict[str, UUID], outcome: str) -> None:
    row = batch.get(table, *keys.values())
    before = Tally() if row is None else Tally(**{n: row[n] for n in _COUNTERS})
    after = before.closed(outcome)
    batch.save(table, {**keys, **{n: getattr(after, n) for n in _COUNTERS}})


def tally_of(conn: Connection, user_id: UUID, team_id: UUID | None) -> Tally:
    """Return the user's tally in one team, or across all their teams when None."""
    if team_id is None:
        query = select(reliability_totals).where(
            reliability_totals.c.user_id == user_id
        )
    else:
        r = reliability.c
        query = select(reliability).where(r.user_id == user_id, r.team_id == team_id)
    row = conn.execute(query).mappings().one_or_none()
    return Tally() if row is None else Tally(**{n: row[n] for n in _COUNTERS})


def open_and_overdue(
    conn: Connection, user_id: UUID, team_id: UUID | None, now: datetime
) -> tuple[int, int]:
    """Return how many of the user's commitments are open, and how many overdue."""
    c = commitments.c
    query = select(func.count(), func.count(case((c.due_at < now, 1)))).where(
        c.owner_id == user_id, c.status == "open"
    )
    if team_id is not None:
        query = query.where(c.team_id == team_id)
    open_count, overdue = conn.execute(query).one()
    return int(open_count), int(overdue)
