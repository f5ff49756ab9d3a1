"""Input fields that state what they accept: the pattern they check is the one shown.

Text, times, dates, periods and amounts are checked against the regular
expressions of ``server.api.patterns``, which /api/openapi.json shows as each
field's ``pattern``; what a pattern cannot say (a date in the future, a person in
the team) is a rule of the write side, answered 409 (``events.errors``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, cast

from marshmallow import ValidationError, fields, validate

from server.api import patterns
from server.password_policy import LENGTH_RULE, MAX_LENGTH, MIN_LENGTH

# Event-store positions are 64-bit integers.
POSITIONS = validate.Range(min=0, max=2**62)


class Matches(validate.Regexp):
    """Refuse a string unless the whole of it matches the pattern."""

    def __call__(self, value: str) -> str:  # type: ignore[override]
        if cast("re.Pattern[str]", self.regex).fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


class NotBlank(Matches):
    """Refuse text that is all white space (empty text is for its length to refuse)."""

    def __init__(self) -> None:
        super().__init__(patterns.NOT_BLANK, error="Must not be blank.")

    def __call__(self, value: str) -> str:  # type: ignore[override]
        return super().__call__(value) if value else value


class Flag(fields.Boolean):
    """A JSON true or false; nothing that merely looks like one (1, "yes")."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


def query_flag(**kwargs: Any) -> fields.Boolean:
    """A boolean in a query string, written true or false as OpenAPI clients do."""
    return fields.Boolean(truthy={"true"}, falsy={"false"}, **kwargs)


def text_field(maximum: int, **kwargs: Any) -> fields.String:
    """Text the write side keeps stripped: 1 to ``maximum`` characters, not blank."""
    kwargs.setdefault("required", "load_default" not in kwargs)
    return fields.String(
        validate=[validate.Length(1, maximum), NotBlank()],
        **kwargs,
    )


def password_field(**kwargs: Any) -> fields.String:
    """A new password: its length checked here (422), its commonness on setting it."""
    kwargs.setdefault("required", True)
    return fields.String(
        load_only=True,
        validate=validate.Length(MIN_LENGTH, MAX_LENGTH, error=LENGTH_RULE),
        metadata={
            "description": f"{MIN_LENGTH} to {MAX_LENGTH} characters; one of the "
            "most common passwords is refused (409, naming the field)."
        },
        **kwargs,
    )


def optional_text_field(maximum: int, **kwargs: Any) -> fields.String:
    """Text that may be left out, null or blank (then nothing is kept)."""
    return fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=maximum),
        **kwargs,
    )


def period_field(
    kinds: Iterable[str], all_time: bool = False, **kwargs: Any
) -> fields.String:
    """A calendar period of these kinds: 2026-W48, 2026-11, 2026-Q4, 2026 (or all)."""
    kinds = tuple(kinds)
    examples = {"week": "2026-W48", "month": "2026-11", "quarter": "2026-Q4"}
    shown = [examples.get(kind, "2026") for kind in kinds] + ["all"] * all_time
    error = f"Must be a period such as {', '.join(shown)}."
    return fields.String(
        validate=Matches(patterns.period(kinds, all_time), error=error), **kwargs
    )


OUT_OF_RANGE = "Must be between 1970 and 2199."


class _Parsed(fields.String):
    """A string that must match ``pattern``, handed on as ``parse`` reads it."""

    pattern = ""
    error = ""
    parse: Callable[[str], Any]

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"pattern": self.pattern, **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        if re.fullmatch(self.pattern, text) is None:
            raise ValidationError(self._why_not(text))
        return self.parse(text)

    def _why_not(self, text: str) -> str:
        """Say what is wrong: the year, or the form (``error``)."""
        try:
            year = self.parse(text).year
        except ValueError:
            return self.error
        return OUT_OF_RANGE if not 1970 <= year <= 2199 else self.error

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else value.isoformat()


class Moment(_Parsed):
    """A time with its offset (RFC 3339), in the years 1970 to 2199."""

    pattern = patterns.MOMENT
    error = "Must be a time with its offset, such as 2026-11-14T12:00:00Z (1970-2199)."
    parse = staticmethod(datetime.fromisoformat)


class Day(_Parsed):
    """A calendar date (YYYY-MM-DD) between 1970 and 2199."""

    pattern = patterns.DAY
    error = "Must be a date such as 2026-11-14 (1970-2199)."
    parse = staticmethod(date.fromisoformat)


def link_token_field(link: str) -> fields.String:
    """The token of a one-use link; expired, used or unknown are refused alike (410)."""
    return fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(1, 100),
        metadata={
            "description": f"The token of {link}; one expired, used or unknown is "
            "refused alike (410)."
        },
    )
