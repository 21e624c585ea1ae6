"""The greedy heuristic: the answer when no MILP solver can run at all, and
a legal allocation for a solver the time limit stopped.

Lines in input order; each takes the cheapest option that still fits the
remaining stock and the bank cap (with split lines, it fills from the
cheapest options in turn). It proves nothing and may fail where the MILP
would succeed; quotes made with it say so. ``repaired_allocation`` starts
instead from a relaxation's answer that overdraws some stock.

Options are drawn per line in price order, lazily, from the line's groups
(see :func:`_price_ordered`): a line stops as soon as it is met, so a
national quote builds a few options per line, not every option of the
universe (hundreds of thousands at 1,000 banks).
"""

from __future__ import annotations

import heapq
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from fractions import Fraction
from functools import partial
from itertools import chain

from .errors import SolverTimedOut
from .options import LineBank, Option
from .progress import CancelToken
from .pruning import OptionUniverse, price_slack
from .solver import Allocation

_Class = tuple[bool, int]
"""Where a group's options come in a line's order: classes in order, each in
price order (see ``_opening``)."""

_SIMPLE, _PAIR, _PAIRS_AHEAD = 0, 1, 2
"""Kinds of entry in a line's price-ordered merge: the k-th simple option of
a group, the j-th of its pairs in price order, and a stand-in for pairs not
yet planned (priced at a bound no pair goes below)."""


class _Budget:
    """The cancel token and an optional deadline (``time.perf_counter``),
    checked between batches of options."""

    def __init__(self, cancel: CancelToken | None, deadline: float | None):
        self.cancel = cancel
        self.deadline = deadline

    def check(self) -> None:
        if self.cancel is not None:
            self.cancel.check()
        if self.deadline is not None and time.perf_counter() > self.deadline:
            raise SolverTimedOut(
                "The quick heuristic ran out of time before finding an allocation."
            )


def greedy_allocation(
    universe: OptionUniverse,
    bank_cap: int,
    cancel: CancelToken | None = None,
    deadline: float | None = None,
) -> tuple[Allocation, ...] | None:
    """Lines in order, each on its cheapest option that fits; when the bank
    cap stops that, once more with the lines fewest banks can serve first,
    each opening the bank that can serve most of the lines still to do.
    Past ``deadline`` (``time.perf_counter``) it raises SolverTimedOut."""
    budget = _Budget(cancel, deadline)
    found = _greedy_pass(universe, bank_cap, sorted(universe.units), budget)
    if found is not None:
        return found
    banks_of = {
        line: {g.bank_id for g in universe.groups_of(line) if universe.can_meet_alone(g)}
        for line in universe.units
    }
    if len(set().union(*banks_of.values())) <= bank_cap:
        return None
    serves: dict[str, int] = defaultdict(int)
    for banks in banks_of.values():
        for bank in banks:
            serves[bank] += 1
    order = sorted(universe.units, key=lambda line: (len(banks_of[line]), line))
    return _greedy_pass(universe, bank_cap, order, budget, serves)


def _greedy_pass(
    universe: OptionUniverse,
    bank_cap: int,
    order: list[int],
    budget: _Budget,
    serves: Mapping[str, int] | None = None,
) -> tuple[Allocation, ...] | None:
    left = dict(universe.available)
    banks: set[str] = set()
    chosen: list[Allocation] = []
    for line in order:
        budget.check()
        groups = universe.groups_of(line)
        class_of = partial(_line_class, opened=frozenset(banks), serves=serves)
        ranked = _in_classes(universe, groups, class_of, banks, bank_cap, budget)
        taken = _fill_line(
            ranked, universe.units[line], left, banks, bank_cap, universe.split_lines
        )
        if taken is None:
            return None
        chosen.extend(taken)
    return tuple(chosen)


def _line_class(group: LineBank, opened: Set[str], serves: Mapping[str, int] | None) -> _Class:
    return (False, 0) if serves is None else _opening(group.bank_id, opened, serves)


def _opening(bank: str, banks: Set[str], serves: Mapping[str, int]) -> tuple[bool, int]:
    """Banks already open first (in price order), then the bank serving most lines."""
    return (bank not in banks, 0 if bank in banks else -serves[bank])


def _in_classes(
    universe: OptionUniverse,
    groups: Iterable[LineBank],
    class_of: Callable[[LineBank], _Class],
    banks: set[str],
    bank_cap: int,
    budget: _Budget,
    excluded: Set[tuple] = frozenset(),
) -> Iterator[Option]:
    """The groups' options class by class (in the classes' order), each class
    in price order. Once the bank cap is reached, the groups of banks not
    open are dropped unbuilt: they can no longer be used for this line."""
    by_class: dict[_Class, list[LineBank]] = defaultdict(list)
    for group in groups:
        by_class[class_of(group)].append(group)

    def closed(group: LineBank) -> bool:
        return len(banks) >= bank_cap and group.bank_id not in banks

    ordered = (by_class[key] for key in sorted(by_class))
    return chain.from_iterable(
        _price_ordered(universe, part, closed, budget, excluded) for part in ordered
    )


def _price_ordered(
    universe: OptionUniverse,
    groups: list[LineBank],
    skip: Callable[[LineBank], bool],
    budget: _Budget,
    excluded: Set[tuple],
) -> Iterator[Option]:
    """The groups' needed options (those ``universe.options`` keeps), in the
    order (exact unit price, tier, key), built only as they are reached.

    A merge over the groups by float price: each group's simple options come
    in its price order, its pairs (planned only once the merge reaches the
    group's cheapest price, which no pair undercuts) in theirs. Options whose
    float prices lie within rounding of each other are taken as one batch and
    sorted exactly, so equal prices are ordered as a full sort would order
    them. A group ``skip`` rejects when reached is dropped."""
    heap: list[tuple[float, int, int, int]] = []
    plans: dict[int, list[tuple[float, int, int]]] = {}
    for n, group in enumerate(groups):
        if group.stocks:
            heap.append((group.amounts[0], n, _SIMPLE, 0))
            if group.pairing_share is not None:
                first = group.amounts[0]
                heap.append((first - price_slack(first), n, _PAIRS_AHEAD, 0))
    heapq.heapify(heap)
    while heap:
        budget.check()
        batch: list[Option] = []
        top = heap[0][0]
        while heap and (not batch or heap[0][0] <= top + price_slack(top)):
            price, n, kind, k = heapq.heappop(heap)
            group = groups[n]
            if skip(group):
                continue
            if kind == _PAIRS_AHEAD:
                plans[n] = sorted(group.pairs_planned())
                if plans[n]:
                    heapq.heappush(heap, (plans[n][0][0], n, _PAIR, 0))
                continue
            option = _advance(universe, group, n, kind, k, plans, heap)
            if option is not None and option.key not in excluded:
                batch.append(option)
                top = max(top, price)
        batch.sort(key=lambda o: (o.unit_price, o.tier.rank, o.key))
        yield from batch


def _advance(
    universe: OptionUniverse,
    group: LineBank,
    n: int,
    kind: int,
    k: int,
    plans: Mapping[int, list[tuple[float, int, int]]],
    heap: list[tuple[float, int, int, int]],
) -> Option | None:
    """The entry's option if the universe needs it (else None); the group's
    next entry of the same kind pushed, unless past the group's cutoff."""
    if kind == _SIMPLE:
        option = group.simple_option(k)
        following = (
            (group.amounts[k + 1], n, _SIMPLE, k + 1) if k + 1 < len(group.amounts) else None
        )
    else:
        plan = plans[n]
        _, main, companion = plan[k]
        option = group.pair_option(main, companion)
        following = (plan[k + 1][0], n, _PAIR, k + 1) if k + 1 < len(plan) else None
    if not universe.within_cutoff(group, option):
        return None
    if following is not None:
        heapq.heappush(heap, following)
    return option if universe.can_serve_alone(option) else None


def _capacity(option: Option, left: Mapping[str, Fraction]) -> Fraction:
    return min(left[s] / c for s, c in option.stock_use.items())


def _fill_line(
    ranked: Iterable[Option],
    need: Fraction,
    left: dict[str, Fraction],
    banks: set[str],
    bank_cap: int,
    split_lines: bool,
) -> list[Allocation] | None:
    taken: list[Allocation] = []
    for option in ranked:
        if need <= 0:
            break
        new_bank = option.bank_id not in banks
        if new_bank and len(banks) >= bank_cap:
            continue
        capacity = _capacity(option, left)
        units = min(need, capacity) if split_lines else (need if capacity >= need else Fraction(0))
        if units <= 0:
            continue
        for stock_id, coef in option.stock_use.items():
            left[stock_id] -= coef * units
        banks.add(option.bank_id)
        taken.append(Allocation(option, units))
        need -= units
    return taken if need <= 0 else None


def repaired_allocation(
    universe: OptionUniverse,
    hint: tuple[Allocation, ...],
    bank_cap: int,
    cancel: CancelToken | None = None,
    deadline: float | None = None,
) -> tuple[Allocation, ...] | None:
    """``hint`` (a relaxation's answer, overdrawing some stock) made legal:
    its allocations kept, cheapest first, while they fit the stock; the lines
    left short filled greedily, at the hint's banks first. Past ``deadline``
    (``time.perf_counter``) it raises SolverTimedOut."""
    budget = _Budget(cancel, deadline)
    left = dict(universe.available)
    banks: set[str] = set()
    need = dict(universe.units)
    kept: list[Allocation] = []
    for a in sorted(hint, key=lambda a: (a.option.unit_price, a.option.key)):
        units = min(a.units - a.extra, need[a.option.line])
        room = _capacity(a.option, left)
        if not universe.split_lines and room < units:
            continue
        units = min(units, room)
        if units <= 0:
            continue
        for stock_id, coef in a.option.stock_use.items():
            left[stock_id] -= coef * units
        banks.add(a.option.bank_id)
        kept.append(Allocation(a.option, units))
        need[a.option.line] -= units
    hinted = {a.option.bank_id for a in hint}
    taken_options = frozenset(a.option.key for a in kept)
    for line in sorted(line for line, units in need.items() if units > 0):
        budget.check()
        ranked = _in_classes(
            universe,
            universe.groups_of(line),
            lambda g: (g.bank_id not in hinted, 0),
            banks,
            bank_cap,
            budget,
            taken_options,
        )
        taken = _fill_line(ranked, need[line], left, banks, bank_cap, universe.split_lines)
        if taken is None:
            return None
        kept.extend(taken)
    return tuple(kept)
