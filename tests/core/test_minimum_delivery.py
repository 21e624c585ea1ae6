"""The minimum delivered total (RULES.md, *policy* 0.01 units): never short when
a legal allocation delivers it, the extra on the cheapest room first, on
HiGHS, CBC and the greedy heuristic alike."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bng_desktop.core.bands import Tier
from bng_desktop.core.milp import installed_solvers
from bng_desktop.core.minimum_delivery import (
    pad_cheapest_first,
    padded_positions,
    shortfall,
)
from bng_desktop.core.model import StockLine
from bng_desktop.core.options import Option, Part
from bng_desktop.core.policy import Policy
from bng_desktop.core.pricing import Price
from bng_desktop.core.solver import Allocation
from tests.core.engine_builders import (
    ACID,
    CALCAREOUS,
    MODIFIED,
    NEUTRAL,
    prices_for,
    quote,
    snapshot,
)

F = Fraction
SOLVERS = installed_solvers()
ENGINES = (*SOLVERS, "greedy")

SNAP = snapshot(
    stock=[StockLine("L-1", "L", NEUTRAL, F(100)), StockLine("L-2", "L", ACID, F(100))],
    prices=prices_for("L", NEUTRAL, 20000) + prices_for("L", ACID, 30000),
)


def base_quote(units, policy=None):
    """One line: `units` of Modified grassland met by Other neutral at £20,000."""
    return quote(SNAP, [(MODIFIED, units)], policy=policy)


def delivered(q) -> Fraction:
    return sum((ln.units_supplied for ln in q.lines), F(0))


def by_stock(q) -> dict[str, Fraction]:
    return {stock_id: amount for ln in q.lines for stock_id, amount in ln.stock_use}


def test_minimum_delivery_pads_a_tiny_demand_but_size_follows_the_demand():
    q = base_quote("0.005")
    (line,) = q.lines
    assert line.units_supplied == F(1, 100)
    assert line.cost == 200
    assert line.stock_use == (("L-1", F(1, 100)),)
    assert q.total_demand == F(5, 1000)
    assert (q.contract_size.value, q.totals.admin_fee) == ("fractional", 300)
    assert q.totals.total == 500
    assert any("allocation line 1 delivers the extra" in w for w in q.warnings)


@pytest.mark.parametrize("engine", ENGINES)
def test_minimum_delivery_extra_goes_on_the_cheapest_line(engine):
    snap = snapshot(
        stock=[StockLine("L-1", "L", NEUTRAL, F(1)), StockLine("L-3", "L", CALCAREOUS, F(1))],
        prices=prices_for("L", NEUTRAL, 20000) + prices_for("L", CALCAREOUS, 40000),
    )
    q = quote(snap, [(CALCAREOUS, "0.002"), (MODIFIED, "0.003")], policy=Policy(solver=engine))
    by_demand = {ln.demand_habitat: ln for ln in q.lines}
    assert (by_demand[CALCAREOUS].unit_price, by_demand[CALCAREOUS].units_supplied) == (
        40000,
        F(2, 1000),
    )
    assert (by_demand[MODIFIED].unit_price, by_demand[MODIFIED].units_supplied) == (
        20000,
        F(8, 1000),
    )
    assert by_demand[MODIFIED].cost == 160
    assert delivered(q) == F(1, 100)
    assert any("allocation line 2 delivers the extra" in w for w in q.warnings)


@pytest.mark.parametrize(
    ("units", "policy", "expected"),
    [
        ("0.01", Policy(), F(1, 100)),
        ("0.5", Policy(), F(1, 2)),
        ("0.005", Policy(min_delivery=F(0)), F(5, 1000)),
        ("0.05", Policy(min_delivery=F(1, 10)), F(1, 10)),
    ],
    ids=["exactly the minimum", "above it", "policy off", "policy 0.1"],
)
def test_minimum_delivery_policy(units, policy, expected):
    q = base_quote(units, policy=policy)
    assert q.lines[0].units_supplied == expected
    assert any("minimum delivery" in w for w in q.warnings) is (expected != F(units))


# --- 0.004 demand, a bank holding exactly 0.004 -------------------------------

EXACT_FIT = StockLine("L-1", "L", NEUTRAL, F(4, 1000))
ROOMY_DEARER = StockLine("A-1", "A", NEUTRAL, F(1))
"""At the adjacent bank: 0.01 delivered takes 4/3 × 0.01 of its stock."""


def _exact_fit_snapshot(*stock: StockLine):
    return snapshot(
        stock=stock, prices=prices_for("L", NEUTRAL, 20000) + prices_for("A", NEUTRAL, 25000)
    )


@pytest.mark.parametrize("engine", SOLVERS)
def test_a_bank_holding_exactly_the_demand_does_not_leave_the_quote_short(engine):
    """The cheapest bank has no room for the extra; the dearer one has: one
    option per line, so the whole 0.01 comes from the dearer bank."""
    snap = _exact_fit_snapshot(EXACT_FIT, ROOMY_DEARER)
    q = quote(snap, [(MODIFIED, "0.004")], policy=Policy(solver=engine))
    (line,) = q.lines
    assert (line.bank_id, line.units_supplied, line.cost) == ("A", F(1, 100), 250)
    assert by_stock(q) == {"A-1": F(1, 100) * F(4, 3)}
    assert q.total_demand == F(4, 1000)
    assert any("allocation line 1 delivers the extra" in w for w in q.warnings)


@pytest.mark.parametrize("engine", SOLVERS)
def test_split_lines_take_the_exact_fit_and_the_rest_from_the_dearer_bank(engine):
    snap = _exact_fit_snapshot(EXACT_FIT, ROOMY_DEARER)
    q = quote(snap, [(MODIFIED, "0.004")], policy=Policy(solver=engine, split_lines=True))
    assert by_stock(q) == {"L-1": F(4, 1000), "A-1": F(6, 1000) * F(4, 3)}
    assert delivered(q) == F(1, 100)
    assert q.totals.optimiser_cost == 80 + 150


@pytest.mark.parametrize("engine", ENGINES)
def test_with_no_room_anywhere_the_demand_is_delivered_as_it_stands_and_said(engine):
    q = quote(_exact_fit_snapshot(EXACT_FIT), [(MODIFIED, "0.004")], policy=Policy(solver=engine))
    (line,) = q.lines
    assert (line.bank_id, line.units_supplied) == ("L", F(4, 1000))
    assert any("no legal allocation has room for the extra" in w for w in q.warnings)


# --- partial room on the cheapest option ---------------------------------------


def _partial_room_snapshot():
    """Neutral (£20,000) has room for 0.002 beyond a 0.003 line; calcareous
    (£40,000) has plenty."""
    return snapshot(
        stock=[
            StockLine("L-1", "L", NEUTRAL, F(5, 1000)),
            StockLine("L-3", "L", CALCAREOUS, F(1)),
        ],
        prices=prices_for("L", NEUTRAL, 20000) + prices_for("L", CALCAREOUS, 40000),
    )


@pytest.mark.parametrize("split", [False, True], ids=["one option per line", "split lines"])
@pytest.mark.parametrize("engine", ENGINES)
def test_the_cheapest_room_is_filled_first_and_the_rest_goes_on_the_next(engine, split):
    policy = Policy(solver=engine, split_lines=split)
    q = quote(_partial_room_snapshot(), [(CALCAREOUS, "0.002"), (MODIFIED, "0.003")], policy=policy)
    assert by_stock(q) == {"L-1": F(5, 1000), "L-3": F(5, 1000)}
    by_demand = {ln.demand_habitat: ln.units_supplied for ln in q.lines}
    assert by_demand == {MODIFIED: F(5, 1000), CALCAREOUS: F(5, 1000)}
    assert q.totals.optimiser_cost == 100 + 200
    assert any("allocation lines 1 and 2 deliver the extra" in w for w in q.warnings)


# --- the parts ------------------------------------------------------------------


def test_shortfall_is_what_the_minimum_asks_beyond_the_demand():
    assert shortfall(F(4, 1000), F(1, 100)) == F(6, 1000)
    assert shortfall(F(1, 100), F(1, 100)) == 0
    assert shortfall(F(1), F(1, 100)) == 0


def _simple(line: int, stock_id: str, price: int) -> Option:
    part = Part(stock_id, NEUTRAL, F(1), Price(F(price), "exact", NEUTRAL), F(1))
    return Option(line, "L", Tier.LOCAL, (part,), float(price))


CHEAP, DEAR = _simple(0, "S-1", 20000), _simple(1, "S-2", 40000)
NEED = (Allocation(DEAR, F(2, 1000)), Allocation(CHEAP, F(3, 1000)))


def test_padding_fills_the_cheapest_room_then_the_next():
    available = {"S-1": F(5, 1000), "S-2": F(1)}
    padded = pad_cheapest_first(NEED, F(5, 1000), available)
    assert padded == (
        Allocation(DEAR, F(5, 1000), F(3, 1000)),
        Allocation(CHEAP, F(5, 1000), F(2, 1000)),
    )
    assert padded_positions(padded) == (0, 1)
    assert padded_positions(NEED) == ()


def test_padding_on_one_option_when_it_has_the_room():
    padded = pad_cheapest_first(NEED, F(5, 1000), {"S-1": F(1), "S-2": F(1)})
    assert padded == (NEED[0], Allocation(CHEAP, F(8, 1000), F(5, 1000)))


def test_padding_gives_up_rather_than_overdraw():
    available = {"S-1": F(4, 1000), "S-2": F(3, 1000)}
    assert pad_cheapest_first(NEED, F(5, 1000), available) == NEED
