"""Available stock under the quotes-hold policy, and stock use by spatial risk."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bng_desktop.core.bands import Tier
from bng_desktop.core.errors import InfeasibleQuote, PolicyError
from bng_desktop.core.model import StockLine
from bng_desktop.core.options import availability, available_stock
from bng_desktop.core.policy import Policy
from tests.core.engine_builders import (
    DITCHES,
    MODIFIED,
    NATIVE_HEDGE,
    NEUTRAL,
    SPECIES_RICH,
    prices_for,
    quote,
    snapshot,
)

F = Fraction


def _stock(quantity, excl=None, quoted=None) -> StockLine:
    as_f = lambda v: None if v is None else F(v)  # noqa: E731
    return StockLine("S", "L", NEUTRAL, F(quantity), as_f(excl), as_f(quoted))


# --- the quotes-hold policy ----------------------------------------------------

HOLD_CASES = [
    # (id, quantity, available_excl_quotes, quoted, {policy: expected})
    ("with column", "10", "8", "4", {"ignore": 8, "hold_100": 4, "hold_50": 6}),
    ("without column", "10", None, "4", {"ignore": 10, "hold_100": 6, "hold_50": 8}),
    ("no quoted", "10", "8", None, {"ignore": 8, "hold_100": 8, "hold_50": 8}),
    ("no column, no quoted", "10", None, None, {"ignore": 10, "hold_100": 10, "hold_50": 10}),
    ("column is zero", "10", "0", "4", {"ignore": 0, "hold_100": 0, "hold_50": 0}),
    ("quoted above stock", "3", None, "5", {"ignore": 3, "hold_100": 0, "hold_50": "0.5"}),
    ("quoted far above stock", "3", "2", "10", {"ignore": 2, "hold_100": 0, "hold_50": 0}),
    ("half of an odd quote", "10", None, "3", {"ignore": 10, "hold_100": 7, "hold_50": "8.5"}),
    ("negative quantity", "-2", None, None, {"ignore": 0, "hold_100": 0, "hold_50": 0}),
]


@pytest.mark.parametrize("policy", ["ignore", "hold_100", "hold_50"])
@pytest.mark.parametrize(
    ("quantity", "excl", "quoted", "expected"),
    [row[1:] for row in HOLD_CASES],
    ids=[row[0] for row in HOLD_CASES],
)
def test_available_stock(quantity, excl, quoted, expected, policy):
    available = available_stock(_stock(quantity, excl, quoted), policy)
    assert available == F(expected[policy])
    assert available >= 0
    assert isinstance(available, Fraction)


def test_availability_applies_the_policy_to_every_stock_line():
    snap = snapshot(
        stock=[
            StockLine("S1", "L", NEUTRAL, F(10), F(9), F(2)),
            StockLine("S2", "L", MODIFIED, F(5), None, F(1)),
        ]
    )
    assert availability(snap, Policy()) == {"S1": 9, "S2": 5}
    assert availability(snap, Policy(quotes_hold="hold_100")) == {"S1": 7, "S2": 4}
    assert availability(snap, Policy(quotes_hold="hold_50")) == {"S1": 8, "S2": F(9, 2)}


def test_unknown_quotes_hold_policy_is_refused():
    with pytest.raises(PolicyError, match="quotes_hold"):
        Policy(quotes_hold="hold_25")


@pytest.mark.parametrize(
    ("policy", "quotable"),
    [("ignore", True), ("hold_50", True), ("hold_100", False)],
    ids=["ignore: 8 left", "hold_50: 6 left", "hold_100: 4 left"],
)
def test_quotes_hold_policy_decides_whether_a_quote_fits(policy, quotable):
    snap = snapshot(
        stock=[StockLine("L-1", "L", NEUTRAL, F(10), F(8), F(4))],
        prices=prices_for("L", NEUTRAL, 20000),
    )
    request = [(NEUTRAL, 5)]
    if quotable:
        (line,) = quote(snap, request, policy=Policy(quotes_hold=policy)).lines
        assert line.stock_use == (("L-1", F(5)),)
    else:
        with pytest.raises(InfeasibleQuote) as caught:
            quote(snap, request, policy=Policy(quotes_hold=policy))
        assert [u.code for u in caught.value.lines] == ["insufficient_stock_single_option"]


def test_stock_held_entirely_by_quotes_is_reported_as_exhausted():
    snap = snapshot(
        stock=[StockLine("L-1", "L", NEUTRAL, F(4), None, F(4))],
        prices=prices_for("L", NEUTRAL, 20000),
    )
    with pytest.raises(InfeasibleQuote) as caught:
        quote(snap, [(NEUTRAL, 1)], policy=Policy(quotes_hold="hold_100"))
    assert [u.code for u in caught.value.lines] == ["stock_exhausted"]


# --- spatial risk: stock consumed per delivered unit, for every unit type ------

UNIT_TYPES = [
    ("area", NEUTRAL, NEUTRAL),
    ("hedgerow", NATIVE_HEDGE, SPECIES_RICH),
    ("watercourse", "Culvert", DITCHES),
]
TIER_BANKS = [("local", "L", F(1)), ("adjacent", "A", F(4, 3)), ("far", "F", F(2))]


def _one_stock(bank: str, supply: str, units) -> object:
    return snapshot(
        stock=[StockLine(f"{bank}-1", bank, supply, F(units))],
        prices=prices_for(bank, supply, 20000),
    )


@pytest.mark.parametrize(
    ("tier_id", "bank", "per_unit"), TIER_BANKS, ids=[t[0] for t in TIER_BANKS]
)
@pytest.mark.parametrize(
    ("unit_type", "demand_name", "supply"), UNIT_TYPES, ids=[u[0] for u in UNIT_TYPES]
)
def test_stock_use_follows_srm_for_every_unit_type(
    unit_type, demand_name, supply, tier_id, bank, per_unit
):
    q = quote(_one_stock(bank, supply, 100), [(demand_name, "1.5")])
    (line,) = q.lines
    assert line.tier is Tier(tier_id)
    assert line.stock_use == ((f"{bank}-1", F(3, 2) * per_unit),)
    assert line.units_supplied == F(3, 2)
    assert line.cost == F(3, 2) * 20000  # price per delivered unit, not per stock unit


@pytest.mark.parametrize(
    ("unit_type", "demand_name", "supply"), UNIT_TYPES, ids=[u[0] for u in UNIT_TYPES]
)
def test_far_bank_with_3_units_cannot_deliver_2(unit_type, demand_name, supply):
    # The old tool used 1:1 and promised 2 units from 3 [fix].
    with pytest.raises(InfeasibleQuote) as caught:
        quote(_one_stock("F", supply, 3), [(demand_name, 2)])
    assert [u.demand_index for u in caught.value.lines] == [0]


@pytest.mark.parametrize(
    ("unit_type", "demand_name", "supply"), UNIT_TYPES, ids=[u[0] for u in UNIT_TYPES]
)
def test_far_bank_with_3_units_delivers_exactly_1_5(unit_type, demand_name, supply):
    (line,) = quote(_one_stock("F", supply, 3), [(demand_name, "1.5")]).lines
    assert line.stock_use == (("F-1", F(3)),)


@pytest.mark.parametrize(
    ("units", "fits"),
    [("3", True), ("3.0001", False)],
    ids=["4 stock delivers 3", "4 stock cannot deliver 3.0001"],
)
@pytest.mark.parametrize(
    ("unit_type", "demand_name", "supply"), UNIT_TYPES, ids=[u[0] for u in UNIT_TYPES]
)
def test_adjacent_bank_gives_up_4_3_per_unit(unit_type, demand_name, supply, units, fits):
    snap = _one_stock("A", supply, 4)
    if fits:
        (line,) = quote(snap, [(demand_name, units)]).lines
        assert line.stock_use == (("A-1", F(4)),)
    else:
        with pytest.raises(InfeasibleQuote):
            quote(snap, [(demand_name, units)])


def test_two_lines_share_one_far_stock_line_by_srm():
    # Far stock of 6 serves 2 + 1 delivered units (4 + 2 stock), not 2 + 1.5.
    snap = _one_stock("F", NEUTRAL, 6)
    q = quote(snap, [(NEUTRAL, 2), (MODIFIED, 1)])
    assert sum(u for ln in q.lines for _, u in ln.stock_use) == 6
    with pytest.raises(InfeasibleQuote):
        quote(snap, [(NEUTRAL, 2), (MODIFIED, "1.5")])


def test_srm_applies_on_top_of_the_quotes_hold_policy():
    # 10 stock, 4 quoted: hold_50 leaves 8, which at far delivers 4 units.
    snap = snapshot(
        stock=[StockLine("F-1", "F", NEUTRAL, F(10), None, F(4))],
        prices=prices_for("F", NEUTRAL, 20000),
    )
    policy = Policy(quotes_hold="hold_50")
    (line,) = quote(snap, [(NEUTRAL, 4)], policy=policy).lines
    assert line.stock_use == (("F-1", F(8)),)
    with pytest.raises(InfeasibleQuote):
        quote(snap, [(NEUTRAL, "4.01")], policy=policy)
