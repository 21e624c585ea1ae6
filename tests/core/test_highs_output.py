"""HiGHS writes nothing to the process's standard output."""

from __future__ import annotations

import pulp

from bng_desktop.core.highs_bulk import BulkHiGHS, quiet_highs


def test_a_new_highs_instance_prints_no_banner(capfd):
    print("before", flush=True)
    highs = quiet_highs()
    x = highs.addIntegral(lb=0, ub=4)
    highs.addConstr(x >= 2)
    highs.minimize(3 * x)
    print("after", flush=True)
    assert capfd.readouterr().out == "before\nafter\n"
    assert highs.getInfo().objective_function_value == 6


def test_a_pulp_solve_through_bulk_highs_prints_nothing(capfd):
    problem = pulp.LpProblem("tiny", pulp.LpMinimize)
    x = pulp.LpVariable("x", 0, 3, cat=pulp.LpInteger)
    problem += 2 * x
    problem += x >= 1
    problem.solve(BulkHiGHS(msg=False))
    assert x.varValue == 1
    assert capfd.readouterr().out == ""
