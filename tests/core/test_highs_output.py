"""HiGHS writes nothing to the process's standard output."""

from __future__ import annotations

from fractions import Fraction

from bng_desktop.core.bands import Tier
from bng_desktop.core.highs_model import HighsModel, quiet_highs
from bng_desktop.core.milp import ModelSpec, cost_objective
from bng_desktop.core.options import Option


def test_a_new_highs_instance_prints_no_banner(capfd):
    print("before", flush=True)
    highs = quiet_highs()
    x = highs.addIntegral(lb=0, ub=4)
    highs.addConstr(x >= 2)
    highs.minimize(3 * x)
    print("after", flush=True)
    assert capfd.readouterr().out == "before\nafter\n"
    assert highs.getInfo().objective_function_value == 6


def test_a_quote_solve_on_highs_prints_nothing(capfd):
    """The model kept for a quote's solves writes nothing, from creation to answer."""
    options = (Option(0, "A", Tier.LOCAL, (), 3.0), Option(0, "B", Tier.LOCAL, (), 2.0))
    spec = ModelSpec(options, {0: Fraction(1)}, {}, None, False)
    result = HighsModel().solve(spec, cost_objective(spec), 5.0)
    assert (result.status, result.values) == ("optimal", {0: 0.0, 1: 1.0})
    assert capfd.readouterr().out == ""
