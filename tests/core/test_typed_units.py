"""Demand units as typed: exact fractions, or a reason and what to type."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bng_desktop.core.number_input import NumberInputError
from bng_desktop.core.typed_units import demand_units_problem, read_demand_units, units_text


@pytest.mark.parametrize(
    ("typed", "exact"),
    [("3.4567", Fraction(34567, 10000)), ("123.456", Fraction(123456, 1000)), ("10000", 10000)],
)
def test_decimals_are_read_exactly(typed, exact):
    assert read_demand_units(typed) == exact
    assert demand_units_problem(typed) is None


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("1,5", "use a point for decimals: 1.5"),
        ("1,500", "leave out the thousands separator: 1500"),
        ("-2", "a negative number: type the units with no sign: 2"),
        ("0", "zero units"),
        ("1e3", "without an exponent"),
        ("999999999", "more than 10,000 units"),
        ("10000.0001", "more than 10,000 units"),
        ("two", "type the units as a decimal"),
    ],
)
def test_what_cannot_be_quoted_says_why_and_what_to_type(typed, says):
    with pytest.raises(NumberInputError):
        read_demand_units(typed)
    problem = demand_units_problem(typed)
    assert problem is not None and says in problem and repr(typed) in problem


@pytest.mark.parametrize(
    ("units", "shown"),
    [
        (Fraction("3.4567"), "3.4567"),
        (Fraction("3.5327"), "3.5327"),
        (Fraction("123.456"), "123.456"),
        (Fraction(2), "2.00"),
        (Fraction(999999999), "999999999.00"),
        (Fraction(2, 3), "0.6667"),
    ],
)
def test_units_are_shown_with_up_to_four_decimals_and_no_exponent(units, shown):
    assert units_text(units) == shown
