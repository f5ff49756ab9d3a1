"""What a new password must be: long enough, and not one of the most common."""

from __future__ import annotations

from functools import cache
from itertools import pairwise
from pathlib import Path

from events.errors import FieldRuleError, InvalidValueError

MIN_LENGTH = 12
MAX_LENGTH = 1024
LENGTH_RULE = f"Use {MIN_LENGTH} to {MAX_LENGTH} characters."
COMMON_PASSWORDS = Path(__file__).resolve().parent / "data" / "common_passwords.txt"


@cache
def common_passwords() -> frozenset[str]:
    """Return the most common passwords, lower-case (see server/data/README.md)."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line)


def length_problem(password: str) -> str | None:
    """Return what is wrong with the password's length, or None."""
    return None if MIN_LENGTH <= len(password) <= MAX_LENGTH else LENGTH_RULE


def is_common(password: str) -> bool:
    """Return whether the password is common or built the way guessers try first.

    Ignoring case and spaces: one of the list, the product's name in it, a short
    run repeated (``abc123abc123``, ``passwordpassword``), or a straight run of
    keys counting up or down (``123456789012``, ``zyxwvutsrqpo``).
    """
    plain = "".join(password.split()).lower()
    return (
        password.strip().lower() in common_passwords()
        or "wolfpack" in plain
        or _repeats_a_short_run(plain)
        or _counts_in_steps(plain)
    )


def _repeats_a_short_run(plain: str) -> bool:
    return any(
        len(plain) % size == 0 and plain == plain[:size] * (len(plain) // size)
        for size in range(1, min(8, len(plain) // 2) + 1)
    )


def _counts_in_steps(plain: str) -> bool:
    steps = {
        (ord(b) - ord(a)) % 10 if a.isdigit() else ord(b) - ord(a)
        for a, b in pairwise(plain)
    }
    return len(steps) == 1 and steps <= {1, -1, 9}


def check_new_password(field: str, password: str) -> None:
    """Refuse a password that is too short or too long (422) or too common (409).

    Length is a value's own property, as a schema states it; being common is a rule
    no schema can state, refused like any broken rule, naming the field.
    """
    problem = length_problem(password)
    if problem is not None:
        raise InvalidValueError(field, problem)
    if is_common(password):
        raise FieldRuleError(
            field, "That is one of the most common passwords: choose another."
        )
