"""Pure scoring helpers: the periods a moment counts towards, and shared ranks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

ALL_TIME = "all"


def period_names(moment: datetime, timezone: str) -> tuple[str, ...]:
    """Return the week, month, quarter and year a moment falls in locally, and all."""
    return _periods_of_day(moment.astimezone(ZoneInfo(timezone)).date())


@lru_cache(maxsize=4096)
def _periods_of_day(day: date) -> tuple[str, ...]:
    # Every award names its periods: a day's names are worked out once.
    year, week, _ = day.isocalendar()
    quarter = (day.month - 1) // 3 + 1
    return (
        f"{year}-W{week:02d}",
        f"{day.year}-{day.month:02d}",
        f"{day.year}-Q{quarter}",
        f"{day.year}",
        ALL_TIME,
    )


def competition_ranks(scores: Sequence[object]) -> list[int]:
    """Rank scores sorted best first, equal scores sharing a rank: 1, 2, 2, 4."""
    ranks: list[int] = []
    for index, score in enumerate(scores):
        same = index > 0 and score == scores[index - 1]
        ranks.append(ranks[-1] if same else index + 1)
    return ranks
