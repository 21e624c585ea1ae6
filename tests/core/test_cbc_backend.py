"""CBC as the engine runs it respects a stock row that holds a single option.

With its preprocessing on, CBC 2.10 answered this split-lines model (a stage
of a property-test quote: two lines, singleton stock rows of 0.5) "optimal"
with 1 unit drawn from the 0.5 row, and the quote wrongly said the lines
needed more banks than the cap."""

from __future__ import annotations

import pulp
import pytest

from bng_desktop.core.milp import cbc_backend, installed_solvers

pytestmark = pytest.mark.skipif("cbc" not in installed_solvers(), reason="needs CBC")


def test_a_singleton_stock_row_holds_in_a_split_lines_model():
    prob = pulp.LpProblem("split", pulp.LpMinimize)
    x = [pulp.LpVariable(f"x{i}", 0, 1 if i < 3 else 0.75) for i in range(9)]
    y = [pulp.LpVariable(f"y{k}", cat="Binary") for k in range(5)]
    prices = (9500, 9500, 22800, 9000, 9000, 9000, 9500, 9500, 9500)
    prob += pulp.lpSum(p * v for p, v in zip(prices, x, strict=True))
    prob += pulp.lpSum(y) <= 2
    prob += x[0] + x[1] + x[2] == 1
    prob += pulp.lpSum(x[3:]) == 0.75
    for i in (0, 3, 4, 5):
        prob += x[i] <= 0.5
    prob += x[0] + x[1] - y[2] <= 0
    prob += x[2] - y[3] <= 0
    prob += x[3] + x[4] + x[5] - 0.75 * y[0] <= 0
    prob += x[6] - 0.75 * y[1] <= 0
    prob += x[7] - 0.75 * y[2] <= 0
    prob += x[8] - 0.75 * y[4] <= 0
    prob.solve(cbc_backend(10))
    assert pulp.LpStatus[prob.status] == "Optimal"
    assert pulp.value(prob.objective) == pytest.approx(16250)
    for i in (0, 3, 4, 5):
        assert x[i].varValue <= 0.5 + 1e-9
