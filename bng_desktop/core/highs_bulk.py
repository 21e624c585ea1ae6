"""PuLP's in-process HiGHS interface, loading the model in bulk.

Used by the joint on-site/off-site model (``joint_model``); the allocation
model feeds HiGHS directly (``highs_model``). PuLP's own HiGHS class adds the
model one column and one row at a time
(tens of microseconds each); for tens of thousands of options that is most of
a quote's time. This subclass hands HiGHS the same model as arrays. Status
mapping, solution values and everything else stay PuLP's.
"""

from __future__ import annotations

import highspy
import numpy as np
import pulp

from .highs_model import native_stdout_discarded


class BulkHiGHS(pulp.HiGHS):
    name = "HiGHS"

    def createAndConfigureSolver(self, lp: pulp.LpProblem) -> None:
        with native_stdout_discarded():
            super().createAndConfigureSolver(lp)

    def buildSolverModel(self, lp: pulp.LpProblem) -> None:
        model = lp.solverModel
        inf = highspy.kHighsInf
        variables = lp.variables()
        sense = -1.0 if lp.sense == pulp.LpMaximize else 1.0
        for i, var in enumerate(variables):
            var.index = i
        n = len(variables)
        cost = np.array([sense * lp.objective.get(v, 0.0) for v in variables], dtype=np.float64)
        lower = np.array(
            [-inf if v.lowBound is None else v.lowBound for v in variables], np.float64
        )
        upper = np.array([inf if v.upBound is None else v.upBound for v in variables], np.float64)
        empty_i = np.zeros(0, dtype=np.int32)
        model.addCols(n, cost, lower, upper, 0, empty_i, empty_i, np.zeros(0, np.float64))
        integer = np.array([v.index for v in variables if v.cat == pulp.LpInteger], np.int32)
        if self.mip and len(integer):
            kinds = np.full(len(integer), highspy.HighsVarType.kInteger)
            model.changeColsIntegrality(len(integer), integer, kinds)
        self._add_rows(lp, model, inf)

    @staticmethod
    def _add_rows(lp: pulp.LpProblem, model: highspy.Highs, inf: float) -> None:
        starts: list[int] = []
        indices: list[int] = []
        values: list[float] = []
        lows: list[float] = []
        ups: list[float] = []
        for i, constraint in enumerate(lp.constraints()):
            constraint.index = i
            starts.append(len(indices))
            for var, coef in constraint.items():
                if coef != 0:
                    indices.append(var.index)
                    values.append(coef)
            lb, ub = constraint.getLb(), constraint.getUb()
            lows.append(-inf if lb is None else lb)
            ups.append(inf if ub is None else ub)
        if not starts:
            return
        model.addRows(
            len(starts),
            np.array(lows, np.float64),
            np.array(ups, np.float64),
            len(indices),
            np.array(starts, np.int32),
            np.array(indices, np.int32),
            np.array(values, np.float64),
        )
