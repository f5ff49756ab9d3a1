"""What the API's patterns allow, the write side accepts: no schema-valid refusal."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from events.achievement import valid_amount
from events.base import required_text
from events.endorsement import valid_skill
from events.errors import NotFoundError
from events.periods import parse_period
from events.target import valid_value
from events.territory_plan import valid_accounts
from server.api import patterns

# Derandomized: the same examples on every run, so a run cannot flake.
EXAMPLES = settings(max_examples=100, derandomize=True, database=None)


def matching(pattern: str) -> st.SearchStrategy[str]:
    """Strings that match the whole pattern, as a client following it sends."""
    return st.from_regex(pattern, fullmatch=True)


def matches(pattern: str, text: str) -> bool:
    return re.fullmatch(pattern, text) is not None


@EXAMPLES
@given(matching(patterns.NOT_BLANK))
def test_text_that_is_not_blank_by_the_pattern_is_not_blank_to_the_write_side(text):
    assert required_text("title", text, len(text)) == text.strip()


def test_white_space_of_every_kind_is_blank_to_the_pattern():
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert not any(matches(patterns.NOT_BLANK, space * 2) for space in spaces)
    assert not matches(patterns.NOT_BLANK, "")
    assert not matches(patterns.NOT_BLANK, "\x00")
    assert not matches(patterns.STORABLE, "a\x00b")


@EXAMPLES
@given(matching(patterns.SKILL).filter(lambda s: len(s) <= 40))
def test_a_skill_the_pattern_allows_makes_a_tag(skill: str):
    assert valid_skill(skill)


def test_every_day_from_1970_to_2199_and_no_other_is_a_day():
    day, last = date(1970, 1, 1), date(2199, 12, 31)
    while day <= last:
        assert matches(patterns.DAY, day.isoformat()), day
        day += timedelta(days=1)
    for other in ("1969-12-31", "2200-01-01", "2026-02-29", "2100-02-29", "2026-04-31"):
        assert not matches(patterns.DAY, other)


@EXAMPLES
@given(matching(patterns.MOMENT))
def test_a_moment_the_pattern_allows_has_an_offset_and_a_year_in_range(text: str):
    moment = datetime.fromisoformat(text)
    assert moment.utcoffset() is not None
    assert 1970 <= moment.year <= 2199


@EXAMPLES
@given(matching(patterns.period(("week", "month", "quarter", "year"))))
def test_a_period_the_pattern_allows_names_a_period_or_a_missing_week_53(name: str):
    try:
        assert parse_period(name).name == name
    except NotFoundError:
        assert name.endswith("-W53")


@pytest.mark.parametrize(
    ("pattern", "accepts"),
    [
        (patterns.AMOUNT, valid_value),
        (patterns.AMOUNT, lambda text: valid_amount("deal_won", text)),
        (patterns.COUNT, lambda text: valid_amount("meeting", text)),
        (
            patterns.POTENTIAL,
            lambda text: valid_accounts([{"name": "A", "potential": text}]),
        ),
    ],
    ids=["target", "money", "count", "potential"],
)
@EXAMPLES
@given(data=st.data())
def test_an_amount_the_pattern_allows_is_accepted(
    pattern: str, accepts: Callable[[str], Any], data: st.DataObject
):
    accepts(data.draw(matching(pattern)))


@pytest.mark.parametrize(
    ("pattern", "inside", "outside"),
    [
        (
            patterns.AMOUNT,
            ["0.0001", "1000000000000", "1000000000000.0000"],
            ["0", "0.00001", "1000000000000.0001", "1.23456"],
        ),
        (patterns.COUNT, ["1", "1000"], ["0", "1001", "1.5"]),
        (
            patterns.POTENTIAL,
            ["0", "999999999999999.99"],
            ["1000000000000000", "1.234", "-1"],
        ),
    ],
)
def test_amounts_stop_where_the_write_side_stops(pattern, inside, outside):
    assert all(matches(pattern, text) for text in inside)
    assert not any(matches(pattern, text) for text in outside)
