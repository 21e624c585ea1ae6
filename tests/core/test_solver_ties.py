"""Ties are settled by the rules (closer tier, more stock, stable ids), never by
the solver: HiGHS and CBC return the same allocation for the same request.

Hand-built cases name the expected allocation; a property test compares the
two solvers on small random references full of ties (two prices, equal stock,
banks mostly at one tier). Both solvers must always agree on the exact cost.
Line by line they must agree whenever every bank is local and lines are
whole. Elsewhere they need not, for one reason: stage D settles ties among
the options at the unit prices the allocation it starts from already uses.
An adjacent or far pair has a blended price (3/4 of one habitat's, 1/4 of
another's), so two allocations can cost the same to the penny through
different prices (a simple option at £25,000 and two pairs at £21,250
against one at £20,000 and two at £23,750), and which one stage D starts
from is the earlier stages' choice, which differs by solver. With split lines
a pair and the same mix of two simple options draw the same stock at the same
cost, the same way. Settling those too means stage D over every option, a
full-size model at national scale.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from bng_desktop.core.bands import Band, ContractSize, Tier, UnitType
from bng_desktop.core.errors import InfeasibleQuote
from bng_desktop.core.milp import installed_solvers
from bng_desktop.core.model import (
    Bank,
    DemandLine,
    Habitat,
    PriceRow,
    ReferenceData,
    Site,
    StockLine,
)
from bng_desktop.core.policy import Policy
from bng_desktop.core.quote import make_quote
from bng_desktop.core.reference import ReferenceSnapshot, VersionInfo, content_hash
from bng_desktop.core.result import Quote, QuoteRequest

from .oracle import Rules

F = Fraction
SOLVERS = installed_solvers()
needs_two_solvers = pytest.mark.skipif(len(SOLVERS) < 2, reason="needs HiGHS and CBC")

SITE = Site(lpa="Here", lpa_neighbours=("Next",))
PLACE = {Tier.LOCAL: "Here", Tier.ADJACENT: "Next", Tier.FAR: "Away"}
LOSS = "Low grass"
SUPPLY = ("Meadow", "Pasture", "Ley")
HABITATS = (
    Habitat(LOSS, UnitType.AREA, Band.LOW, "Grassland", "Grassland"),
    *(Habitat(name, UnitType.AREA, Band.MEDIUM, "Grassland", "Grassland") for name in SUPPLY),
)


def reference(
    tiers: dict[str, Tier],
    stock: list[tuple[str, str, object]],
    prices: dict[tuple[str, str], int],
) -> ReferenceSnapshot:
    """tiers: bank -> tier of SITE; stock: (stock id "BANK-n", habitat, quantity);
    prices: (bank, habitat) -> one price for every contract size and tier."""
    data = ReferenceData(
        banks=tuple(Bank(b, f"Bank {b}", PLACE[t]) for b, t in tiers.items()),
        habitats=HABITATS,
        stock=tuple(StockLine(s, s.split("-")[0], h, F(q)) for s, h, q in stock),
        prices=tuple(
            PriceRow(b, h, size, tier, F(p))
            for (b, h), p in prices.items()
            for size in ContractSize
            for tier in Tier
        ),
    )
    return ReferenceSnapshot(data, VersionInfo(1, content_hash(data)))


def request(units: list[object], solver: str, **policy) -> QuoteRequest:
    return QuoteRequest(
        SITE, tuple(DemandLine(LOSS, F(u)) for u in units), Policy(solver=solver, **policy)
    )


def quote(snapshot: ReferenceSnapshot, req: QuoteRequest) -> Quote:
    result = make_quote(snapshot, req)
    Rules(snapshot, req).check(result)
    return result


def allocated(q: Quote) -> list[tuple]:
    return [(ln.demand_index, ln.bank_id, ln.stock_use, ln.units_supplied) for ln in q.lines]


def drawn(q: Quote) -> dict[str, Fraction]:
    out: dict[str, Fraction] = defaultdict(Fraction)
    for ln in q.lines:
        for stock_id, amount in ln.stock_use:
            out[stock_id] += amount
    return dict(out)


# ------------------------------------------------------- hand-built ties

TWO_STOCK_LINES_ONE_BANK = reference(
    {"A": Tier.LOCAL},
    [("A-2", "Pasture", 1), ("A-1", "Meadow", 1)],
    {("A", "Meadow"): 20_000, ("A", "Pasture"): 20_000},
)
TWO_BANKS_SAME_TIER = reference(
    {"B": Tier.LOCAL, "A": Tier.LOCAL},
    [("B-1", "Meadow", 1), ("A-1", "Meadow", 1)],
    {("A", "Meadow"): 20_000, ("B", "Meadow"): 20_000},
)
TWO_ADJACENT_BANKS = reference(
    {"B": Tier.ADJACENT, "A": Tier.ADJACENT},
    [("B-1", "Meadow", 4), ("A-1", "Meadow", 4)],
    {("A", "Meadow"): 20_000, ("B", "Meadow"): 20_000},
)
MORE_STOCK_AT_B = reference(
    {"A": Tier.LOCAL, "B": Tier.LOCAL},
    [("A-1", "Meadow", 1), ("B-1", "Meadow", 1), ("B-2", "Pasture", 1)],
    {("A", "Meadow"): 20_000, ("B", "Meadow"): 20_000, ("B", "Pasture"): 30_000},
)

FOUR_ADJACENT_BANKS = reference(
    {b: Tier.ADJACENT for b in ("B1", "B2", "B3", "B4")},
    [
        ("B1-1", "Pasture", 2),
        ("B1-2", "Meadow", "0.5"),
        ("B1-3", "Ley", "0.5"),
        ("B2-1", "Pasture", "0.5"),
        ("B2-2", "Ley", 2),
        ("B3-1", "Pasture", 1),
        ("B3-2", "Pasture", "1.5"),
        ("B3-3", "Ley", 1),
        ("B4-1", "Meadow", 2),
        ("B4-2", "Meadow", "0.5"),
        ("B4-3", "Ley", 2),
    ],
    {(b, h): 20_000 for b in ("B1", "B2", "B3", "B4") for h in SUPPLY},
)
"""Stage D's model here ends in "Solve error" in HiGHS 1.16's presolve; left
unsettled, HiGHS kept the lines the other way round from CBC."""

TIES = [
    (
        "two stock lines at one bank, two lines",
        TWO_STOCK_LINES_ONE_BANK,
        [1, 1],
        {},
        [(0, "A", (("A-1", F(1)),), F(1)), (1, "A", (("A-2", F(1)),), F(1))],
    ),
    (
        "two stock lines at one bank, one line",
        TWO_STOCK_LINES_ONE_BANK,
        ["0.5"],
        {},
        [(0, "A", (("A-1", F(1, 2)),), F(1, 2))],
    ),
    (
        "two stock lines at one bank, split",
        TWO_STOCK_LINES_ONE_BANK,
        ["0.5", "1.5"],
        {"split_lines": True},
        [
            (0, "A", (("A-1", F(1, 2)),), F(1, 2)),
            (1, "A", (("A-1", F(1, 2)),), F(1, 2)),
            (1, "A", (("A-2", F(1)),), F(1)),
        ],
    ),
    (
        "two banks of one tier, one line",
        TWO_BANKS_SAME_TIER,
        ["0.5"],
        {},
        [(0, "A", (("A-1", F(1, 2)),), F(1, 2))],
    ),
    (
        "two banks of one tier, two lines need both",
        TWO_BANKS_SAME_TIER,
        [1, 1],
        {},
        [(0, "A", (("A-1", F(1)),), F(1)), (1, "B", (("B-1", F(1)),), F(1))],
    ),
    (
        "two adjacent banks, stock per unit 4/3",
        TWO_ADJACENT_BANKS,
        ["1.5", "1.5"],
        {},
        [(0, "A", (("A-1", F(2)),), F(3, 2)), (1, "A", (("A-1", F(2)),), F(3, 2))],
    ),
    (
        "two lines swap two stock lines, four adjacent banks",
        FOUR_ADJACENT_BANKS,
        ["1.5", "1.5"],
        {},
        [(0, "B4", (("B4-1", F(2)),), F(3, 2)), (1, "B4", (("B4-3", F(2)),), F(3, 2))],
    ),
    (
        "the bank with more stock wins the tie",
        MORE_STOCK_AT_B,
        ["0.5"],
        {},
        [(0, "B", (("B-1", F(1, 2)),), F(1, 2))],
    ),
    (
        "minimum delivery on two equal stock lines",
        TWO_STOCK_LINES_ONE_BANK,
        ["0.002", "0.003"],
        {},
        [
            (0, "A", (("A-1", F(7, 1000)),), F(7, 1000)),
            (1, "A", (("A-1", F(3, 1000)),), F(3, 1000)),
        ],
    ),
]


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize(
    ("snapshot", "units", "policy", "expected"),
    [case[1:] for case in TIES],
    ids=[case[0] for case in TIES],
)
def test_a_tie_is_settled_by_the_rules_on_each_solver(solver, snapshot, units, policy, expected):
    assert allocated(quote(snapshot, request(units, solver, **policy))) == expected


SPLIT_TOLERANCE_TRAP = reference(
    {"B1": Tier.LOCAL, "B2": Tier.ADJACENT},
    [
        ("B1-S1", "Ley", 2),
        ("B1-S2", "Pasture", "0.5"),
        ("B1-S3", "Ley", 2),
        ("B2-S1", "Ley", 2),
        ("B2-S2", "Meadow", "1.5"),
        ("B2-S3", "Ley", 2),
    ],
    {
        ("B1", "Meadow"): 25_000,
        ("B1", "Pasture"): 20_000,
        ("B1", "Ley"): 25_000,
        ("B2", "Meadow"): 25_000,
        ("B2", "Pasture"): 25_000,
        ("B2", "Ley"): 25_000,
    },
)
"""Split lines where HiGHS overdraws the £20,000 stock line by 1e-12 units:
the stock check lowers its row by a micro-unit and the allocation found
costs half a penny more than the cheapest (0.5 - 1e-6 units at £20,000, the
rest at £25,000). Stage D then finds the exact allocation at £97,500."""


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_split_quote_is_exactly_the_cheapest_after_a_float_overdraw(solver):
    result = quote(SPLIT_TOLERANCE_TRAP, request([1, 1, 1, 1], solver, split_lines=True))
    assert result.totals.optimiser_cost == 97_500
    assert drawn(result) == {"B1-S1": 2, "B1-S2": F(1, 2), "B1-S3": F(3, 2)}
    assert all(ln.units_supplied.denominator <= 2 for ln in result.lines)


@needs_two_solvers
def test_the_split_trap_gives_the_same_lines_on_highs_and_cbc():
    highs, cbc = (
        quote(SPLIT_TOLERANCE_TRAP, request([1, 1, 1, 1], s, split_lines=True))
        for s in ("highs", "cbc")
    )
    assert allocated(highs) == allocated(cbc)


# ------------------------------------------- random references full of ties

PRICES = (20_000, 20_000, 25_000)
QUANTITIES = (F(1, 2), F(1), F(3, 2), F(2))


@st.composite
def tied_instances(draw):
    """2–4 banks mostly at one tier, 1–3 stock lines each of a few sizes,
    two price levels, 1–4 demand lines of a few sizes."""
    tier_pool = draw(st.sampled_from([[Tier.LOCAL]] * 3 + [[Tier.ADJACENT], list(Tier)]))
    banks = range(1, draw(st.integers(2, 4)) + 1)
    tiers = {f"B{n}": draw(st.sampled_from(tier_pool)) for n in banks}
    stock, prices = [], {}
    for bank in tiers:
        for n in range(1, draw(st.integers(1, 3)) + 1):
            habitat = draw(st.sampled_from(SUPPLY))
            stock.append((f"{bank}-{n}", habitat, draw(st.sampled_from(QUANTITIES))))
        for habitat in SUPPLY:
            prices[(bank, habitat)] = draw(st.sampled_from(PRICES))
    units = draw(st.lists(st.sampled_from([F(1, 2), F(1), F(3, 2)]), min_size=1, max_size=4))
    return reference(tiers, stock, prices), units, draw(st.sampled_from([False, False, True]))


def quote_or_none(snapshot: ReferenceSnapshot, req: QuoteRequest) -> Quote | None:
    try:
        return quote(snapshot, req)
    except InfeasibleQuote:
        return None


@needs_two_solvers
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(tied_instances())
def test_highs_and_cbc_settle_ties_alike(instance):
    snapshot, units, split = instance
    note(f"{snapshot.data.banks}\n{snapshot.data.stock}\n{snapshot.data.prices[::12]}")
    highs = quote_or_none(snapshot, request(units, "highs", split_lines=split))
    cbc = quote_or_none(snapshot, request(units, "cbc", split_lines=split))
    assert (highs is None) == (cbc is None)
    if highs is None or cbc is None:
        return
    assert highs.solver.optimal and cbc.solver.optimal
    assert highs.totals.optimiser_cost == cbc.totals.optimiser_cost
    local = all(ln.tier is Tier.LOCAL for ln in (*highs.lines, *cbc.lines))
    if local and not split:
        event("compared line by line")
        assert allocated(highs) == allocated(cbc)
