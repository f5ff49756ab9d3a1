"""What well-formed input looks like, as the regular expressions the API states.

Each is written once and used twice: by the field that checks it on the way in,
and as the field's ``pattern`` in /api/openapi.json, so that a client generated
from the document sends nothing the server refuses as invalid. They use only
what ECMA-262 (JSON Schema's dialect) and Python's ``re`` read alike: no ``\\s``
or ``\\d``, whose meanings differ between the two.
"""

from __future__ import annotations

from collections.abc import Iterable

# White space as str.strip() and str.split() see it (str.isspace()), spelled out.
SPACE = (
    r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f"
    r"\u3000"
)
# Any text the stores can keep: no NUL (server/input_guard.py refuses it anywhere).
STORABLE = r"^[^\x00]*$"
# Text that is not blank: at least one character that is neither NUL nor space.
NOT_BLANK = rf"^[^\x00]*[^\x00{SPACE}][^\x00]*$"

# A skill, before it becomes a tag: letters, digits, spaces and - + # . & /, with a
# letter or digit. (Not "İ", which lower-cases to two characters, one no letter.)
_SKILL_CHARACTER = rf"(?:[^\W\u0130]|[{SPACE}+#.&/-])"
SKILL = rf"^{_SKILL_CHARACTER}*[^\W_\u0130]{_SKILL_CHARACTER}*$"

# Calendar dates from 1970 to 2199, every one that exists and no other.
_YEAR = r"(?:19[7-9][0-9]|2[01][0-9]{2})"
_LEAP_YEAR = (
    r"(?:19(?:7[26]|8[048]|9[26])|20(?:[02468][048]|[13579][26])"
    r"|21(?:0[48]|[2468][048]|[13579][26]))"
)
_DATE = (
    rf"(?:{_YEAR}-(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    rf"|{_YEAR}-(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    rf"|{_YEAR}-02-(?:0[1-9]|1[0-9]|2[0-8])"
    rf"|{_LEAP_YEAR}-02-29)"
)
_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?"
_OFFSET = r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
DAY = rf"^{_DATE}$"
# A time (RFC 3339) that says its offset from UTC; fractions of seconds optional.
MOMENT = rf"^{_DATE}T{_TIME}{_OFFSET}$"

# Calendar periods, in years 1970 to 9998. Week 53 exists only in some years:
# naming it in another is answered 404 (there is no such week).
_PERIOD_YEAR = r"(?:19[7-9][0-9]|[2-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])"
_PERIODS = {
    "week": rf"{_PERIOD_YEAR}-W(?:0[1-9]|[1-4][0-9]|5[0-3])",
    "month": rf"{_PERIOD_YEAR}-(?:0[1-9]|1[0-2])",
    "quarter": rf"{_PERIOD_YEAR}-Q[1-4]",
    "year": _PERIOD_YEAR,
}
ALL_TIME = "all"


def period(kinds: Iterable[str], all_time: bool = False) -> str:
    """Return the pattern of a period of these kinds (and ``all``, if allowed)."""
    choices = [_PERIODS[kind] for kind in kinds] + ([ALL_TIME] if all_time else [])
    return rf"^(?:{'|'.join(choices)})$"


# Money and targets: more than 0, at most 10^12, at most 4 decimal places.
AMOUNT = (
    r"^(?:[1-9][0-9]{0,11}(?:\.[0-9]{1,4})?|1000000000000(?:\.0{1,4})?"
    r"|0\.(?:[1-9][0-9]{0,3}|0[1-9][0-9]{0,2}|00[1-9][0-9]?|000[1-9]))$"
)
# A currency: ISO 4217's form, three capital letters.
CURRENCY = r"^[A-Z]{3}$"
# A count of meetings, courses...: a whole number from 1 to 1000.
COUNT = r"^(?:[1-9][0-9]{0,2}|1000)$"
# An account's potential: from 0 to below 10^15, at most 2 decimal places.
POTENTIAL = r"^(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,2})?$"
