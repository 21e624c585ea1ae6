"""Exact numbers: text in, text out, nothing rounded on the way."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bng_desktop.core.exact import fraction_text, to_fraction


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(7), "7"),
        (Fraction(5245, 100), "52.45"),
        (Fraction(-3, 8), "-0.375"),
        (Fraction(1, 3), "1/3"),
        (Fraction(123456789, 10**12), "0.000123456789"),
        (500 + Fraction(1, 2**26), "500.00000001490116119384765625"),  # 29 digits
    ],
)
def test_fraction_text_is_exact_and_reads_back(value, text):
    assert fraction_text(value) == text
    assert to_fraction(text) == value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (52.45, Fraction(5245, 100)),
        ("4/3", Fraction(4, 3)),
        ("-0.375", Fraction(-3, 8)),
        (3, Fraction(3)),
    ],
)
def test_to_fraction_reads_numbers_and_stored_text(raw, expected):
    assert to_fraction(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["abc", float("nan"), float("inf"), True, None, "", "1,250.5", "1,5", "1e999999999", "1/0"],
)
def test_to_fraction_refuses_what_is_not_a_number(raw):
    with pytest.raises((TypeError, ValueError)):
        to_fraction(raw)
