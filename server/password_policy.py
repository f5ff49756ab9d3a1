"""What a new password must be: long enough, and not one of the most common."""

from __future__ import annotations

from functools import cache
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
    """Return whether the password is one of the most common, ignoring case."""
    return password.strip().lower() in common_passwords()


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
