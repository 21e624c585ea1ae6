"""The allocation MILP: what it is asked (ModelSpec, an Objective), what it
answers (RunResult), and its statement in PuLP for CBC. HiGHS is fed the same
model as arrays (``model_arrays``, ``highs_model``).

Variables: per option, z (binary: chosen; one option per line) or x (units,
when lines may be split); per bank, y (binary: used).
Constraints: each line met in full; stock use (units × stock per unit) within
what is available; an option only at a used bank; at most ``bank_cap`` banks;
optionally total cost within a bound (the later stages).

A quote short of the minimum delivery has an ``extra`` to place: per option,
e (continuous, 0..extra) on top of its line, only on a chosen option (one per
line) or at a used bank (split lines); the e add up to the extra, use stock
and cost like the units they are.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Protocol

import numpy as np
import pulp

from .errors import SolverError
from .options import Option
from .progress import CancelToken

GAP_REL = 1e-9
GAP_ABS = 1e-4
LE, EQ = pulp.LpConstraintLE, pulp.LpConstraintEQ


def installed_solvers() -> tuple[str, ...]:
    """MILP solvers this installation can run, preferred first."""
    found = []
    if pulp.HiGHS(msg=False).available():
        found.append("highs")
    if pulp.PULP_CBC_CMD(msg=False).available():
        found.append("cbc")
    return tuple(found)


@dataclass(frozen=True)
class ModelSpec:
    options: tuple[Option, ...]
    units: Mapping[int, Fraction]
    available: Mapping[str, Fraction]
    bank_cap: int | None
    split_lines: bool
    constrained: frozenset[str] | None = None
    """Stock lines that get a row; None: every stock line the options could overdraw."""
    cost_bound: Fraction | None = None
    """An upper bound on total cost (later stages); None: no bound."""
    exclusions: tuple[frozenset[tuple], ...] = ()
    """Combinations of options (by key) that may not all be chosen together."""
    tightened: Mapping[str, float] = field(default_factory=dict)
    """Stock rows lowered by this many units (split lines; see solver.StockLimits)."""
    extra: Fraction = Fraction(0)
    """Units to deliver beyond the lines' needs (the minimum delivery), on any options."""


@dataclass(frozen=True)
class RunResult:
    status: str
    """optimal | feasible (stopped early with a solution) | infeasible | no_solution"""
    values: dict[int, float]
    """option position -> units (split) or 1.0 (chosen)"""
    objective: float | None
    extras: dict[int, float] = field(default_factory=dict)
    """option position -> units of the extra it delivers (none when no extra)"""
    bound: float | None = None
    """The solver's proven lower bound on this objective; None when unknown."""


@dataclass(frozen=True)
class Objective:
    """Coefficients per option position, on its units or choice and on its extra."""

    options: np.ndarray
    extras: np.ndarray
    """Empty when the spec has no extra."""


def option_scale(spec: ModelSpec) -> np.ndarray:
    """Units an option's column stands for: one (split lines) or its line's need."""
    if spec.split_lines:
        return np.ones(len(spec.options), dtype=np.float64)
    units = {line: float(u) for line, u in spec.units.items()}
    return np.array([units[o.line] for o in spec.options], dtype=np.float64)


def cost_objective(spec: ModelSpec) -> Objective:
    """Total cost: each option's price on what it delivers."""
    price = np.array([o.price for o in spec.options], dtype=np.float64)
    extras = price if spec.extra else np.zeros(0, dtype=np.float64)
    return Objective(price * option_scale(spec), extras)


def no_objective(spec: ModelSpec) -> Objective:
    """Nothing to minimise: any allocation within the rows will do (a solve
    that only asks whether one exists ends at the first it finds)."""
    count = len(spec.options)
    return Objective(np.zeros(count), np.zeros(count if spec.extra else 0))


def worst_draw(spec: ModelSpec, row: Iterable[tuple[int, float]]) -> float:
    """The most a stock row's options could draw, one option per line at its worst."""
    by_line: dict[int, float] = defaultdict(float)
    for i, c in row:
        o = spec.options[i]
        draw = c * (float(spec.units[o.line]) if spec.split_lines else 1.0)
        by_line[o.line] = max(by_line[o.line], draw)
    return sum(by_line.values())


class SolverModel(Protocol):
    """A MILP solver holding the allocation model of the specs it is given."""

    def solve(
        self,
        spec: ModelSpec,
        objective: Objective,
        time_limit: float,
        cancel: CancelToken | None = None,
    ) -> RunResult: ...

    def suggest(self, start: Mapping[tuple, float]) -> None:
        """A known legal answer, by column key (see ``model_arrays``), for the
        next solve to start from; a solver that cannot take one ignores it."""
        ...


class CbcModel:
    """CBC through PuLP: the model stated afresh for every solve."""

    def solve(
        self,
        spec: ModelSpec,
        objective: Objective,
        time_limit: float,
        cancel: CancelToken | None = None,
    ) -> RunResult:
        return PulpModel(spec).run(objective, max(0.05, time_limit))

    def suggest(self, start: Mapping[tuple, float]) -> None:
        """CBC is given no start (it is the fallback; PuLP's warm start writes files)."""


CBC_OPTIONS = ["preprocess off"]
"""CBC's preprocessing can hand back, as optimal, a split allocation that
breaks a stock row holding a single option (seen: 1 unit drawn from a stock
line of 0.5); without it the same model solves right."""


def cbc_backend(time_limit: float, preprocess: bool = False) -> pulp.PULP_CBC_CMD:
    """CBC as every solve runs it: quiet, one thread, the gaps, the options
    (its preprocessing off unless ``preprocess``)."""
    return pulp.PULP_CBC_CMD(
        msg=False,
        timeLimit=max(1, round(time_limit)),
        gapRel=GAP_REL,
        gapAbs=GAP_ABS,
        threads=1,
        options=[] if preprocess else CBC_OPTIONS,
    )


class PulpModel:
    """The allocation model of one spec as a PuLP problem."""

    def __init__(self, spec: ModelSpec):
        self.spec = spec
        self.prob = pulp.LpProblem("bng_allocation", pulp.LpMinimize)
        self._units = {line: float(u) for line, u in spec.units.items()}
        self.banks = sorted({o.bank_id for o in spec.options})
        self.y = {b: pulp.LpVariable(f"y{i}", cat=pulp.LpBinary) for i, b in enumerate(self.banks)}
        self.v = [self._option_var(i, o) for i, o in enumerate(spec.options)]
        self._scale = [1.0 if spec.split_lines else self._units[o.line] for o in spec.options]
        self._extra = float(spec.extra)
        self.e = (
            [pulp.LpVariable(f"e{i}", 0, self._extra) for i in range(len(self.v))]
            if self._extra
            else []
        )
        self._add_demand_rows()
        self._add_bank_rows()
        self._add_extra_rows()
        self._add_stock_rows()
        if spec.cost_bound is not None:
            self._row(
                self.objective(cost_objective(spec)), LE, float(spec.cost_bound), "cost_bound"
            )
        self._add_exclusions()

    def _option_var(self, i: int, option: Option) -> pulp.LpVariable:
        if self.spec.split_lines:
            return pulp.LpVariable(f"x{i}", 0, self._units[option.line])
        return pulp.LpVariable(f"z{i}", cat=pulp.LpBinary)

    def expr(self, terms: Iterable[tuple[int, float]]) -> pulp.LpAffineExpression:
        return pulp.LpAffineExpression([(self.v[i], c) for i, c in terms])

    def extra_expr(self, terms: Iterable[tuple[int, float]]) -> pulp.LpAffineExpression:
        """The extra's share of a linear expression (empty when there is no extra)."""
        if not self.e:
            return pulp.LpAffineExpression()
        return pulp.LpAffineExpression([(self.e[i], c) for i, c in terms])

    def objective(self, objective: Objective) -> pulp.LpAffineExpression:
        return self.expr(enumerate(objective.options.tolist())) + self.extra_expr(
            enumerate(objective.extras.tolist())
        )

    def _row(self, expr: pulp.LpAffineExpression, sense: int, rhs: float, name: str) -> None:
        self.prob.addConstraint(pulp.LpConstraint(expr, sense, name, rhs))

    def _add_demand_rows(self) -> None:
        by_line: dict[int, list[int]] = defaultdict(list)
        for i, o in enumerate(self.spec.options):
            by_line[o.line].append(i)
        for line, idx in sorted(by_line.items()):
            rhs = self._units[line] if self.spec.split_lines else 1.0
            self._row(self.expr((i, 1.0) for i in idx), EQ, rhs, f"line{line}")

    def _add_bank_rows(self) -> None:
        """An option only at a used bank, per (line, bank): the tight form."""
        groups: dict[tuple[int, str], list[int]] = defaultdict(list)
        for i, o in enumerate(self.spec.options):
            groups[(o.line, o.bank_id)].append(i)
        for n, ((line, bank), idx) in enumerate(sorted(groups.items())):
            big = self._units[line] if self.spec.split_lines else 1.0
            terms = [(self.v[i], 1.0) for i in idx]
            terms.append((self.y[bank], -big))
            self._row(pulp.LpAffineExpression(terms), LE, 0.0, f"use{n}")
        if self.spec.bank_cap is not None:
            cap = pulp.LpAffineExpression([(y, 1.0) for y in self.y.values()])
            self._row(cap, LE, float(self.spec.bank_cap), "bank_cap")

    def _add_extra_rows(self) -> None:
        """The extra, all of it, only on chosen options (at used banks when split)."""
        if not self.e:
            return
        for i, o in enumerate(self.spec.options):
            gate = self.y[o.bank_id] if self.spec.split_lines else self.v[i]
            self._row(
                pulp.LpAffineExpression([(self.e[i], 1.0), (gate, -self._extra)]), LE, 0.0, f"e{i}"
            )
        total = pulp.LpAffineExpression([(e, 1.0) for e in self.e])
        self._row(total, EQ, self._extra, "minimum_delivery")

    def _add_stock_rows(self) -> None:
        """Only stock lines that the options could overdraw need a row."""
        terms: dict[str, list[tuple[int, float]]] = defaultdict(list)
        extras: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, o in enumerate(self.spec.options):
            for stock_id, coef in o.stock_use.items():
                terms[stock_id].append((i, float(coef) * self._scale[i]))
                extras[stock_id].append((i, float(coef)))
        for n, stock_id in enumerate(sorted(terms)):
            row = terms[stock_id]
            available = float(self.spec.available[stock_id]) - self.spec.tightened.get(stock_id, 0)
            if self.spec.constrained is not None:
                if stock_id not in self.spec.constrained:
                    continue
            elif not self.e and worst_draw(self.spec, row) <= available:
                continue
            expr = self.expr(row) + self.extra_expr(extras[stock_id])
            self._row(expr, LE, available, f"stock{n}")

    def _add_exclusions(self) -> None:
        """No-good cuts: at most all but one of each forbidden combination."""
        position = {o.key: i for i, o in enumerate(self.spec.options)}
        for n, keys in enumerate(dict.fromkeys(self.spec.exclusions)):
            if all(k in position for k in keys):
                terms = ((position[k], 1.0) for k in keys)
                self._row(self.expr(terms), LE, float(len(keys) - 1), f"exclude{n}")

    def run(self, objective: Objective, time_limit: float) -> RunResult:
        """Solved with CBC's preprocessing off (``CBC_OPTIONS``); when CBC
        dies on the model, solved once more with its preprocessing on.

        CBC 2.10 without preprocessing crashes (a segmentation fault, no
        answer written) on a model its bound tightening proves infeasible
        ("Problem is infeasible - tightenPrimalBounds!"; coin-or/Cbc#463).
        A stage that asks for fewer banks within a cost bound is often
        such a model (seen: split lines, no one bank able to meet a line
        of 3/4 unit within the bound). With preprocessing on, CBC proves
        the same model infeasible and says so; an answer it gives that
        overdraws a stock row is caught where every answer's stock is
        checked."""
        self.prob.setObjective(self.objective(objective))
        started = time.perf_counter()
        try:
            self.prob.solve(cbc_backend(time_limit))
        except pulp.PulpSolverError:
            left = max(0.05, time_limit - (time.perf_counter() - started))
            self._solve_preprocessed(left)
        return self._result()

    def _solve_preprocessed(self, time_limit: float) -> None:
        try:
            self.prob.solve(cbc_backend(time_limit, preprocess=True))
        except pulp.PulpSolverError as exc:
            raise SolverError(f"The cbc solver failed: {exc}") from exc

    def _result(self) -> RunResult:
        sol = self.prob.sol_status
        if sol == pulp.LpSolutionOptimal:
            status = "optimal"
        elif sol == pulp.LpSolutionIntegerFeasible:
            status = "feasible"
        elif self.prob.status == pulp.LpStatusInfeasible or sol == pulp.LpSolutionInfeasible:
            return RunResult("infeasible", {}, None)
        else:
            return RunResult("no_solution", {}, None)
        values = {i: float(v.varValue or 0.0) for i, v in enumerate(self.v)}
        extras = {i: float(e.varValue or 0.0) for i, e in enumerate(self.e)}
        objective = pulp.value(self.prob.objective)
        bound = objective if status == "optimal" else None
        return RunResult(status, values, objective, extras, bound)


class Clock:
    """The time budget shared by every stage of one quote."""

    def __init__(self, limit: float):
        self.start = time.perf_counter()
        self.limit = limit

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    @property
    def remaining(self) -> float:
        return self.limit - self.elapsed
