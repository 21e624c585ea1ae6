"""Bank screening: the few banks, and lines at them, an optimal allocation could use.

A national reference offers most demand lines hundreds of banks, yet the bank
cap lets a quote use at most a handful, and an optimal allocation uses only
banks that are cheap across many of its lines. Screening proves which
(line, bank) pairs cannot be in any allocation within reach of the optimum, so
the staged optimisation runs on the rest; it never changes an answer.

The bound. Take the universe's options (those an optimal allocation could
need) and keep stock rows only for a set C of stock lines, which can only
lower the cost. Relax "each line met in full" with a multiplier λ[l] per line
and each stock row of C with a multiplier μ[s] ≥ 0. Per line and bank let

    r[l, b] = min over the options o of l at b of
              (cost(o) + Σ_s μ[s] · draw(o, s)) − λ[l]

(cost and draw for the whole line). A stock line's units are there only when
its bank is used (Σ draws ≤ available × used holds for every allocation and
relaxes more tightly than the plain limit), so a used bank b is credited
μ[s] · available[s] for each of its stock lines of C: with
ρ[b] = Σ_l min(0, r[l, b]) − (b's credits) and K = Σ λ[l], for any λ and
μ ≥ 0

    L = K + (sum of the ``cap`` smallest ρ[b])

is at most the cost of any allocation on at most ``cap`` banks; one that uses
bank b costs at least

    L_b = K + ρ[b] + (sum of the ``cap`` − 1 smallest ρ of the other banks),

and one that meets line l at bank b at least L_b + max(0, r[l, b]) (so one
that uses bank b at all, at least the least of these over its lines). This is
the Lagrangian relaxation of a capacitated p-median problem; its best
multipliers give the linear relaxation's bound. Within a line and bank, an
option past the first that draws on no stock of C is never needed (that one
costs no more and is free of every row), so only the options of
``OptionUniverse.relaxed(C)`` are looked at. With split lines an option may
serve part of a line; the same bounds hold for the part.

A pair whose bound exceeds a stage's cost ceiling cannot be in that stage's
answer: stage A's answer costs the optimum, stage B's at most the optimum plus
the tolerance, stage D's the cost found, all on at most ``cap`` banks (fewer
banks only raise the bound).

``screened_solve`` first solves on the banks with the lowest stock-blind
bounds (C empty, multipliers from subgradient steps). It then bounds every
pair again with the stock rows that solve needed and the optimum it found,
taking the multipliers from the duals of the linear relaxation on the pairs
kept and adding any pair that cannot be ruled out until none is left
(column generation), and solves again on the pairs that remain possible,
until a solve's pairs include every possible one. The answer is therefore the
unscreened one, found on far fewer options.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Protocol

import numpy as np

from .highs_model import linear_duals
from .milp import ModelSpec, cost_objective
from .model_arrays import ModelArrays, model_arrays
from .pruning import OptionUniverse
from .solver import Allocation, Solution, Stages

ITERATIONS = 300
"""Subgradient steps at most (each a few vectorised passes over lines × banks)."""
STALL_STEPS = 12
"""Steps without a better bound before the step size is halved."""
SMALLEST_STEP = 1e-3
FIRST_BANKS_PER_CAP = 4
"""The first solve keeps, per bank the cap allows, this many of the banks with
the lowest stock-blind bounds (and every bank within the stock-blind optimum)."""
FLOAT_MARGIN = 1e-7
"""Relative slack on every comparison: the bounds are sums of floats."""
FIRST_BANKS_PER_LINE = 2
SMALLEST_WORTH_SCREENING = 12
"""Below this many banks the staged solve is quick enough unscreened."""
PRICING_ROUNDS = 20
"""Linear relaxations solved at most to settle which pairs matter."""

INFEASIBLE_ROUNDS_BEFORE_ASKING = 2
"""Restricted solves that find no allocation before ``screened_solve`` asks
whether the whole universe has one (a first such solve is common on a
feasible demand, cheap on its few banks; a second is rare)."""

Positions = frozenset[int]
"""Groups of an OptionUniverse (line–bank pairs), by position."""


@dataclass(frozen=True)
class Screening:
    """The least an allocation can cost per bank and per pair."""

    estimate: float
    """The cost of the best stock-blind allocation met (an estimate of the optimum)."""
    bank_bounds: np.ndarray
    """No allocation that meets a line at bank k (``_Costs.banks``) costs less."""
    pair_bounds: np.ndarray
    """No allocation that meets group n's line at its bank costs less."""

    def within(self, ceiling: float) -> Positions:
        """The groups an allocation costing at most ``ceiling`` could use."""
        reach = ceiling + FLOAT_MARGIN * max(1.0, abs(ceiling))
        return frozenset(np.flatnonzero(self.pair_bounds <= reach).tolist())

    def least_outside(self, kept: Positions) -> float:
        """The least an allocation using a group outside ``kept`` can cost."""
        outside = np.ones(len(self.pair_bounds), dtype=bool)
        outside[list(kept)] = False
        return float(self.pair_bounds[outside].min()) if outside.any() else math.inf

    def tightened_by(self, other: Screening) -> Screening:
        """Both screenings' bounds hold: each bank and pair keeps the higher."""
        return Screening(
            min(self.estimate, other.estimate),
            np.maximum(self.bank_bounds, other.bank_bounds),
            np.maximum(self.pair_bounds, other.pair_bounds),
        )


def worth_screening(universe: OptionUniverse, cap: int) -> bool:
    """Whether the universe has enough banks (and no minimum-delivery extra,
    whose cost the bound leaves out) for screening to pay: more than the
    first screened solve keeps (``FIRST_BANKS_PER_CAP`` per bank the cap
    allows), else that solve is the unscreened one and the stock-blind
    bounds it was chosen by are wasted."""
    banks = {g.bank_id for g in universe.groups}
    most = max(FIRST_BANKS_PER_CAP * cap, SMALLEST_WORTH_SCREENING)
    return universe.extra <= 0 and len(banks) > most


class _Costs:
    """Each line's least cost per bank, split into what stock multipliers
    cannot change (a matrix) and the options that draw on constrained stock."""

    def __init__(
        self,
        universe: OptionUniverse,
        constrained: frozenset[str],
        blind: _Costs | None = None,
    ):
        """``blind``: the universe's costs with no stock rows, whose matrix
        holds every group's least cost (only the groups drawing on
        ``constrained`` are looked at again)."""
        lines = sorted(universe.units)
        row = {line: k for k, line in enumerate(lines)}
        need = [float(universe.units[line]) for line in lines]
        touched = universe.groups_drawing_on(constrained)
        if blind is None:
            self.banks = tuple(sorted({g.bank_id for g in universe.groups}))
            column = {b: k for k, b in enumerate(self.banks)}
            self.group_row = np.array([row[g.line] for g in universe.groups], dtype=np.int64)
            self.group_col = np.array([column[g.bank_id] for g in universe.groups], dtype=np.int64)
            self.free = self._least_costs(universe, touched, need)
        else:
            self.banks = blind.banks
            column = {b: k for k, b in enumerate(self.banks)}
            self.group_row, self.group_col = blind.group_row, blind.group_col
            self.free = blind.free.copy()
            cells = np.fromiter(touched, dtype=np.int64, count=len(touched))
            self.free[self.group_row[cells], self.group_col[cells]] = np.inf
        stock = sorted(constrained)
        self.available = np.array([float(universe.available[s]) for s in stock])
        position = {s: k for k, s in enumerate(stock)}
        line_of: list[int] = []
        bank_of: list[int] = []
        cost_of: list[float] = []
        draws: list[tuple[int, int, float]] = []
        self.stock_bank_ids: dict[str, str] = {}
        """The bank of each constrained stock line the universe offers."""
        for at in sorted(touched):
            g = universe.groups[at]
            r, c = row[g.line], column[g.bank_id]
            for stock_line in g.stocks:
                if stock_line.stock_id in position:
                    self.stock_bank_ids[stock_line.stock_id] = g.bank_id
            for option in universe.relaxed_group(g, constrained):
                n = len(cost_of)
                line_of.append(r)
                bank_of.append(c)
                cost_of.append(option.price * need[r])
                draws.extend(
                    (n, position[s], float(use) * need[r])
                    for s, use in option.stock_use.items()
                    if s in position
                )
        self.line_of = np.array(line_of, dtype=np.int64)
        self.bank_of = np.array(bank_of, dtype=np.int64)
        self.cost_of = np.array(cost_of, dtype=np.float64)
        self.draw = np.zeros((len(cost_of), len(stock)))
        for n, s, amount in draws:
            self.draw[n, s] += amount
        self.stock_bank = np.array(
            [column.get(self.stock_bank_ids.get(s, ""), -1) for s in stock], dtype=np.int64
        )
        """The bank (column) of each constrained stock line; -1: none of the universe's."""
        self.cell = self.line_of * len(self.banks) + self.bank_of

    def _least_costs(
        self, universe: OptionUniverse, touched: set[int], need: list[float]
    ) -> np.ndarray:
        """Each line's least cost per bank over the groups not ``touched``."""
        free = np.full((len(need), len(self.banks)), np.inf)
        for at, g in enumerate(universe.groups):
            if at not in touched:
                least = universe.least_price(g)
                if least is not None:
                    free[self.group_row[at], self.group_col[at]] = least * need[self.group_row[at]]
        return free


class _Lagrangian:
    """The bounds at multipliers, each bank and pair keeping the best met."""

    def __init__(self, costs: _Costs, cap: int):
        self.costs = costs
        self.cap = min(cap, len(costs.banks))
        self.blind = costs.free.copy()
        """Each line's least cost per bank, stock left out."""
        np.minimum.at(self.blind, (costs.line_of, costs.bank_of), costs.cost_of)
        finite = np.where(np.isfinite(self.blind), self.blind, np.nan)
        self.lines = np.nan_to_num(np.nanmin(finite, axis=1), nan=0.0)
        self.stock = np.zeros(len(costs.available))
        self.best_bound = -math.inf
        self.best_estimate = math.inf
        self.bank_bounds = np.full(len(costs.banks), -np.inf)
        self.pair_bounds = np.full(len(costs.group_row), -np.inf)

    def screening(self) -> Screening:
        return Screening(self.best_estimate, self.bank_bounds, self.pair_bounds)

    def ascend(self, target: float | None) -> Screening:
        """Subgradient steps from the stock-blind start, aiming at ``target``
        (a known allocation's cost) or else the best estimate met."""
        step = 2.0
        stalled = 0
        for _ in range(ITERATIONS):
            bound, line_gaps, stock_gaps, chosen = self._evaluate()
            if bound > self.best_bound + 1e-9 * max(1.0, abs(bound)):
                self.best_bound = bound
                stalled = 0
            else:
                stalled += 1
                if stalled >= STALL_STEPS:
                    step /= 2
                    stalled = 0
            self._estimate(chosen)
            aim = target if target is not None else self.best_estimate
            if not math.isfinite(aim):
                aim = abs(bound) * 1.05 + 1.0
            norm = float(line_gaps @ line_gaps + stock_gaps @ stock_gaps)
            if norm == 0 or step < SMALLEST_STEP or aim - bound <= 1e-9 * max(1.0, abs(bound)):
                break
            size = step * max(aim - bound, 1e-6 * max(1.0, abs(bound))) / norm
            self.lines = self.lines + size * line_gaps
            self.stock = np.maximum(0.0, self.stock + size * stock_gaps)
        return self.screening()

    def at(self, lines: np.ndarray, stock: np.ndarray) -> Screening:
        """The bounds at the given multipliers (μ clipped at zero)."""
        self.lines = lines
        self.stock = np.maximum(stock, 0.0)
        self._evaluate()
        return self.screening()

    def _evaluate(self) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
        """The bound at the current multipliers, the subgradients of lines and
        stock rows, and the banks the bound opens; raises each bank's and
        pair's best bound on the way."""
        costs = self.costs
        reduced = costs.free - self.lines[:, None]
        option_reduced = costs.cost_of + costs.draw @ self.stock - self.lines[costs.line_of]
        np.minimum.at(reduced, (costs.line_of, costs.bank_of), option_reduced)
        gain = np.minimum(reduced, 0.0)
        credit = self.stock * costs.available
        placed = costs.stock_bank >= 0
        rho = gain.sum(axis=0)
        np.subtract.at(rho, costs.stock_bank[placed], credit[placed])
        order = np.argsort(rho, kind="stable")
        chosen = order[: self.cap]
        base = float(self.lines.sum() - credit[~placed].sum())
        bound = base + float(rho[chosen].sum())
        forced = base + float(rho[order[: self.cap - 1]].sum()) + rho
        forced[order[: self.cap - 1]] = bound
        pairs = forced[costs.group_col] + np.maximum(reduced[costs.group_row, costs.group_col], 0)
        np.maximum(self.pair_bounds, pairs, out=self.pair_bounds)
        using = np.full(len(costs.banks), np.inf)
        np.minimum.at(using, costs.group_col, pairs)
        np.maximum(self.bank_bounds, using, out=self.bank_bounds)
        open_banks = np.zeros(len(costs.banks), dtype=bool)
        open_banks[chosen] = True
        served = (gain[:, chosen] < 0).sum(axis=1)
        stock_gaps = self._stock_gaps(gain, option_reduced, open_banks)
        return bound, 1.0 - served, stock_gaps, chosen

    def _stock_gaps(
        self, gain: np.ndarray, option_reduced: np.ndarray, open_banks: np.ndarray
    ) -> np.ndarray:
        """Each stock row's draw by the options the bound picks, less its
        stock when its bank is open."""
        costs = self.costs
        if not len(costs.available):
            return np.zeros(0)
        best = gain.ravel()[costs.cell]
        picked = (
            open_banks[costs.bank_of]
            & (option_reduced < 0)
            & (option_reduced <= best + 1e-9 * np.abs(best))
        )
        index = np.flatnonzero(picked)
        _, first = np.unique(costs.cell[index], return_index=True)
        placed = costs.stock_bank >= 0
        opened = np.ones(len(costs.available), dtype=bool)
        opened[placed] = open_banks[costs.stock_bank[placed]]
        gaps: np.ndarray = costs.draw[index[first]].sum(axis=0) - costs.available * opened
        return gaps

    def _estimate(self, chosen: np.ndarray) -> None:
        """The stock-blind cost of serving each line at the cheapest open bank."""
        cheapest = self.blind[:, chosen].min(axis=1)
        if np.all(np.isfinite(cheapest)):
            self.best_estimate = min(self.best_estimate, float(cheapest.sum()))


def screen_blind(universe: OptionUniverse, cap: int) -> tuple[Screening, _Costs]:
    """The stock-blind bounds of every bank and pair of the universe."""
    costs = _Costs(universe, frozenset())
    return _Lagrangian(costs, cap).ascend(None), costs


class SolveOn(Protocol):
    """The staged solve of a universe within a time limit (seconds), stating
    from the start the rows of ``stock_rows`` (known to bind), starting from
    ``start`` (a legal allocation, if any), running ``stages``, and taking
    stage A's answer as ``cheapest`` when it is already known."""

    def __call__(
        self,
        universe: OptionUniverse,
        seconds: float,
        /,
        *,
        stock_rows: frozenset[str] = frozenset(),
        start: tuple[Allocation, ...] = (),
        stages: Stages = Stages.ALL,
        cheapest: Solution | None = None,
    ) -> Solution | None: ...


def screened_solve(
    universe: OptionUniverse,
    cap: int,
    time_limit: float,
    tolerance: Callable[[Fraction], Fraction],
    solve: SolveOn,
    *,
    exists: Callable[[], bool] | None = None,
) -> Solution | None:
    """``solve`` on the pairs screening cannot rule out; the same answer as
    ``solve(universe, time_limit)`` (see the module's docstring). Only the
    last solve runs the stages after A, on the pairs that turned out to be
    all the possible ones. A solve on the pairs an allocation costing at
    most a ceiling could use ends the search when its own ceiling is no
    higher (it is at most the last answer's, and the bounds that ruled the
    rest out hold with any stock rows, the relaxation having fewer).

    ``exists``: whether the universe has any allocation at all, asked once
    when ``INFEASIBLE_ROUNDS_BEFORE_ASKING`` restricted solves have found
    none: a demand no allocation meets then ends there (None), rather than
    after solves on ever more banks and a last one on them all; when one
    exists the search goes on as without it."""
    if not worth_screening(universe, cap):
        return solve(universe, time_limit)
    started = time.perf_counter()

    def left() -> float:
        return max(0.05, time_limit - (time.perf_counter() - started))

    def settle(within: OptionUniverse, cheapest: Solution) -> Solution | None:
        """Stages B and D on ``within``, stage A's answer there being ``cheapest``."""
        return solve(within, left(), stock_rows=learnt, start=start, cheapest=cheapest)

    blind, costs = screen_blind(universe, cap)
    every: Positions = frozenset(range(len(universe.groups)))
    banks = FIRST_BANKS_PER_CAP * cap
    kept = _first_pairs(blind, costs, banks)
    known = blind
    learnt: frozenset[str] = frozenset()
    start: tuple[Allocation, ...] = ()
    covered = -math.inf
    """The kept pairs hold every pair an allocation costing at most this could use."""
    found_none = 0
    while True:
        if kept == every:
            return solve(universe, left(), stock_rows=learnt, start=start)
        within = universe.restricted(kept)
        cheapest = solve(within, left(), stock_rows=learnt, start=start, stages=Stages.CHEAPEST)
        if cheapest is None:
            found_none += 1
            if found_none == INFEASIBLE_ROUNDS_BEFORE_ASKING and exists and not exists():
                return None
            banks *= 2
            kept = every if banks >= len(costs.banks) else _first_pairs(blind, costs, banks)
            continue
        learnt |= cheapest.stock_rows
        start = cheapest.allocations
        if not cheapest.optimal:
            settled = settle(within, cheapest)
            return _bounded_outside(settled or cheapest, known, kept)
        cost = cheapest.optimal_cost
        ceiling = float(cost + tolerance(cost) + Fraction(1, 10**6))
        if ceiling <= covered:
            return settle(within, cheapest)
        known = _priced_in(universe, cap, kept, learnt, ceiling, known, costs)
        needed = known.within(ceiling)
        if needed <= kept:
            return settle(within, cheapest)
        kept, covered = needed, ceiling


def _first_pairs(blind: Screening, costs: _Costs, banks: int) -> Positions:
    """Every pair of the ``banks`` banks with the lowest stock-blind bounds,
    of each line's ``FIRST_BANKS_PER_LINE`` lowest-bound banks (a line few
    banks can meet keeps them), and of the banks within the stock-blind
    optimum when one was met."""
    chosen = np.zeros(len(costs.banks), dtype=bool)
    chosen[np.argsort(blind.bank_bounds, kind="stable")[:banks]] = True
    if math.isfinite(blind.estimate):
        reach = blind.estimate + FLOAT_MARGIN * max(1.0, abs(blind.estimate))
        chosen |= blind.bank_bounds <= reach
    order = np.lexsort((blind.pair_bounds, costs.group_row))
    rows = costs.group_row[order]
    rank = np.arange(len(order)) - np.searchsorted(rows, rows)
    chosen[costs.group_col[order[rank < FIRST_BANKS_PER_LINE]]] = True
    return frozenset(np.flatnonzero(chosen[costs.group_col]).tolist())


def _priced_in(
    universe: OptionUniverse,
    cap: int,
    kept: Positions,
    constrained: frozenset[str],
    ceiling: float,
    known: Screening,
    blind: _Costs,
) -> Screening:
    """``known`` tightened by the linear relaxation's multipliers until every
    pair an allocation costing at most ``ceiling`` could use is among those
    the relaxation was solved on: the multipliers of the relaxation on the
    kept pairs (stock rows on ``constrained``) bound every pair; a pair that
    cannot be ruled out joins and the relaxation is solved again."""
    costs = _Costs(universe, constrained, blind)
    for _ in range(PRICING_ROUNDS):
        multipliers = _relaxation_multipliers(
            universe.restricted(kept), cap, constrained, costs.stock_bank_ids
        )
        if multipliers is None:
            return known
        known = known.tightened_by(_Lagrangian(costs, cap).at(*multipliers))
        possible = known.within(ceiling)
        if possible <= kept:
            return known
        kept |= possible
    return known


def _relaxation_multipliers(
    universe: OptionUniverse,
    cap: int,
    constrained: frozenset[str],
    stock_banks: dict[str, str],
) -> tuple[np.ndarray, np.ndarray] | None:
    """λ per line (pounds for the whole line) and μ per constrained stock
    line (pounds per stock unit), from the duals of the linear relaxation of
    the universe's model with stock rows on ``constrained`` (each at its bank
    of ``stock_banks``)."""
    spec = ModelSpec(
        universe.relaxed(constrained),
        universe.units,
        universe.available,
        cap,
        universe.split_lines,
        constrained,
    )
    arrays = _stock_at_used_banks(model_arrays(spec), stock_banks)
    duals = linear_duals(arrays, arrays.objective_vector(cost_objective(spec)))
    if duals is None:
        return None
    lines = np.array(
        [
            duals.get(("line", line), 0.0) * (float(units) if universe.split_lines else 1.0)
            for line, units in sorted(universe.units.items())
        ]
    )
    stock = np.array([-duals.get(("stock", s), 0.0) for s in sorted(constrained)])
    return lines, stock


def _stock_at_used_banks(arrays: ModelArrays, banks: dict[str, str]) -> ModelArrays:
    """The model with each stock row's units available only at a used bank
    (Σ draws ≤ available × used): the same allocations, a tighter relaxation."""
    column = {key: k for k, key in enumerate(arrays.col_keys)}
    rows, cols, values = [], [], []
    upper = arrays.row_upper.copy()
    for r, key in enumerate(arrays.row_keys):
        if key[0] == "stock" and ("y", banks.get(key[1])) in column:
            rows.append(r)
            cols.append(column[("y", banks[key[1]])])
            values.append(-upper[r])
            upper[r] = 0.0
    if not rows:
        return arrays
    order = np.argsort(np.concatenate((arrays.entry_row, rows)), kind="stable")
    return replace(
        arrays,
        row_upper=upper,
        entry_row=np.concatenate((arrays.entry_row, rows))[order],
        entry_col=np.concatenate((arrays.entry_col, cols))[order],
        entry_value=np.concatenate((arrays.entry_value, values))[order],
    )


def _bounded_outside(solution: Solution, screening: Screening, kept: Positions) -> Solution:
    """A time-limited solution's bound, counting the pairs left out."""
    if solution.bound is None:
        return solution
    outside = screening.least_outside(kept)
    if outside >= float(solution.bound):
        return solution
    return replace(solution, bound=Fraction(outside))
