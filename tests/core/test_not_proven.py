"""Never an error where an answer exists: a time limit that ends stage A
with a legal allocation returns it, not proven cheapest, with the proven
lower bound; a time-out is not a reason to start another solver."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bng_desktop.core import bank_screening, milp
from bng_desktop.core import solver as solver_module
from bng_desktop.core.highs_model import HighsModel
from bng_desktop.core.model import StockLine
from bng_desktop.core.plain_terms import solver_outcome
from bng_desktop.core.policy import Policy
from bng_desktop.core.quote import make_quote
from bng_desktop.core.result import QuoteRequest
from bng_desktop.core.rounding import format_money
from tests.core.engine_builders import (
    ADJACENT_BANK,
    LOCAL_BANK,
    MODIFIED,
    NEUTRAL,
    SITE,
    demand,
    prices_for,
)
from tests.core.engine_builders import snapshot as engine_snapshot
from tests.shared_data import (
    generate_reference,
    needs_shared,
    read_demand_csv,
    read_site_json,
    snapshot_from_workbook,
)
from tests.timeouts import DEMAND, RELAXATION_COST, shared_stock_case, time_up_after_the_first_solve

from .oracle import Rules

SOLVERS = milp.installed_solvers()


@pytest.fixture(params=SOLVERS or [pytest.param(None, marks=pytest.mark.skip("no MILP solver"))])
def solver(request) -> str:
    return request.param


def timed_request(solver: str) -> QuoteRequest:
    return QuoteRequest(SITE, demand(*DEMAND), Policy(solver=solver))


def test_time_up_in_the_stock_rounds_gives_a_legal_quote_with_its_bound(solver, monkeypatch):
    snapshot, request = shared_stock_case(), timed_request(solver)
    cheapest = Rules(snapshot, request).brute_force()
    assert cheapest is not None
    time_up_after_the_first_solve(monkeypatch)
    quote = make_quote(snapshot, request)
    Rules(snapshot, request).check(quote)
    info, cost = quote.solver, quote.totals.optimiser_cost
    assert (info.name, info.status, info.optimal) == (solver, "time_limit", False)
    assert info.bound is not None and info.gap is not None
    assert info.bound <= cheapest.optimal_cost <= cost
    assert info.bound == RELAXATION_COST  # the first relaxation's optimum, all it proved
    assert info.gap == (cost - info.bound) / info.bound
    assert solver_outcome(info).startswith("Not proven cheapest")
    assert not any("not proven" in w.lower() for w in quote.warnings), "said twice"


def test_the_not_proven_answer_says_how_far_it_may_be_from_the_cheapest(monkeypatch):
    time_up_after_the_first_solve(monkeypatch)
    quote = make_quote(shared_stock_case(), timed_request(SOLVERS[0]))
    info = quote.solver
    above = quote.totals.optimiser_cost - info.bound
    percent = above / info.bound * 100
    assert solver_outcome(info) == (
        f"Not proven cheapest — at most {format_money(above)} ({float(percent):g} %) "
        "above the cheapest possible"
    )


def test_a_proven_quote_carries_its_cost_as_the_bound(solver):
    quote = make_quote(shared_stock_case(), timed_request(solver))
    assert quote.solver.optimal
    assert (quote.solver.bound, quote.solver.gap) == (quote.totals.optimiser_cost, 0)


def test_no_second_solver_is_started_after_a_time_out(monkeypatch):
    """CBC is the fallback when HiGHS fails, not a fresh start after a time-out."""
    asked: list[str] = []
    real = solver_module.solver_model

    def spy(solver):
        asked.append(solver)
        return real(solver)

    monkeypatch.setattr(solver_module, "solver_model", spy)
    time_up_after_the_first_solve(monkeypatch)
    request = QuoteRequest(SITE, demand(*DEMAND), Policy(solver="auto"))
    quote = make_quote(shared_stock_case(), request)
    assert not quote.solver.optimal
    assert asked and set(asked) == {SOLVERS[0]}, asked


def test_the_relaxation_answer_is_repaired_when_no_solve_finds_a_legal_one(monkeypatch):
    """Time up after the first round, the last solve finding nothing and the
    plain greedy heuristic failing: the first round's answer (both lines on
    the cheap bank's one unit) is made legal by moving one line."""
    from bng_desktop.core import quote as quote_module

    solves: list[str] = []

    class FirstOnly(HighsModel):
        def solve(self, spec, objective, time_limit, cancel=None):
            solves.append("highs")
            if len(solves) == 1:
                return super().solve(spec, objective, time_limit, cancel)
            self.highs.setOptionValue("presolve", "off")
            return super().solve(spec, objective, 0.0, cancel)

    monkeypatch.setattr(solver_module, "solver_model", lambda solver: FirstOnly())
    monkeypatch.setattr(quote_module, "greedy_allocation", lambda *args: None)
    time_up_after_the_first_solve(monkeypatch)
    snapshot, request = shared_stock_case(), timed_request(SOLVERS[0])
    quote = make_quote(snapshot, request)
    Rules(snapshot, request).check(quote)
    assert len(solves) == 2 and not quote.solver.optimal
    assert quote.solver.bound == RELAXATION_COST
    assert sorted(ln.bank_id for ln in quote.lines) == ["A", "L"]


def test_the_greedy_heuristic_opens_the_bank_that_serves_most_lines_when_the_cap_binds():
    """Cap 1: the cheapest bank for the first line cannot serve the second,
    so taking it first leaves no legal way on; the bank that serves both does."""
    snapshot = engine_snapshot(
        banks=(LOCAL_BANK, ADJACENT_BANK),
        stock=(
            StockLine("L-1", "L", MODIFIED, Fraction(5)),
            StockLine("A-1", "A", MODIFIED, Fraction(5)),
            StockLine("A-2", "A", NEUTRAL, Fraction(5)),
        ),
        prices=(
            *prices_for("L", MODIFIED, 10_000),
            *prices_for("A", MODIFIED, 25_000),
            *prices_for("A", NEUTRAL, 30_000),
        ),
    )
    request = QuoteRequest(
        SITE, demand((MODIFIED, 1), (NEUTRAL, 1)), Policy(solver="greedy", bank_cap_small=1)
    )
    quote = make_quote(snapshot, request)
    Rules(snapshot, request).check(quote)
    assert quote.solver.name == "greedy" and quote.banks_used == ("A",)


@pytest.mark.slow
@needs_shared
def test_a_large_generated_instance_at_a_tiny_time_limit_is_quoted_legally(tmp_path, monkeypatch):
    """200 banks × 30 lines over every bank (screened, it is proven within
    the limit) needs two stock rounds in stage A; 0.05 s ends it after the
    first (or before): the quote is legal, says it is not proven, and any
    bound it carries is below its cost."""
    monkeypatch.setattr(bank_screening, "worth_screening", lambda universe, cap: False)
    workbook, demand_csv, site_json = generate_reference(tmp_path, 200, 1, 30)
    snapshot = snapshot_from_workbook(workbook)
    request = QuoteRequest(
        read_site_json(site_json),
        read_demand_csv(demand_csv),
        Policy(time_limit_seconds=Fraction(1, 20)),
    )
    quote = make_quote(snapshot, request)
    Rules(snapshot, request).check(quote)
    assert (quote.solver.status, quote.solver.optimal) == ("time_limit", False)
    assert quote.solver.bound is None or quote.solver.bound <= quote.totals.optimiser_cost
    assert "Not proven cheapest" in solver_outcome(quote.solver)
