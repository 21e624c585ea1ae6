"""What each constraint costs: re-solves with one binding rule relaxed, and
with each chosen bank left out."""

from __future__ import annotations

from fractions import Fraction

from bng_desktop.core.alternatives import Relaxation, alternatives, variants
from bng_desktop.core.bands import ContractSize
from bng_desktop.core.model import Bank, StockLine
from bng_desktop.core.quote import make_quote
from tests.core.engine_builders import (
    BRACKEN,
    CEREAL,
    MODIFIED,
    NEUTRAL,
    prices_for,
    quote,
    snapshot,
)

F = Fraction
BANKS = tuple(Bank(f"L{n}", f"Local {n}", lpa="Winchester", nca="South Downs") for n in (1, 2, 3))


def three_cheap_banks():
    """Each Low line is cheapest at its own bank (£10,000); L1 also sells
    Medium grassland at £20,000 — the best two-bank answer uses it."""
    stock = (
        StockLine("L1-A", "L1", MODIFIED, F(1)),
        StockLine("L1-B", "L1", NEUTRAL, F(10)),
        StockLine("L2-A", "L2", CEREAL, F(1)),
        StockLine("L3-A", "L3", BRACKEN, F(1)),
    )
    prices = (
        *prices_for("L1", MODIFIED, 10_000),
        *prices_for("L1", NEUTRAL, 20_000),
        *prices_for("L2", CEREAL, 10_000),
        *prices_for("L3", BRACKEN, 10_000),
    )
    return snapshot(banks=BANKS, stock=stock, prices=prices)


def solve(snap, request):
    return make_quote(snap, request)


def test_a_binding_bank_cap_reports_the_saving_of_one_more_bank() -> None:
    snap = three_cheap_banks()
    answer = quote(snap, [(MODIFIED, 1), (CEREAL, 1), (BRACKEN, 1)])
    assert answer.bank_cap == 2 and len(answer.banks_used) == 2
    found = alternatives(answer, snap, solve)
    by_kind = {(a.relaxation, a.bank_id): a for a in found}
    more = by_kind[(Relaxation.ONE_MORE_BANK, "")]
    relaxed = next(v for v in variants(answer, snap) if v.relaxation is Relaxation.ONE_MORE_BANK)
    resolved = make_quote(relaxed.snapshot, relaxed.request)
    assert more.difference == resolved.totals.total - answer.totals.total == -10_000
    assert more.description == "Allowing a third bank would save £10,000."
    assert more.proven
    without_l1 = by_kind[(Relaxation.WITHOUT_BANK, "L1")]
    assert without_l1.total is None
    assert without_l1.description == "Without Local 1 the demand cannot be met."
    assert found[0] is more, "savings come first"


def test_nothing_binding_reports_nothing() -> None:
    stock = (StockLine("L1-A", "L1", MODIFIED, F(5)), StockLine("L2-A", "L2", MODIFIED, F(5)))
    prices = (*prices_for("L1", MODIFIED, 12_000), *prices_for("L2", MODIFIED, 12_000))
    snap = snapshot(banks=BANKS, stock=stock, prices=prices)
    answer = quote(snap, [(MODIFIED, 1)])
    assert [v.relaxation for v in variants(answer, snap)] == [
        Relaxation.SPLIT_LINES,
        Relaxation.WITHOUT_BANK,
    ]
    assert alternatives(answer, snap, solve) == ()


def test_leaving_out_a_chosen_bank_reports_what_the_next_best_costs() -> None:
    stock = (StockLine("L1-A", "L1", MODIFIED, F(5)), StockLine("L2-A", "L2", MODIFIED, F(5)))
    prices = (
        *prices_for("L1", MODIFIED, 12_000, sizes=tuple(ContractSize)),
        *prices_for("L2", MODIFIED, 15_100),
    )
    snap = snapshot(banks=BANKS, stock=stock, prices=prices)
    answer = quote(snap, [(MODIFIED, 1)])
    (only,) = alternatives(answer, snap, solve)
    assert only.relaxation is Relaxation.WITHOUT_BANK and only.bank_id == "L1"
    assert only.difference == 3_100
    assert only.description == "Without Local 1 the cheapest is £3,100 more."
