"""Display rounding: £50 unit prices, £1 costs, units to 2–3 decimals; stored values exact."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bng_desktop.core.exact import fraction_text, round_half_up, to_fraction
from bng_desktop.core.model import StockLine
from bng_desktop.core.number_input import read_number
from bng_desktop.core.rounding import (
    display_money,
    display_unit_price,
    display_units,
    format_money,
)
from tests.core.engine_builders import NEUTRAL, prices_for, quote, snapshot

F = Fraction


@pytest.mark.parametrize(
    ("price", "shown"),
    [
        ("125", 150),
        ("75", 100),
        ("25", 50),
        ("24.99", 0),
        ("175", 200),
        ("12525", 12550),
        ("12524.99", 12500),
        ("12575", 12600),
        ("12625", 12650),
        ("20000", 20000),
        ("20024", 20000),
        ("0", 0),
        ("100/3", 50),
    ],
    ids=lambda v: str(v),
)
def test_unit_price_to_nearest_50_half_up_not_bankers(price, shown):
    assert display_unit_price(F(price)) == shown
    assert isinstance(display_unit_price(F(price)), int)


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("0.5", 1),
        ("1.5", 2),
        ("2.5", 3),
        ("3.5", 4),
        ("0.49", 0),
        ("2.4999", 2),
        ("12345.5", 12346),
        ("1/3", 0),
        ("2/3", 1),
        ("30500", 30500),
    ],
    ids=lambda v: str(v),
)
def test_money_to_nearest_pound_half_up(amount, shown):
    assert display_money(F(amount)) == shown


@pytest.mark.parametrize(
    ("units", "shown"),
    [
        ("1.5", "1.50"),
        ("1/3", "0.333"),
        ("2/3", "0.667"),
        ("2", "2.00"),
        ("0.0005", "0.001"),
        ("0.0004", "0.00"),
        ("0.1", "0.10"),
        ("1.25", "1.25"),
        ("1.125", "1.125"),
        ("1.2345", "1.235"),
        ("0.9995", "1.00"),
        ("4/3", "1.333"),
        ("12.005", "12.005"),
        ("0", "0.00"),
    ],
    ids=lambda v: str(v),
)
def test_units_up_to_three_decimals_at_least_two(units, shown):
    assert display_units(F(units)) == shown


@pytest.mark.parametrize(
    ("value", "step", "expected"),
    [
        ("2.5", 1, 3),
        ("-2.5", 1, -3),
        ("0.005", "0.01", "0.01"),
        ("0.0049", "0.01", "0"),
        ("125", 50, 150),
        ("-125", 50, -150),
    ],
    ids=["half up", "negative half away from zero", "cents", "below half", "£50", "-£50"],
)
def test_round_half_up(value, step, expected):
    assert round_half_up(F(value), F(step)) == F(expected)


@pytest.mark.parametrize(
    ("amount", "text"),
    [(12345, "£12,345"), (0, "£0"), (-500, "-£500"), (1000000, "£1,000,000")],
    ids=["thousands", "zero", "negative", "million"],
)
def test_format_money(amount, text):
    assert format_money(amount) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [("1/3", "1/3"), ("4/3", "4/3"), ("0.1", "0.1"), ("20000", "20000"), ("52.45", "52.45")],
    ids=lambda v: str(v),
)
def test_stored_text_is_lossless(value, text):
    assert fraction_text(F(value)) == text
    assert to_fraction(fraction_text(F(value))) == F(value)


@pytest.mark.parametrize(
    ("value", "exact"),
    [(0.1, F(1, 10)), (52.45, F(5245, 100)), ("0.01", F(1, 100)), ("1250.5", F(25010, 20))],
    ids=["float 0.1", "float 52.45", "text", "larger text"],
)
def test_numbers_are_read_at_their_decimal_value(value, exact):
    assert to_fraction(value) == exact
    assert read_number(value) == exact


def test_quote_keeps_exact_fractions_and_rounds_only_for_display():
    snap = snapshot(
        stock=[StockLine("F-1", "F", NEUTRAL, F(100))],
        prices=prices_for("F", NEUTRAL, "100000/3"),
    )
    q = quote(snap, [(NEUTRAL, "1/3")])
    (line,) = q.lines
    assert line.unit_price == F(100000, 3)
    assert line.cost == F(100000, 9)
    assert line.stock_use == (("F-1", F(2, 3)),)
    assert q.totals.subtotal == F(100000, 9)
    assert q.totals.total == F(100000, 9) + 500
    assert display_unit_price(line.unit_price) == 33350
    assert display_money(line.cost) == 11111
    assert display_units(line.units_supplied) == "0.333"
    assert q.totals.display_total == 11111 + 500
