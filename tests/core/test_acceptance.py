"""The eighteen worked quotes of ../shared/acceptance, on every installed solver.

Each folder was solved by an independent solver written from RULES.md. A
feasible quote must match its contract size, admin fee, bank cap, total
demand, cost after stages B/C, total and number of banks, and every
allocation line must pass ``oracle.Rules.check`` (trading rules, prices, SRM
stock use, stock caps, bank cap, each line met in full by one option). An
infeasible one must name exactly the listed lines. The greedy heuristic, where
it finds an allocation, must be legal and never cheaper than the optimum.
"""

from __future__ import annotations

import json
from fractions import Fraction
from functools import cache
from pathlib import Path

import pytest

from bng_desktop.core.errors import InfeasibleQuote
from bng_desktop.core.milp import installed_solvers
from bng_desktop.core.policy import Policy
from bng_desktop.core.quote import make_quote
from bng_desktop.core.reference import ReferenceSnapshot
from bng_desktop.core.result import QuoteRequest
from tests.shared_data import (
    SHARED,
    acceptance_cases,
    needs_shared,
    read_demand_csv,
    read_site_json,
    snapshot_from_workbook,
)

from .oracle import Rules

pytestmark = needs_shared

CASES = acceptance_cases() if SHARED.is_dir() else []
SOLVERS = installed_solvers()
TOLERANCE = 1e-6


@cache
def load(case: Path) -> tuple[ReferenceSnapshot, dict]:
    snapshot = snapshot_from_workbook(case / "backend.xlsx")
    return snapshot, json.loads((case / "expected.json").read_text(encoding="utf-8"))


def request(case: Path, solver: str) -> QuoteRequest:
    return QuoteRequest(
        read_site_json(case / "site.json"),
        read_demand_csv(case / "demand.csv"),
        Policy(solver=solver),
    )


def close(value: Fraction, expected: float) -> bool:
    return abs(float(value) - expected) <= TOLERANCE


def test_every_folder_is_here():
    assert len(CASES) == 18


@pytest.mark.parametrize(
    ("case", "solver"),
    [pytest.param(c, s, id=f"{c.name}-{s}") for c in CASES for s in SOLVERS],
)
def test_worked_quote(case: Path, solver: str):
    snapshot, expected = load(case)
    req = request(case, solver)
    if not expected["feasible"]:
        with pytest.raises(InfeasibleQuote) as caught:
            make_quote(snapshot, req)
        named = {u.demand_index for u in caught.value.lines}
        assert named == {int(i) for i in expected["lines_that_cannot_be_met"]}
        return
    quote = make_quote(snapshot, req)
    assert quote.contract_size.value == expected["contract_size"]
    assert close(quote.totals.admin_fee, expected["admin_fee"])
    assert quote.bank_cap == expected["bank_cap"]
    assert close(quote.total_demand, expected["total_demand"])
    assert close(quote.totals.optimiser_cost, expected["quote_cost"])
    optimal = expected["optimal_cost"]  # stage A; B/C may add up to min(£10, 0.01%)
    assert optimal - TOLERANCE <= quote.totals.optimiser_cost <= optimal + min(10, optimal / 1e4)
    assert close(quote.totals.total, expected["total"])
    assert len(quote.banks_used) == len(expected["banks_used"])
    assert quote.solver.name == solver and quote.solver.optimal
    Rules(snapshot, req).check(quote)


@pytest.mark.skipif(not SOLVERS, reason="no MILP solver installed")
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_greedy_is_legal_and_never_beats_the_milp(case: Path):
    snapshot, expected = load(case)
    req = request(case, "greedy")
    try:
        quote = make_quote(snapshot, req)
    except InfeasibleQuote:
        return  # the heuristic may fail where the MILP succeeds
    assert expected["feasible"], "greedy quoted a demand the rules cannot meet"
    Rules(snapshot, req).check(quote)
    assert quote.solver.name == "greedy"
    # the MILP's quote may sit up to min(£10, 0.01%) above its stage A optimum
    milp = make_quote(snapshot, request(case, SOLVERS[0])).totals.optimiser_cost
    assert quote.totals.optimiser_cost >= milp - min(10, milp / 10_000)
    assert float(quote.totals.optimiser_cost) >= expected["optimal_cost"] - TOLERANCE
