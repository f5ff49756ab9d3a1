"""Pure scoring helpers: the periods a moment counts towards, and shared ranks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from events.periods import week_of

ALL_TIME = "all"


def period_names(moment: datetime, timezone: str) -> tuple[str, ...]:
    """Return the week, month, quarter and year a moment falls in locally, and all."""
    local = moment.astimezone(ZoneInfo(timezone))
    quarter = (local.month - 1) // 3 + 1
    return (
        week_of(moment, timezone),
        f"{local.year}-{local.month:02d}",
        f"{local.year}-Q{quarter}",
        f"{local.year}",
        ALL_TIME,
    )


def competition_ranks(scores: Sequence[object]) -> list[int]:
    """Rank scores sorted best first, equal scores sharing a rank: 1, 2, 2, 4."""
    ranks: list[int] = []
    for index, score in enumerate(scores):
        same = index > 0 and score == scores[index - 1]
        ranks.append(ranks[-1] if same else index + 1)
    return ranks
