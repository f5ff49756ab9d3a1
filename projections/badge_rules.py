"""Badges as data, and the pure rules deciding which tiers a counter has earned.

A badge names a counter (what it counts) and the values at which it is earned:
bronze, silver and gold, or one threshold. Counters are moved by steps (add,
remove, break a run, count a working day); a tier is due once the counter
reaches it and the person does not hold it yet, so nothing is earned twice.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal, NamedTuple
from uuid import UUID

Kind = Literal["first_time", "count", "threshold", "streak"]
Op = Literal["add", "remove", "break", "day"]
TIERS = ("bronze", "silver", "gold")
# The read model keeps ids as text (as stored); the rules take either kind.
SourceId = UUID | str

# What each counter counts, per person and team; badges name one of these.
COUNTERS: Mapping[str, str] = {
    "commitments_kept": "Commitments kept.",
    "kept_streak": "Commitments kept in a row; a miss breaks it, a withdrawal not.",
    "kept_days": "Working days (Mon-Fri, team time) in a row with a commitment kept.",
    "deals_won": "Verified deal_won achievements.",
    "revenue": "Verified revenue and deal_won amounts, summed in any currency.",
    "endorsements_received": "Peer endorsements received.",
    "endorsements_given": "Peer endorsements given.",
    "deal_review_feedback": "Feedback given on teammates' deal reviews.",
    "check_ins_acknowledged": "Mentor check-ins acknowledged as the mentee.",
    "charter_acknowledgements": "Charter versions acknowledged.",
    "recognitions_received": "Leader recognition awards received.",
    "targets_agreed": "Own targets agreed (or set by revision) by the leader.",
}


@dataclass(frozen=True)
class Badge:
    """One badge: what it counts, and its tiers or single threshold."""

    key: str
    name: str
    description: str
    kind: Kind
    counter: str
    tiers: Mapping[str, int] | None = None
    threshold: int | None = None

    def levels(self) -> list[tuple[str | None, int]]:
        """Return (tier, value needed) lowest first; tier None for a single one."""
        if self.tiers is None:
            assert self.threshold is not None
            return [(None, self.threshold)]
        return [(tier, self.tiers[tier]) for tier in TIERS]


def _tiers(bronze: int, silver: int, gold: int) -> dict[str, int]:
    return {"bronze": bronze, "silver": silver, "gold": gold}


# One badge per entry, kept compact as a table.
# fmt: off
BADGES: tuple[Badge, ...] = (
    Badge("first_promise_kept", "First promise kept", "Kept a first commitment.",
          "first_time", "commitments_kept", threshold=1),
    Badge("promise_keeper", "Promise keeper", "Kept commitments: 5, 20, 50.",
          "count", "commitments_kept", _tiers(5, 20, 50)),
    Badge("unbroken_word", "Unbroken word",
          "Commitments kept in a row with no miss between: 3, 7, 15.",
          "streak", "kept_streak", _tiers(3, 7, 15)),
    Badge("consistent_daily", "Consistent daily",
          "A commitment kept on each of 3, 5, 10 working days in a row.",
          "streak", "kept_days", _tiers(3, 5, 10)),
    Badge("first_deal", "First deal", "A first won deal, verified by the leader.",
          "first_time", "deals_won", threshold=1),
    Badge("deal_closer", "Deal closer", "Verified deals won: 3, 10, 25.",
          "count", "deals_won", _tiers(3, 10, 25)),
    Badge("rainmaker", "Rainmaker",
          "Verified revenue and deals won adding up to 10k, 100k, 1M.",
          "threshold", "revenue", _tiers(10_000, 100_000, 1_000_000)),
    Badge("endorsed", "Endorsed", "Endorsements from peers: 5, 20, 50.",
          "count", "endorsements_received", _tiers(5, 20, 50)),
    Badge("generous", "Generous", "Endorsements given to peers: 5, 20, 50.",
          "count", "endorsements_given", _tiers(5, 20, 50)),
    Badge("peer_reviewer", "Peer reviewer", "Deal-review feedback given: 3, 10, 25.",
          "count", "deal_review_feedback", _tiers(3, 10, 25)),
    Badge("coachable", "Coachable", "Mentor check-ins acknowledged: 3, 10, 25.",
          "count", "check_ins_acknowledged", _tiers(3, 10, 25)),
    Badge("charter_signatory", "Charter signatory",
          "Acknowledged the team's sales charter.",
          "first_time", "charter_acknowledgements", threshold=1),
    Badge("recognised", "Recognised", "Recognition awards from the leader: 1, 5, 15.",
          "count", "recognitions_received", _tiers(1, 5, 15)),
    Badge("planner", "Planner", "Targets agreed with the leader: 1, 4, 12.",
          "count", "targets_agreed", _tiers(1, 4, 12)),
)
# fmt: on


def badges_counting(counter: str) -> list[Badge]:
    """Return the badges earned on ``counter``."""
    return [badge for badge in BADGES if badge.counter == counter]


def id_cap(counter: str) -> int:
    """Return how many source ids a counter must keep: its highest threshold.

    Past it every tier on the counter is held, so later ids would explain nothing.
    """
    return max(value for b in badges_counting(counter) for _, value in b.levels())


# Per counter, worked out once: its id cap, and (badge, tier, value needed) for
# every tier counted on it, badge by badge as in BADGES, lowest tier first.
CAPS: Mapping[str, Decimal] = {c: Decimal(id_cap(c)) for c in COUNTERS}
LEVELS: Mapping[str, tuple[tuple[str, str | None, Decimal], ...]] = {
    counter: tuple(
        (badge.key, tier, Decimal(need))
        for badge in badges_counting(counter)
        for tier, need in badge.levels()
    )
    for counter in COUNTERS
}


def newly_reached(
    counter: str, peak: Decimal, value: Decimal
) -> list[tuple[str, str | None]]:
    """Return the (badge, tier)s first reached at ``value`` after peaking at ``peak``.

    A tier is awarded the first time its counter reaches it, and every threshold is
    above 0 (where a counter starts), so the tiers held on a counter are exactly
    those at or below the highest value it ever had: this is ``due_tiers`` for every
    badge on the counter, with what is held known from that peak, in award order.
    """
    if value <= peak or peak >= CAPS[counter]:
        return []
    return [
        (badge, tier) for badge, tier, need in LEVELS[counter] if peak < need <= value
    ]


class Tally(NamedTuple):
    """A counter's value, the ids of what makes it up, and its last working day."""

    value: Decimal = Decimal(0)
    source_ids: Sequence[SourceId] = ()
    last_day: date | None = None


class Step(NamedTuple):
    """One change an event makes to one person's counter in one team."""

    team_id: UUID
    user_id: UUID
    counter: str
    op: Op
    source_id: SourceId | None = None
    amount: Decimal = Decimal(1)
    day: date | None = None


def advanced(tally: Tally, step: Step, cap: Decimal | int) -> Tally:
    """Return the tally after the step, keeping at most ``cap`` worth of ids.

    It never changes the tally's ``source_ids`` in place (they may be a stored row's).
    """
    if step.op == "break":
        return Tally()
    if step.op == "remove":
        ids = tuple(i for i in tally.source_ids if i != step.source_id)
        return tally._replace(value=tally.value - step.amount, source_ids=ids)
    if step.op == "day":
        assert step.day is not None
        return _kept_on(tally, step.day, step.source_id, cap)
    return Tally(tally.value + step.amount, _with(tally, step.source_id, cap))


def _kept_on(
    tally: Tally, day: date, source_id: SourceId | None, cap: Decimal | int
) -> Tally:
    """Extend a run of working days; a gap restarts it, weekends do not count."""
    if not is_working_day(day):
        return tally
    last = tally.last_day
    if last is not None and day <= last:
        return tally._replace(source_ids=_with(tally, source_id, cap))
    if last is not None and day == next_working_day(last):
        return Tally(tally.value + 1, _with(tally, source_id, cap), day)
    return Tally(Decimal(1), () if source_id is None else (source_id,), day)


def _with(
    tally: Tally, source_id: SourceId | None, cap: Decimal | int
) -> Sequence[SourceId]:
    if source_id is None or tally.value >= cap:
        return tally.source_ids
    return (*tally.source_ids, source_id)


def is_working_day(day: date) -> bool:
    """Tell whether the day is Monday to Friday."""
    return day.weekday() < 5


def next_working_day(day: date) -> date:
    """Return the first Monday-to-Friday day after ``day``."""
    following = day + timedelta(days=1)
    while not is_working_day(following):
        following += timedelta(days=1)
    return following


def due_tiers(
    badge: Badge, value: Decimal, held: Collection[str | None]
) -> list[str | None]:
    """Return the tiers the value reaches that are not held yet, lowest first."""
    return [tier for tier, need in badge.levels() if value >= need and tier not in held]
