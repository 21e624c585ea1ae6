"""One reader for every number a person or a file gives: exact, bounded, explained."""

from __future__ import annotations

import time
from decimal import Decimal
from fractions import Fraction

import pytest

from bng_desktop.core.number_input import (
    NOT_NEGATIVE,
    POSITIVE,
    NumberInputError,
    NumberRule,
    read_number,
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("3.4567", Fraction(34567, 10000)),
        ("123.456", Fraction(123456, 1000)),
        (" 2 ", Fraction(2)),
        (".5", Fraction(1, 2)),
        ("7.", Fraction(7)),
        ("+1.25", Fraction(5, 4)),
        ("1e-3", Fraction(1, 1000)),
        ("2.5E2", Fraction(250)),
        (52.45, Fraction(5245, 100)),
        (3, Fraction(3)),
        (Decimal("0.1"), Fraction(1, 10)),
        (Fraction(4, 3), Fraction(4, 3)),
        ("999999999", Fraction(999999999)),
    ],
)
def test_numbers_are_read_exactly_as_written(given, expected):
    assert read_number(given) == expected


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("1,5", "use a point for decimals: 1.5"),
        ("1,000", "leave out the thousands separator: 1000"),
        ("12,345.5", "leave out the thousands separator: 12345.5"),
        ("1.234,50", "use a point for decimals and no thousands separator: 1234.50"),
        ("-12.345.678,9", "no thousands separator: -12345678.9"),
        ("=SUM(A1:A2)", "a spreadsheet formula; type the number it gives"),
        ("@SUM(A1)", "a spreadsheet formula"),
        ("nan", "not a finite number"),
        ("-inf", "not a finite number"),
        (float("nan"), "not a finite number"),
        (float("inf"), "not a finite number"),
        ("1e999999999", "exponent out of range"),
        ("9" * 10_000, "too long"),
        (lambda: 10**10_000, "far too large"),
        ("\ufeff1.5", "invisible character"),
        ("1 000", "leave out the spaces: 1000"),
        ("£12", "without a currency"),
        ("1/3", "as a decimal"),
        ("abc", "not a number"),
        ("", "empty"),
        (None, "empty"),
        (True, "yes/no"),
    ],
)
def test_bad_numbers_are_refused_saying_what_to_type(given, says):
    given = given() if callable(given) else given
    started = time.perf_counter()
    with pytest.raises(NumberInputError) as refused:
        read_number(given)
    assert says in str(refused.value)
    assert time.perf_counter() - started < 1


def test_the_message_shows_a_long_value_shortened():
    with pytest.raises(NumberInputError) as refused:
        read_number("9" * 10_000)
    assert "10,000 characters" in str(refused.value)
    assert len(str(refused.value)) < 120


@pytest.mark.parametrize(
    ("rule", "given", "says"),
    [
        (NOT_NEGATIVE, "-2", "must be at least 0"),
        (POSITIVE, "0", "must be more than 0"),
        (NumberRule(minimum=0, maximum=10_000), "10000.01", "must be at most 10,000"),
        (NumberRule(whole=True), "2.5", "whole number"),
        (NumberRule(exponent_allowed=False), "1e3", "without an exponent"),
    ],
)
def test_rules_say_which_bound_was_broken(rule, given, says):
    with pytest.raises(NumberInputError) as refused:
        read_number(given, rule)
    assert says in str(refused.value)


def test_bounds_are_inclusive_unless_excluded():
    assert read_number("0", NOT_NEGATIVE) == 0
    assert read_number("10000", NumberRule(maximum=10_000)) == 10_000


def test_the_error_is_a_value_error_for_callers_that_catch_those():
    with pytest.raises(ValueError, match="'1,5' — use a point"):
        read_number("1,5")
