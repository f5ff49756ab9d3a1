"""Calendar periods as the API names them: 2026-W48, 2026-11, 2026-Q4, 2026, all."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from events.errors import InvalidValueError, NotFoundError

_PATTERNS = {
    # [0-9], not \d: other scripts' digits must not name a second, equal period.
    "week": re.compile(r"([0-9]{4})-W([0-9]{2})"),
    "month": re.compile(r"([0-9]{4})-([0-9]{2})"),
    "quarter": re.compile(r"([0-9]{4})-Q([1-4])"),
    "year": re.compile(r"([0-9]{4})"),
}


@dataclass(frozen=True)
class Period:
    """A named calendar window: its kind, its name and its first and last day."""

    kind: str
    name: str
    first_day: date
    last_day: date

    def window(self, timezone: str) -> tuple[datetime, datetime]:
        """Return [start, end) of the period in the given time zone."""
        zone = ZoneInfo(timezone)
        start = datetime.combine(self.first_day, time.min, zone)
        end = datetime.combine(self.last_day + timedelta(days=1), time.min, zone)
        return start, end


def parse_period(name: str, kinds: tuple[str, ...] = tuple(_PATTERNS)) -> Period:
    """Return the period a name like ``2026-11`` stands for, refusing others."""
    for kind in kinds:
        match = _PATTERNS[kind].fullmatch(name)
        if match:
            year, *number = map(int, match.groups())
            period = _build(kind, name, year, *number) if 1970 <= year <= 9998 else None
            if period is not None:
                return period
    examples = {"week": "2026-W48", "month": "2026-11", "quarter": "2026-Q4"}
    shown = ", ".join(examples.get(k, "2026") for k in kinds)
    raise InvalidValueError("period", f"Must be a period such as {shown}.")


def week_of(moment: datetime, timezone: str) -> str:
    """Return the ISO week name (``2026-W48``) that ``moment`` falls in, locally."""
    year, week, _ = moment.astimezone(ZoneInfo(timezone)).isocalendar()
    return f"{year}-W{week:02d}"


def _build(kind: str, name: str, year: int, number: int = 0) -> Period | None:
    if kind == "year":
        return Period(kind, name, date(year, 1, 1), date(year, 12, 31))
    if kind == "quarter":
        first = date(year, 3 * number - 2, 1)
        return Period(kind, name, first, _month_end(year, 3 * number))
    if kind == "month":
        if not 1 <= number <= 12:
            return None
        return Period(kind, name, date(year, number, 1), _month_end(year, number))
    try:
        monday = date.fromisocalendar(year, number, 1)
    except ValueError:
        if number == 53:
            # Well-formed, like 2026-W53: just not a week this year has.
            raise NotFoundError(f"{year} has no week 53.") from None
        return None
    return Period(kind, name, monday, monday + timedelta(days=6))


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def previous_period(period: Period) -> Period:
    """Return the period of the same kind just before this one.

    Built directly, not parsed: the one before 1970's first is 1969's last,
    which no one may ask for but which a comparison may need (it holds nothing).
    """
    before = period.first_day - timedelta(days=1)
    if period.kind == "week":
        year, week, _ = before.isocalendar()
        previous = _build("week", f"{year}-W{week:02d}", year, week)
    elif period.kind == "month":
        name = f"{before.year}-{before.month:02d}"
        previous = _build("month", name, before.year, before.month)
    elif period.kind == "quarter":
        quarter = (before.month - 1) // 3 + 1
        previous = _build("quarter", f"{before.year}-Q{quarter}", before.year, quarter)
    else:
        previous = _build("year", f"{before.year}", before.year)
    assert previous is not None
    return previous
