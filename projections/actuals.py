"""What a person has actually done towards a target metric: verified achievements."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from uuid import UUID

from sqlalchemy import Connection, select

from projections.achievements import achievements

# The verified achievement kinds behind each metric, and whether their values are
# summed (amounts, meeting counts) or the achievements themselves counted. The
# "points" metric comes from the points ledger instead.
ACTUALS: dict[str, tuple[frozenset[str], bool]] = {
    "revenue": (frozenset({"deal_won", "revenue"}), True),
    "deals_won": (frozenset({"deal_won"}), False),
    "meetings": (frozenset({"meeting"}), True),
}


def metric_actual(metric: str, done: Iterable[tuple[str, str]]) -> Decimal:
    """Return a metric's actual from (kind, value) pairs of verified achievements."""
    kinds, summed = ACTUALS[metric]
    return sum(
        (
            Decimal(value) if summed else Decimal(1)
            for kind, value in done
            if kind in kinds
        ),
        Decimal(0),
    )


def verified(
    conn: Connection, team_id: UUID, first_day: date | None, last_day: date | None
) -> dict[UUID, list[tuple[str, str]]]:
    """Return each member's verified (kind, value) pairs, occurring within the days."""
    a = achievements.c
    query = select(a.user_id, a.kind, a.value).where(
        a.team_id == team_id, a.status == "verified"
    )
    if first_day is not None and last_day is not None:
        query = query.where(a.occurred_on.between(first_day, last_day))
    done: dict[UUID, list[tuple[str, str]]] = {}
    for row in conn.execute(query):
        done.setdefault(row.user_id, []).append((row.kind, row.value))
    return done
