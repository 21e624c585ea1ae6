"""Why a demand cannot be met: per line, in words, with what would help."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction

from .bands import ContractSize
from .demand import ResolvedLine
from .errors import UnmetLine, UnmetReason
from .milp import Clock, no_objective
from .options import LineBank, LineSupply
from .plain_terms import line_number
from .progress import CancelToken
from .pruning import OptionUniverse
from .solver import Relaxation
from .tiers import STOCK_PER_UNIT

SPLIT_ACTION = "allow split lines so the line can draw on several stock lines or banks"
STOCK_ACTION = "reduce the units or source more stock"


def unmet_alone(
    lines: tuple[ResolvedLine, ...],
    supply: Mapping[int, LineSupply],
    universe: OptionUniverse,
    size: ContractSize,
) -> list[UnmetLine]:
    """Lines that could not be met even if they were the only line."""
    unmet = []
    for line in lines:
        groups = universe.groups_of(line.index)
        if not groups:
            unmet.append(_no_options(line, supply.get(line.index, LineSupply()), size))
            continue
        if not universe.split_lines and not any(universe.can_meet_alone(g) for g in groups):
            unmet.append(
                UnmetLine(
                    line.index,
                    line.name,
                    UnmetReason.INSUFFICIENT_STOCK_SINGLE_OPTION,
                    "not enough stock at any single option (one option per line; splitting the "
                    "line would be needed)",
                    SPLIT_ACTION,
                )
            )
        elif universe.split_lines and (capacity := _total_capacity(groups, universe)) < line.units:
            unmet.append(
                UnmetLine(
                    line.index,
                    line.name,
                    UnmetReason.INSUFFICIENT_STOCK,
                    f"not enough legal stock in all banks together for {float(line.units):g} units",
                    STOCK_ACTION,
                    needed=line.units,
                    available=capacity,
                )
            )
    return unmet


def _no_options(line: ResolvedLine, supply: LineSupply, size: ContractSize) -> UnmetLine:
    if supply.legal_stock_lines == 0:
        return UnmetLine(
            line.index,
            line.name,
            UnmetReason.NO_LEGAL_STOCK,
            "no bank holds stock that the trading rules allow for this habitat",
            "check the habitat, or source like-for-like stock from another supplier",
        )
    if supply.with_stock_left == 0:
        return UnmetLine(
            line.index,
            line.name,
            UnmetReason.STOCK_EXHAUSTED,
            "all legal stock is used up or held by other quotes",
            "change the quotes-hold policy or source more stock",
        )
    return UnmetLine(
        line.index,
        line.name,
        UnmetReason.NO_PRICE,
        f"legal stock exists but no bank has a price for it at its tier and the {size.value} "
        "contract size",
        "ask the admin to add price rows for this habitat",
    )


def _total_capacity(groups: tuple[LineBank, ...], universe: OptionUniverse) -> Fraction:
    """What all banks together could deliver to the line: a bank gives up its
    stock-per-unit factor for every unit delivered, paired or not."""
    return sum(
        (
            universe.available[stock.stock_id] / STOCK_PER_UNIT[g.tier]
            for g in groups
            for stock in g.stocks
        ),
        Fraction(0),
    )


def unmet_together(
    lines: tuple[ResolvedLine, ...], feasible: Feasibility, bank_cap: int
) -> list[UnmetLine]:
    """Each line can be met alone but not all together: find a smallest
    conflicting set (deletion filter) and say whether stock or the bank cap
    is what they compete for."""

    feasible.budget_afresh()
    conflict = deletion_filter(
        [line.index for line in lines], lambda trial: not feasible(trial, bank_cap)
    )
    cap_bound = feasible(conflict, None)
    names = {line.index: line.name for line in lines}
    split = feasible.universe.split_lines
    return [
        _conflict_line(i, names[i], conflict, cap_bound, bank_cap, split) for i in sorted(conflict)
    ]


class Feasibility:
    """Whether some allocation of a universe meets a set of lines under a
    bank cap: asked first of the banks earlier allocations used, a far
    smaller model, whose allocation, when it meets every line (a line with no
    option at those banks has no row there), is one of the whole universe
    too (the same options, stock and cap); of every bank when those banks
    have none, each such question in a model of its own: one model kept
    across them carries every earlier question's lines, stock rows and
    answer into the next, and HiGHS then takes longer to prove that none
    exists. The questions share one time budget."""

    def __init__(
        self, universe: OptionUniverse, solver: str, limit: float, cancel: CancelToken | None
    ):
        self.universe = universe
        self.solver = solver
        self.limit = limit
        self.cancel = cancel
        self.clock = Clock(limit)
        self.banks: set[str] = set()
        self.known: Relaxation | None = None

    def __call__(self, lines: set[int], cap: int | None) -> bool:
        if self.banks:
            found = self._on_known_banks().min_cost(cap, lines=lines, objective=no_objective)
            if found.allocations and {a.option.line for a in found.allocations} >= lines:
                return True
        whole = Relaxation(self.universe, self.solver, self.clock, cancel=self.cancel)
        attempt = whole.min_cost(cap, lines=lines, objective=no_objective)
        if attempt.allocations:
            self._learn({a.option.bank_id for a in attempt.allocations})
        return attempt.status != "infeasible"

    def of_every_line(self, cap: int) -> bool:
        """Whether some allocation meets the whole demand under ``cap``."""
        return self(set(self.universe.units), cap)

    def budget_afresh(self) -> None:
        """The time limit counted again from now for the questions to come."""
        self.clock = Clock(self.limit)
        self.known = None

    def _learn(self, banks: set[str]) -> None:
        if not banks <= self.banks:
            self.banks |= banks
            self.known = None

    def _on_known_banks(self) -> Relaxation:
        if self.known is None:
            positions = [n for n, g in enumerate(self.universe.groups) if g.bank_id in self.banks]
            self.known = Relaxation(
                self.universe.restricted(positions), self.solver, self.clock, cancel=self.cancel
            )
        return self.known


def deletion_filter(order: list[int], infeasible: Callable[[set[int]], bool]) -> set[int]:
    """The set the one-at-a-time deletion filter keeps (drop each line in
    ``order`` whose removal leaves the rest infeasible), tested in blocks: a
    block whose removal leaves the rest infeasible is what the filter would
    drop line by line, since dropping fewer of its lines leaves a superset of
    that infeasible rest (removing lines never makes a demand infeasible).
    The block grows after each drop and halves down to one line when the rest
    would be feasible, where the test is the filter's own."""
    conflict = set(order)
    pending = list(order)
    size = 1
    while pending:
        block = pending[:size]
        trial = conflict - set(block)
        if trial and infeasible(trial):
            conflict, pending, size = trial, pending[len(block) :], 2 * len(block)
        elif len(block) > 1:
            size = len(block) // 2
        else:
            pending, size = pending[1:], 1
    return conflict


def _conflict_line(
    index: int, name: str, conflict: set[int], cap_bound: bool, cap: int, split: bool
) -> UnmetLine:
    """A line of the smallest conflicting set; a set of one is a line that
    cannot be met even alone, though the quick capacity check let it pass."""
    competing = tuple(sorted(conflict - {index}))
    others = [line_number(i) for i in competing]
    if cap_bound:
        return UnmetLine(
            index,
            name,
            UnmetReason.BANK_CAP,
            _conflict_reason(UnmetReason.BANK_CAP, others, cap),
            "raise the bank cap" if split else "raise the bank cap, or allow split lines",
            bank_cap=cap,
            competing=competing,
        )
    return UnmetLine(
        index,
        name,
        UnmetReason.INSUFFICIENT_STOCK,
        _conflict_reason(UnmetReason.INSUFFICIENT_STOCK, others, cap),
        STOCK_ACTION if split else SPLIT_ACTION + ", or reduce the units",
        competing=competing,
    )


def _conflict_reason(code: UnmetReason, others: Sequence[int], cap: int | None) -> str:
    """Why a line in conflict cannot be met, naming the lines it conflicts
    with by ``others``, their numbers (none: it cannot be met on its own):
    a bank cap (``code`` BANK_CAP) or stock."""
    listed = ", ".join(str(n) for n in others)
    if code == UnmetReason.BANK_CAP:
        if not others:
            return f"on its own it needs more than {cap} bank(s)"
        return f"together with line(s) {listed} it needs more than {cap} bank(s)"
    if not others:
        return "not enough legal stock for it, even on its own"
    return f"competes for the same stock as line(s) {listed}; there is not enough for all"


def unmet_reason(line: UnmetLine, numbers: Sequence[int] = ()) -> str:
    """The diagnosis's reason for ``line``, naming the lines it conflicts
    with by ``numbers`` (each demand line's number as shown, by demand index;
    its place in the demand from 1 where not given, as ``line.reason`` does)."""
    if not line.competing:
        return line.reason
    others = [line_number(i, numbers) for i in line.competing]
    return _conflict_reason(line.code, others, line.bank_cap)
