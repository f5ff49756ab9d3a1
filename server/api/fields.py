"""Input fields with the bounds every store can hold (times, days, positions)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from marshmallow import ValidationError, fields, validate

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
# Event-store positions are 64-bit integers.
POSITIONS = validate.Range(min=0, max=2**62)


class Moment(fields.AwareDateTime):
    """A time with its offset, between 1970 and 2200 (later would overflow UTC)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            in_range = EARLIEST <= moment < LATEST
        except OverflowError:
            in_range = False
        if not in_range:
            raise ValidationError("Must be between 1970 and 2200.")
        return moment


class Day(fields.Date):
    """A calendar date between 1970 and 2200."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        day = super()._deserialize(value, attr, data, **kwargs)
        if not EARLIEST.date() <= day < LATEST.date():
            raise ValidationError("Must be between 1970 and 2200.")
        assert isinstance(day, date)
        return day
