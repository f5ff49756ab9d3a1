"""A team's at-risk list: overdue commitments, targets behind pace, lapsed check-ins.

Computed at query time from other read models, since every item depends on "now".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, RowMapping, select

from events.periods import Period, parse_period
from projections.actuals import ACTUALS, metric_actual, verified
from projections.commitments import commitments
from projections.mentorships import mentorships
from projections.targets import targets
from projections.teams import members, teams

SEVERITY = ("overdue_commitment", "behind_pace", "no_recent_check_in")
PACE_TOLERANCE = Decimal("0.1")
CHECK_IN_GAP = timedelta(days=30)
_TICK = timedelta(microseconds=1)


@dataclass(frozen=True)
class RiskItem:
    """One reason to worry about one person, and since when."""

    kind: str
    user_id: UUID
    subject_id: UUID
    detail: str
    since: datetime


def elapsed_fraction(start: datetime, end: datetime, now: datetime) -> Decimal:
    """Return how much of [start, end) has passed at ``now``, from 0 to 1.

    Counted in UTC: between two times of one zone Python subtracts wall clocks, so
    a month with a daylight-saving change would be an hour too long or too short.
    """
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    fraction = Decimal((now - start) // _TICK) / Decimal((end - start) // _TICK)
    return min(max(fraction, Decimal(0)), Decimal(1))


def is_behind_pace(actual: Decimal, target: Decimal, fraction: Decimal) -> bool:
    """Tell whether ``actual`` trails the linear pace by more than 10% of target."""
    return fraction * target - actual > PACE_TOLERANCE * target


def pace_detail(
    actual: Decimal, target: Decimal, metric: str, fraction: Decimal, period: str
) -> str:
    """Describe a target's progress against the time gone, for people."""
    percent = int(fraction * 100)
    progress = f"{_amount(actual)} of {_amount(target)} {metric.replace('_', ' ')}"
    return f"{progress} with {percent}% of {period} gone"


def _amount(value: Decimal) -> str:
    """Group thousands; show cents only when there are some (31,200 or 18,500.50)."""
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


def mentees_in_team(conn: Connection, mentor_id: UUID, team_id: UUID) -> set[UUID]:
    """Return the team's members whom ``mentor_id`` mentors in an active mentorship."""
    return {m["mentee_id"] for m in _active_mentorships(conn, team_id, mentor_id)}


def at_risk(
    conn: Connection, team_id: UUID, now: datetime, mentor_id: UUID | None = None
) -> list[RiskItem]:
    """Return the team's at-risk items, most severe first, then oldest first.

    With ``mentor_id``, only items about that mentor's mentees, and only the
    mentor's own mentorships among lapsed check-ins.
    """
    zone = conn.scalar(select(teams.c.timezone).where(teams.c.id == team_id))
    if zone is None:
        return []
    pairs = _active_mentorships(conn, team_id, mentor_id)
    items = [
        *_overdue(conn, team_id, now),
        *_behind(conn, team_id, zone, now),
        *_lapsed(pairs, zone, now),
    ]
    if mentor_id is not None:
        mentees = {m["mentee_id"] for m in pairs}
        items = [i for i in items if i.user_id in mentees]
    return sorted(items, key=_severity_then_age)


def _severity_then_age(item: RiskItem) -> tuple[int, datetime, str, str]:
    # The ids only make the order of otherwise equal items repeatable.
    return (
        SEVERITY.index(item.kind),
        item.since,
        str(item.user_id),
        str(item.subject_id),
    )


def _overdue(conn: Connection, team_id: UUID, now: datetime) -> list[RiskItem]:
    # Every open commitment of the team counts, even a former member's: the
    # leader can still mark it missed.
    c = commitments.c
    query = select(c.id, c.owner_id, c.title, c.due_at).where(
        c.team_id == team_id, c.status == "open", c.due_at < now
    )
    return [
        RiskItem("overdue_commitment", row.owner_id, row.id, row.title, row.due_at)
        for row in conn.execute(query)
    ]


def _behind(
    conn: Connection, team_id: UUID, zone: str, now: datetime
) -> list[RiskItem]:
    t = targets.c
    query = select(targets).where(
        t.team_id == team_id,
        t.status == "agreed",
        t.metric.in_(ACTUALS),
        t.user_id.in_(select(members.c.user_id).where(members.c.team_id == team_id)),
    )
    items = []
    for row in conn.execute(query).mappings():
        period = parse_period(row["period"])
        start, end = period.window(zone)
        if not start <= now < end:
            continue
        actual = metric_actual(row["metric"], _verified(conn, row, period))
        value = Decimal(row["value"])
        fraction = elapsed_fraction(start, end, now)
        if is_behind_pace(actual, value, fraction):
            detail = pace_detail(actual, value, row["metric"], fraction, period.name)
            items.append(
                RiskItem("behind_pace", row["user_id"], row["id"], detail, start)
            )
    return items


def _verified(
    conn: Connection, target: RowMapping, period: Period
) -> list[tuple[str, str]]:
    done = verified(conn, target["team_id"], period.first_day, period.last_day)
    return done.get(target["user_id"], [])


def _active_mentorships(
    conn: Connection, team_id: UUID, mentor_id: UUID | None
) -> Sequence[RowMapping]:
    m = mentorships.c
    in_team = select(members.c.user_id).where(members.c.team_id == team_id)
    query = select(mentorships).where(m.status == "active", m.mentee_id.in_(in_team))
    if mentor_id is not None:
        query = query.where(m.mentor_id == mentor_id)
    return conn.execute(query).mappings().all()


def _lapsed(pairs: Sequence[RowMapping], zone: str, now: datetime) -> list[RiskItem]:
    items = []
    for pair in pairs:
        last = pair["last_check_in_on"]
        since = (
            pair["created_at"]
            if last is None
            else datetime.combine(last, time.min, ZoneInfo(zone))
        )
        if now - since <= CHECK_IN_GAP:
            continue
        what = "the mentorship started" if last is None else last.isoformat()
        detail = f"No check-in since {what}, {(now - since).days} days ago"
        kind = "no_recent_check_in"
        items.append(RiskItem(kind, pair["mentee_id"], pair["id"], detail, since))
    return items
