"""The staged optimisation of RULES.md.

A: minimum total cost. B/C: the fewest banks whose minimum cost stays within
min(£10, 0.01%) of A, found by lowering the bank cap one bank at a time; each
step is a minimum-cost solve, so its answer is also C (cheapest with those
banks). D: among allocations of exactly that cost on those banks, the closest
tiers, then the banks with more stock, then a stable order, so results are
deterministic and sensible rather than an accident of the solver.

Each minimum-cost solve works on a relaxation that enforces stock only where
a solution overdrew it, adding those stock lines and solving again until the
answer is within every stock line. A relaxation's optimum is never above the
true optimum, so the first answer that fits the stock is the true optimum.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from typing import Any

import numpy as np

from .errors import QuoteCancelled, SolverError, SolverTimedOut
from .milp import (
    GAP_ABS,
    CbcModel,
    Clock,
    ModelSpec,
    Objective,
    RunResult,
    SolverModel,
    cost_objective,
)
from .options import Option
from .progress import CancelToken, ProgressCallback, no_progress
from .pruning import OptionUniverse

COST_EPSILON = 1e-6


@dataclass(frozen=True)
class Allocation:
    option: Option
    units: Fraction
    extra: Fraction = Fraction(0)
    """The part of ``units`` delivered beyond the line's need (the minimum delivery)."""


@dataclass(frozen=True)
class Solution:
    allocations: tuple[Allocation, ...]
    solver: str
    status: str
    optimal: bool
    stages: tuple[str, ...]
    seconds: float
    optimal_cost: Fraction
    """Stage A's minimum cost (before bank consolidation)."""
    options: int = 0
    shortened: bool = False
    """The time limit cut the later stages (fewer banks, ties) short."""
    bound: Fraction | None = None
    """The proven lower bound on the cheapest allocation's cost (equal to
    ``optimal_cost`` when proven); None when no solver proved one."""
    stock_rows: frozenset[str] = frozenset()
    """The stock lines whose limit the solves had to state (the rest never bound)."""

    @property
    def cost(self) -> Fraction:
        return selection_cost(self.allocations)

    @property
    def banks(self) -> frozenset[str]:
        return frozenset(a.option.bank_id for a in self.allocations)


def selection_cost(allocations: tuple[Allocation, ...]) -> Fraction:
    return sum((a.option.unit_price * a.units for a in allocations), Fraction(0))


def overdraws(
    allocations: tuple[Allocation, ...], available: Mapping[str, Fraction]
) -> dict[str, Fraction]:
    """Stock lines drawn beyond what is available, exactly, and by how much."""
    used: dict[str, Fraction] = defaultdict(Fraction)
    for a in allocations:
        for stock_id, coef in a.option.stock_use.items():
            used[stock_id] += coef * a.units
    return {s: u - available[s] for s, u in used.items() if u > available[s]}


@dataclass(frozen=True)
class Attempt:
    status: str
    """optimal | feasible | infeasible | time_limit (no legal answer in time) |
    unsettled (time left, but the rounds or the solver gave up: a solver failure)"""
    allocations: tuple[Allocation, ...] | None
    bound: Fraction | None = None
    """A proven lower bound on the best allocation's objective; None when unknown."""

    @property
    def proven(self) -> bool:
        return self.status == "optimal"


Heuristic = Callable[[int | None, tuple[Allocation, ...]], tuple[Allocation, ...] | None]
"""A legal allocation within a bank cap found without a solver, or None;
given the last relaxation's answer (overdrawing some stock) as a start, if any."""


MAX_ROUNDS = 50
OUT_OF_TIME = 0.1
"""Seconds left below which a solve that stopped without an answer ran out of time."""
TIGHTEN = 1e-6
"""Units a stock row is tightened by, beyond the exact overdraw, when the
solver's own tolerance let a split allocation past it."""


class StockLimits:
    """What one minimum-cost solve has learnt about stock.

    New overdrawn stock lines get a row. A row the solver already had but
    overdrew within its float tolerance (a stock of 1.3333333333333333 for a
    4/3 draw) gets, with one option per line, a cut that forbids exactly that
    combination of options on it (no allocation containing it can fit), and
    with split lines, its limit lowered by the overdraw and a micro-unit.
    """

    def __init__(self, constrained: frozenset[str] = frozenset()) -> None:
        self.constrained = constrained
        self.no_goods: list[frozenset[tuple]] = []
        self.tightened: dict[str, float] = {}

    def learn(
        self, over: Mapping[str, Fraction], allocations: tuple[Allocation, ...], split: bool
    ) -> None:
        known = set(over) & self.constrained
        self.constrained |= frozenset(over)
        for stock_id in sorted(known):
            if split:
                self.tightened[stock_id] = (
                    self.tightened.get(stock_id, 0.0) + float(over[stock_id]) + TIGHTEN
                )
            else:
                self.no_goods.append(
                    frozenset(a.option.key for a in allocations if stock_id in a.option.stock_use)
                )

    def exclusions(self) -> tuple[frozenset[tuple], ...]:
        return tuple(self.no_goods)


class Relaxation:
    """Minimum-cost solves over an option universe, adding stock rows as needed."""

    def __init__(
        self,
        universe: OptionUniverse,
        solver: str,
        clock: Clock,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
        heuristic: Heuristic | None = None,
        stock_rows: frozenset[str] = frozenset(),
        start: tuple[Allocation, ...] = (),
    ):
        self.universe = universe
        self.solver = solver
        self.clock = clock
        self.progress = progress
        self.cancel = cancel
        self.heuristic = heuristic
        self.largest_model = 0
        self.fraction = 0.0
        """Where the current stage stands on the progress bar."""
        self.stock_rows = stock_rows
        """Every stock line a solve here had to state a row for (each solve
        states them from the start: they are real limits, and known to bind)."""
        self.model = solver_model(solver)
        """One model for every solve of this relaxation (HiGHS keeps it, CBC restates it)."""
        if start:
            self.model.suggest(start_values(start, universe.split_lines))

    def min_cost(
        self,
        cap: int | None,
        bound: Fraction | None = None,
        lines: set[int] | None = None,
        label: str = "",
        objective: Callable[[ModelSpec], Objective] = cost_objective,
        last_resort: bool = False,
    ) -> Attempt:
        """The best allocation under ``cap`` and ``bound`` (minimum cost unless
        another ``objective`` is given), exactly within every stock line.
        Rounds add a row for each stock line an answer overdrew; the last
        round states every stock line the options could overdraw, so a
        demand beyond the stock of many lines (each round moving on to the
        next) still ends in a legal answer or an exact infeasibility.

        When time runs out before an answer fits the stock, the attempt is
        ``time_limit`` with the relaxations' bound, or, with ``last_resort``,
        the best legal allocation one more solve (over every stock line) or
        the heuristic can give."""
        limits = StockLimits(self.stock_rows)
        units = self.universe.units
        if lines is not None:
            units = {i: u for i, u in units.items() if i in lines}
        proven_bound: Fraction | None = None
        overdrawn: tuple[Allocation, ...] = ()
        for round_number in range(1, MAX_ROUNDS + 1):
            every_row = round_number == MAX_ROUNDS
            spec = self._spec(limits, units, cap, bound, lines, None if every_row else frozenset())
            self.largest_model = max(self.largest_model, len(spec.options))
            result = self.run(spec, objective(spec))
            if result.status == "infeasible":
                return Attempt(result.status, None)
            proven_bound = _higher(proven_bound, _lower_bound(result))
            if result.status == "no_solution":
                break
            allocations = to_allocations(spec, result)
            over = overdraws(allocations, self.universe.available)
            if not over:
                return Attempt(result.status, allocations, proven_bound)
            overdrawn = allocations
            limits.learn(over, allocations, self.universe.split_lines or spec.extra > 0)
            self.stock_rows |= limits.constrained
            if label:
                self.progress(
                    "solve",
                    self.fraction,
                    f"{label}: limiting {len(limits.constrained)} stock line(s)",
                )
            if self.clock.remaining <= 0:
                break
        if self.clock.remaining > OUT_OF_TIME:
            return Attempt("unsettled", None, proven_bound)
        if last_resort:
            return self._last_resort(limits, units, cap, lines, proven_bound, overdrawn)
        return Attempt("time_limit", None, proven_bound)

    def _spec(
        self,
        limits: StockLimits,
        units: Mapping[int, Fraction],
        cap: int | None,
        bound: Fraction | None,
        lines: set[int] | None,
        constrained: frozenset[str] | None = frozenset(),
        more: tuple[Option, ...] = (),
    ) -> ModelSpec:
        """The relaxation that knows ``limits``; ``constrained=None`` puts a
        row on every stock line its options could overdraw instead."""
        options = self.universe.relaxed(limits.constrained, lines)
        if more:
            known = {o.key for o in options}
            options += tuple(o for o in more if o.key not in known)
        return ModelSpec(
            options,
            units,
            self.universe.available,
            cap,
            self.universe.split_lines,
            limits.constrained if constrained is not None else None,
            bound,
            limits.exclusions(),
            limits.tightened,
            self.universe.extra,
        )

    def _last_resort(
        self,
        limits: StockLimits,
        units: Mapping[int, Fraction],
        cap: int | None,
        lines: set[int] | None,
        proven_bound: Fraction | None,
        overdrawn: tuple[Allocation, ...],
    ) -> Attempt:
        """The time ran out before an answer fitted the stock: one more solve,
        for a bounded grace time, in which every stock line the options could
        overdraw has its row (so any answer is legal), offered the heuristic's
        allocation's options too; the cheaper of its answer and the
        heuristic's (which starts from the last, ``overdrawn`` answer). Proven
        only when it meets the relaxations' bound."""
        self.progress("solve", self.fraction, "Out of time: keeping the best legal allocation")
        found = self.heuristic(cap, overdrawn) if self.heuristic is not None else None
        seed = tuple(a.option for a in found or ())
        spec = self._spec(limits, units, cap, None, lines, None, seed)
        self.largest_model = max(self.largest_model, len(spec.options))
        result = self.run(spec, cost_objective(spec), time_limit=grace_seconds(self.clock.limit))
        candidates = [found] if found is not None else []
        if result.status in ("optimal", "feasible"):
            solved = to_allocations(spec, result)
            if not overdraws(solved, self.universe.available):
                candidates.append(solved)
        if not candidates:
            return Attempt("time_limit", None, proven_bound)
        best = min(candidates, key=selection_cost)
        cost = selection_cost(best)
        proven = proven_bound is not None and cost <= proven_bound + Fraction(GAP_ABS)
        return Attempt("optimal" if proven else "feasible", best, proven_bound)

    def run(
        self, spec: ModelSpec, objective: Objective, time_limit: float | None = None
    ) -> RunResult:
        if self.cancel is not None:
            self.cancel.check()
        seconds = self.clock.remaining if time_limit is None else time_limit
        result = self.model.solve(spec, objective, max(0.05, seconds), self.cancel)
        if self.cancel is not None and self.cancel.cancelled:
            raise QuoteCancelled()
        return result


def solver_model(solver: str) -> SolverModel:
    """The model a relaxation's solves share, on ``solver``."""
    if solver == "highs":
        from .highs_model import HighsModel

        return HighsModel()
    if solver == "cbc":
        return CbcModel()
    raise SolverError(f"unknown solver {solver!r}")


def start_values(allocations: tuple[Allocation, ...], split_lines: bool) -> dict[tuple, float]:
    """A legal allocation as values of the model's columns (``model_arrays``)."""
    values: dict[tuple, float] = {}
    for a in allocations:
        values[("v", a.option.key)] = float(a.units) if split_lines else 1.0
        values[("y", a.option.bank_id)] = 1.0
    return values


GRACE_SHARE = 0.25
GRACE_MIN_SECONDS = 1.0


def grace_seconds(limit: float) -> float:
    """How long the last, every-stock-line solve may run after the time limit."""
    return max(GRACE_MIN_SECONDS, GRACE_SHARE * limit)


def _at_most(bound: Fraction | None, cost: Fraction) -> Fraction | None:
    """A float bound a hair above the exact cost it bounds is the cost."""
    return None if bound is None else min(bound, cost)


def _lower_bound(result: RunResult) -> float | None:
    """What one relaxation round proved: the solver's bound, or the
    relaxation's optimum when the solver gives none."""
    if result.bound is not None:
        return result.bound
    return result.objective if result.status == "optimal" else None


def _higher(known: Fraction | None, bound: float | None) -> Fraction | None:
    """The better of two lower bounds (each relaxation's bound is one for the
    true optimum: a relaxation never costs more)."""
    if bound is None:
        return known
    exact = Fraction(bound)
    return exact if known is None else max(known, exact)


def to_allocations(spec: ModelSpec, result: RunResult) -> tuple[Allocation, ...]:
    if spec.split_lines:
        needed = _split_allocations(spec, result.values)
    else:
        needed = tuple(
            Allocation(spec.options[i], spec.units[spec.options[i].line])
            for i, v in sorted(result.values.items())
            if v > 0.5
        )
    if spec.extra <= 0:
        return needed
    return _with_extras(spec, needed, result.extras)


def _exact_parts(values: dict[int, float], total: Fraction) -> list[tuple[int, Fraction]]:
    """Solver floats back to exact amounts that sum to ``total`` exactly."""
    parts = [(i, Fraction(v).limit_denominator(10**6)) for i, v in sorted(values.items())]
    parts = [(i, u) for i, u in parts if u > 0]
    if not parts:
        return []
    gap = total - sum(u for _, u in parts)
    biggest = max(range(len(parts)), key=lambda k: parts[k][1])
    parts[biggest] = (parts[biggest][0], parts[biggest][1] + gap)
    return [(i, u) for i, u in parts if u > 0]


def _with_extras(
    spec: ModelSpec, needed: tuple[Allocation, ...], extras: dict[int, float]
) -> tuple[Allocation, ...]:
    """The lines' allocations with the minimum delivery's extra added where the
    solver put it (an option serving only the extra gets its own allocation)."""
    extra = dict(_exact_parts({i: v for i, v in extras.items() if v > 1e-9}, spec.extra))
    position = {o.key: i for i, o in enumerate(spec.options)}
    out = []
    for a in needed:
        more = extra.pop(position[a.option.key], Fraction(0))
        out.append(Allocation(a.option, a.units + more, more) if more else a)
    out.extend(Allocation(spec.options[i], u, u) for i, u in sorted(extra.items()))
    return tuple(sorted(out, key=lambda a: (a.option.line, a.option.key)))


def _split_allocations(spec: ModelSpec, values: dict[int, float]) -> tuple[Allocation, ...]:
    """Solver floats back to exact units that sum to each line's need exactly."""
    by_line: dict[int, list[tuple[int, Fraction]]] = defaultdict(list)
    for i, v in sorted(values.items()):
        if v > 1e-7:
            by_line[spec.options[i].line].append((i, Fraction(v).limit_denominator(10**6)))
    out: list[Allocation] = []
    for line, parts in sorted(by_line.items()):
        gap = spec.units[line] - sum(u for _, u in parts)
        biggest = max(range(len(parts)), key=lambda k: parts[k][1])
        parts[biggest] = (parts[biggest][0], parts[biggest][1] + gap)
        out.extend(Allocation(spec.options[i], u) for i, u in parts if u > 0)
    return tuple(out)


def tie_weight(rank: int, count: int) -> int:
    """Stage D's weight for the option ranked ``rank`` (1 = preferred) of ``count``.

    Rising with the rank, so one line always takes its best-ranked option; and
    strictly concave, so no two allocations of the same options tie: when two
    lines could swap two options (ranks a < b < c < d, a + d = b + c, the
    sums of plain ranks are equal), keeping a with d weighs 2(b − a)(c − a)
    less than b with c, a whole number the solvers cannot round away. Equal
    weights would leave the choice to the solver, and HiGHS and CBC choose
    differently."""
    return rank * (2 * count + 2) - rank * rank


class Stages(Enum):
    """Which stages a staged solve runs."""

    ALL = "all"
    """A (cheapest), B (fewer banks), D (ties)."""
    CHEAPEST = "cheapest"
    """Stage A only: the cheapest allocation, as the solver found it."""


class StagedSolver:
    def __init__(
        self,
        universe: OptionUniverse,
        solver: str,
        *,
        bank_cap: int,
        time_limit: float,
        tolerance: Callable[[Fraction], Fraction],
        tie_score: Callable[[Option], tuple],
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
        heuristic: Heuristic | None = None,
        stock_rows: frozenset[str] = frozenset(),
        start: tuple[Allocation, ...] = (),
        stages: Stages = Stages.ALL,
        cheapest: Solution | None = None,
    ):
        self.universe = universe
        self.bank_cap = bank_cap
        self.wanted = stages
        self.cheapest = cheapest
        """Stage A's answer on this universe, when already found (stage A is not run again)."""
        self.tolerance = tolerance
        self.tie_score = tie_score
        self.progress = progress
        self.clock = Clock(time_limit)
        self.relaxation = Relaxation(
            universe, solver, self.clock, progress, cancel, heuristic, stock_rows, start
        )
        self.stages: list[str] = []
        self.skipped = False
        """True when the time limit cut stages B–D short (or left them unproven)."""

    def solve(self) -> Solution | None:
        """The staged solution, or None when no allocation exists. When the
        time limit ends stage A with a legal allocation, that allocation, not
        proven cheapest, with the proven bound; stages B–D cut by time keep
        the best legal allocation found before them."""
        first = self._stage_a()
        if first.status == "infeasible":
            return None
        if first.status == "unsettled":
            raise SolverError("The solver could not settle the stock limits; another solver may.")
        if first.allocations is None:
            raise SolverTimedOut(
                f"No legal allocation was found within the time limit of {self.clock.limit:g} s "
                f"(and a further {grace_seconds(self.clock.limit):g} s looking for any legal "
                "one); raise the time limit in the policy and try again."
            )
        optimal_cost = selection_cost(first.allocations)
        bound = optimal_cost if first.proven else _at_most(first.bound, optimal_cost)
        best = first.allocations
        if self.wanted is Stages.ALL:
            best = self._break_ties(self._fewer_banks(best, optimal_cost))
        return Solution(
            best,
            self.relaxation.solver,
            "optimal" if first.proven else "time_limit",
            first.proven,
            tuple(self.stages),
            self.clock.elapsed,
            optimal_cost,
            self.relaxation.largest_model,
            self.skipped,
            bound,
            self.relaxation.stock_rows,
        )

    def _stage_a(self) -> Attempt:
        """Stage A's answer: found here, or the one already found."""
        self.stages.append("A")
        if self.cheapest is not None:
            known = self.cheapest
            self.relaxation.stock_rows |= known.stock_rows
            status = "optimal" if known.optimal else "feasible"
            return Attempt(status, known.allocations, known.bound)
        self._stage(0.1, "Stage A: finding the cheapest allocation")
        return self.relaxation.min_cost(self.bank_cap, label="Stage A", last_resort=True)

    def _fewer_banks(
        self, best: tuple[Allocation, ...], optimal_cost: Fraction
    ) -> tuple[Allocation, ...]:
        bound = optimal_cost + self.tolerance(optimal_cost) + Fraction(1, 10**6)
        cap = len({a.option.bank_id for a in best}) - 1
        if cap >= 1 and not self._time_left():
            self.skipped = True
        while cap >= 1 and self._time_left():
            self._stage(0.6, f"Stage B: can {cap} bank(s) do it within the tolerance?")
            attempt = self.relaxation.min_cost(cap, bound, label=f"Stage B ({cap} banks)")
            self.stages.append(f"B{cap}")
            if attempt.status == "time_limit" or attempt.status == "feasible":
                self.skipped = True
            if attempt.allocations is None:
                break
            best = attempt.allocations
            cap = len({a.option.bank_id for a in best}) - 1
        return best

    def _break_ties(self, best: tuple[Allocation, ...]) -> tuple[Allocation, ...]:
        """Among allocations of the same cost on no more banks, drawing on the
        unit prices the found one draws on (any line may take any of them, so
        lines that could trade units at two prices are settled too), the
        closest tiers, then banks with more stock, then the stable order.
        (Ties reached through other prices that happen to offset each other
        to the penny are not looked for.)"""
        if not self._time_left():
            self.skipped = True
            return best
        self._stage(0.9, "Stage D: settling ties (closer tier, larger bank)")
        cost = selection_cost(best)
        used = frozenset(a.option.unit_price for a in best)
        options = self.universe.same_price_options(dict.fromkeys(self.universe.units, used))
        spec = ModelSpec(
            options,
            self.universe.units,
            self.universe.available,
            len({a.option.bank_id for a in best}),
            self.universe.split_lines,
            None,
            cost + Fraction(1, 10**6),
            extra=self.universe.extra,
        )
        settled_already = self._already_settled(best, spec)
        if settled_already is not None:
            self.stages.append("D")
            return settled_already
        result = self.relaxation.run(spec, self._tie_objective(spec))
        self.stages.append("D")
        if result.status in ("feasible", "no_solution"):
            self.skipped = True
        if result.status not in ("optimal", "feasible"):
            return best
        settled = to_allocations(spec, result)
        if selection_cost(settled) > cost or overdraws(settled, self.universe.available):
            return best
        return settled

    def _already_settled(
        self, best: tuple[Allocation, ...], spec: ModelSpec
    ) -> tuple[Allocation, ...] | None:
        """``best`` as stage D would give it back, when no run is needed: one
        option per line, no extra, and each line already on the option of its
        line that stage D prefers most. Stage D's weights rise with the
        preference and differ by whole numbers, so every other allocation of
        its model weighs at least one more, and ``best`` (within its cost,
        bank count and stock) is the one answer it can give. None otherwise."""
        if spec.split_lines or spec.extra > 0:
            return None
        preferred: dict[int, tuple[tuple, int]] = {}
        for i, option in enumerate(spec.options):
            score = (self.tie_score(option), i)
            if option.line not in preferred or score < preferred[option.line]:
                preferred[option.line] = score
        chosen = {a.option.line: a.option.key for a in best}
        if len(chosen) != len(best) or chosen.keys() != preferred.keys():
            return None
        position = {}
        for line, (_, i) in preferred.items():
            if spec.options[i].key != chosen[line]:
                return None
            position[line] = i
        return tuple(sorted(best, key=lambda a: position[a.option.line]))

    def _tie_objective(self, spec: ModelSpec) -> Objective:
        options = spec.options
        order = sorted(range(len(options)), key=lambda i: self.tie_score(options[i]))
        weights = np.zeros(len(options), dtype=np.float64)
        for position, i in enumerate(order):
            weights[i] = float(tie_weight(position + 1, len(options)))
        extras = weights / float(spec.extra) if spec.extra > 0 else np.zeros(0)
        if self.universe.split_lines:
            weights = weights / np.array([float(spec.units[o.line]) for o in options])
        return Objective(weights, extras)

    def _time_left(self) -> bool:
        return self.clock.remaining > 0.05

    def _stage(self, fraction: float, message: str) -> None:
        self.relaxation.fraction = fraction
        self.progress("solve", fraction, message)


def solve_staged(universe: OptionUniverse, solver: str, **kwargs: Any) -> Solution | None:
    """The staged solution (timed from the solver's own clock), or None when infeasible."""
    return StagedSolver(universe, solver, **kwargs).solve()
