"""The joint on-site / off-site MILP: the site's surpluses as free supply
beside the banks' options, one model, minimum purchase cost.

Variables: per bank option of a line the site may shorten, w (units
delivered, continuous) and, with one option per line, z (binary: chosen);
per option of any other line, a binary delivering all its units; per legal
(surplus, line) pair, x (units offset on site, continuous); per bank, y
(binary: used).
Rows: each line met in full by its bank units and its on-site units; at most
one bank option per line (the on-site part is the metric's offsetting, not a
purchase, so it never counts as a split); w only on a chosen option at a used
bank; stock use (w × stock per unit) within what is available; each surplus
given at most once; at most ``bank_cap`` banks (the site is not a bank); the
total bought at most ``purchase_bound``. Objective: Σ unit price × w.

A separate model rather than core/milp.py's: there a line's units are fixed
and one option delivers all of them, here a line's bought units are what the
site leaves of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

import pulp

from .errors import SolverError
from .highs_bulk import BulkHiGHS
from .milp import GAP_ABS, GAP_REL
from .options import Option

LE, EQ = pulp.LpConstraintLE, pulp.LpConstraintEQ


@dataclass(frozen=True)
class OnSiteArc:
    """Surplus ``supply`` may offset line ``line`` (the trading rules allow it)."""

    supply: int
    line: int


@dataclass(frozen=True)
class JointSpec:
    options: tuple[Option, ...]
    units: Mapping[int, Fraction]
    """Line index → units the line needs in all (on site and bought)."""
    arcs: tuple[OnSiteArc, ...]
    surplus: tuple[Fraction, ...]
    """Units of each on-site surplus."""
    available: Mapping[str, Fraction]
    bank_cap: int
    split_lines: bool
    purchase_bound: Fraction
    constrained: frozenset[str] = frozenset()
    """Stock lines that get a row (core/joint_options.py: the stock relaxation)."""


@dataclass(frozen=True)
class JointResult:
    status: str
    """optimal | feasible | infeasible | no_solution"""
    bought: dict[int, float]
    """Option position → units delivered (above zero)."""
    on_site: dict[int, float]
    """Arc position → units offset on site (above zero)."""
    cost: float | None


class JointModel:
    """A line the site cannot offset (no arc) keeps its units fixed: its options
    are plain binaries delivering all of them, as in core/milp.py; only lines
    the site may shorten get the continuous units w."""

    def __init__(self, spec: JointSpec):
        self.spec = spec
        self.prob = pulp.LpProblem("bng_joint_offsetting", pulp.LpMinimize)
        need = {line: float(u) for line, u in spec.units.items()}
        shortened = {arc.line for arc in spec.arcs}
        self.x = [
            pulp.LpVariable(f"x{a}", 0, min(need[arc.line], float(spec.surplus[arc.supply])))
            for a, arc in enumerate(spec.arcs)
        ]
        banks = sorted({o.bank_id for o in spec.options})
        self.y = {b: pulp.LpVariable(f"y{n}", cat=pulp.LpBinary) for n, b in enumerate(banks)}
        self.delivered: list[tuple[pulp.LpVariable, float]] = []
        """Per option: units delivered = variable × factor (w × 1, or z × the line's units)."""
        for i, o in enumerate(spec.options):
            if spec.split_lines or o.line in shortened:
                self.delivered.append((pulp.LpVariable(f"w{i}", 0, need[o.line]), 1.0))
            else:
                self.delivered.append((pulp.LpVariable(f"b{i}", cat=pulp.LpBinary), need[o.line]))
        self._lines(need)
        self._choices(need, shortened)
        self._surplus_rows()
        self._stock_rows()
        self._caps()
        self.prob.setObjective(self._sum(float(o.unit_price) for o in spec.options))

    def _sum(self, weights: Iterable[float]) -> pulp.LpAffineExpression:
        """Σ weight × units delivered, over the options."""
        return pulp.LpAffineExpression(
            [(v, f * c) for (v, f), c in zip(self.delivered, weights, strict=True)]
        )

    def _add(self, expr: pulp.LpAffineExpression, sense: int, rhs: float, name: str) -> None:
        self.prob.addConstraint(pulp.LpConstraint(expr, sense, name, rhs))

    def _lines(self, need: dict[int, float]) -> None:
        terms: dict[int, list] = defaultdict(list)
        for i, o in enumerate(self.spec.options):
            terms[o.line].append(self.delivered[i])
        for a, arc in enumerate(self.spec.arcs):
            terms[arc.line].append((self.x[a], 1.0))
        for line, units in sorted(need.items()):
            self._add(pulp.LpAffineExpression(terms[line]), EQ, units, f"line{line}")

    def _choices(self, need: dict[int, float], shortened: set[int]) -> None:
        """One bank option per line (unless split) and only at a used bank."""
        groups: dict[tuple[int, str], list[int]] = defaultdict(list)
        for i, o in enumerate(self.spec.options):
            groups[(o.line, o.bank_id)].append(i)
        if self.spec.split_lines:
            for n, ((line, bank), idx) in enumerate(sorted(groups.items())):
                terms = [self.delivered[i] for i in idx] + [(self.y[bank], -need[line])]
                self._add(pulp.LpAffineExpression(terms), LE, 0.0, f"use{n}")
            return
        chosen = []
        by_line: dict[int, list[int]] = defaultdict(list)
        for i, o in enumerate(self.spec.options):
            by_line[o.line].append(i)
            variable = self.delivered[i][0]
            if o.line not in shortened:
                chosen.append(variable)
                continue
            z = pulp.LpVariable(f"z{i}", cat=pulp.LpBinary)
            chosen.append(z)
            self._add(
                pulp.LpAffineExpression([(variable, 1.0), (z, -need[o.line])]), LE, 0.0, f"g{i}"
            )
        for line, idx in sorted(by_line.items()):
            if line in shortened:
                one = pulp.LpAffineExpression([(chosen[i], 1.0) for i in idx])
                self._add(one, LE, 1.0, f"one{line}")
        for n, ((_, bank), idx) in enumerate(sorted(groups.items())):
            terms = [(chosen[i], 1.0) for i in idx] + [(self.y[bank], -1.0)]
            self._add(pulp.LpAffineExpression(terms), LE, 0.0, f"use{n}")

    def _surplus_rows(self) -> None:
        by_supply: dict[int, list[int]] = defaultdict(list)
        for a, arc in enumerate(self.spec.arcs):
            by_supply[arc.supply].append(a)
        for supply, arcs in sorted(by_supply.items()):
            expr = pulp.LpAffineExpression([(self.x[a], 1.0) for a in arcs])
            self._add(expr, LE, float(self.spec.surplus[supply]), f"surplus{supply}")

    def _stock_rows(self) -> None:
        terms: dict[str, list] = defaultdict(list)
        for i, o in enumerate(self.spec.options):
            variable, factor = self.delivered[i]
            for stock_id, coef in o.stock_use.items():
                terms[stock_id].append((variable, factor * float(coef)))
        for n, stock_id in enumerate(sorted(terms.keys() & self.spec.constrained)):
            expr = pulp.LpAffineExpression(terms[stock_id])
            self._add(expr, LE, float(self.spec.available[stock_id]), f"stock{n}")

    def _caps(self) -> None:
        if self.y:
            cap = pulp.LpAffineExpression([(y, 1.0) for y in self.y.values()])
            self._add(cap, LE, float(self.spec.bank_cap), "bank_cap")
        bought = self._sum(1.0 for _ in self.spec.options)
        self._add(bought, LE, float(self.spec.purchase_bound) + 1e-9, "purchase_bound")

    def run(self, solver: str, time_limit: float) -> JointResult:
        try:
            self.prob.solve(_backend(solver, time_limit))
        except pulp.PulpSolverError as exc:
            raise SolverError(f"The {solver} solver failed: {exc}") from exc
        sol = self.prob.sol_status
        if sol == pulp.LpSolutionOptimal:
            status = "optimal"
        elif sol == pulp.LpSolutionIntegerFeasible:
            status = "feasible"
        elif self.prob.status == pulp.LpStatusInfeasible or sol == pulp.LpSolutionInfeasible:
            return JointResult("infeasible", {}, {}, None)
        else:
            return JointResult("no_solution", {}, {}, None)
        bought = {
            i: v
            for i, (variable, factor) in enumerate(self.delivered)
            if (v := factor * float(variable.varValue or 0)) > 1e-9
        }
        on_site = {a: v for a, x in enumerate(self.x) if (v := float(x.varValue or 0)) > 1e-9}
        return JointResult(status, bought, on_site, pulp.value(self.prob.objective) or 0.0)


def _backend(solver: str, time_limit: float) -> pulp.LpSolver:
    limit = max(0.05, time_limit)
    if solver == "highs":
        return BulkHiGHS(
            msg=False, timeLimit=limit, gapRel=GAP_REL, gapAbs=GAP_ABS, threads=1, random_seed=0
        )
    if solver == "cbc":
        return pulp.PULP_CBC_CMD(
            msg=False, timeLimit=max(1, round(limit)), gapRel=GAP_REL, gapAbs=GAP_ABS, threads=1
        )
    raise SolverError(f"unknown solver {solver!r}")
