"""A new password is long enough and not one of the most common passwords."""

from __future__ import annotations

import pytest

from events.errors import FieldRuleError, InvalidValueError
from server.password_policy import (
    MAX_LENGTH,
    MIN_LENGTH,
    check_new_password,
    common_passwords,
    is_common,
    length_problem,
)


def test_twelve_characters_are_enough_and_eleven_are_not():
    assert MIN_LENGTH == 12
    assert length_problem("x" * 11) == "Use 12 to 1024 characters."
    assert length_problem("x" * 12) is None
    assert length_problem("x" * MAX_LENGTH) is None
    assert length_problem("x" * (MAX_LENGTH + 1)) == "Use 12 to 1024 characters."


def test_the_shipped_list_holds_thousands_of_lower_case_passwords():
    passwords = common_passwords()

    assert len(passwords) > 5000
    assert all(p == p.strip().lower() and len(p) >= 8 for p in passwords)
    assert {"password", "qwertyuiop123", "123456789123"} <= passwords


@pytest.mark.parametrize(
    "password", ["qwertyuiop123", "QwertyUiop123", " 1q2w3e4r5t6y7u ", "Password1234"]
)
def test_a_common_password_is_found_whatever_its_case_and_spaces(password):
    assert is_common(password)


def test_an_uncommon_passphrase_is_not_common():
    assert not is_common("correct horse battery staple")


def test_a_short_password_is_an_invalid_value_naming_the_field():
    with pytest.raises(InvalidValueError) as refused:
        check_new_password("new_password", "wolfpack")

    assert refused.value.field == "new_password"
    assert refused.value.message == "Use 12 to 1024 characters."


def test_a_common_password_breaks_a_rule_naming_the_field():
    with pytest.raises(FieldRuleError) as refused:
        check_new_password("password", "qwertyuiop123")

    assert refused.value.field == "password"
    assert "most common" in refused.value.message


def test_a_long_uncommon_password_is_accepted():
    check_new_password("new_password", "correct horse battery staple")


@pytest.mark.parametrize(
    "password",
    [
        "123456789012",
        "098765432109",
        "zyxwvutsrqpo",
        "aaaaaaaaaaaa",
        "passwordpassword",
        "abc123abc123",
        "My Wolfpack 2027",
    ],
)
def test_runs_repeats_and_the_product_s_name_are_as_good_as_common(password):
    assert is_common(password)


@pytest.mark.parametrize(
    "password", ["correct horse battery", "a brand new passphrase", "13572468abcd"]
)
def test_a_passphrase_of_its_own_is_not_common(password):
    assert not is_common(password)
