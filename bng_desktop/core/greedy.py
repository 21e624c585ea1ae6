"""The greedy heuristic: the answer when no MILP solver can run at all, and
a legal allocation for a solver the time limit stopped.

Lines in input order; each takes the cheapest option that still fits the
remaining stock and the bank cap (with split lines, it fills from the
cheapest options in turn). It proves nothing and may fail where the MILP
would succeed; quotes made with it say so. ``repaired_allocation`` starts
instead from a relaxation's answer that overdraws some stock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from fractions import Fraction

from .options import Option
from .progress import CancelToken
from .pruning import OptionUniverse
from .solver import Allocation


def greedy_allocation(
    universe: OptionUniverse, bank_cap: int, cancel: CancelToken | None = None
) -> tuple[Allocation, ...] | None:
    """Lines in order, each on its cheapest option that fits; when the bank
    cap stops that, once more with the lines fewest banks can serve first,
    each opening the bank that can serve most of the lines still to do."""
    by_line: dict[int, list[Option]] = defaultdict(list)
    for option in universe.all_options():
        by_line[option.line].append(option)
    for line in by_line:
        by_line[line].sort(key=lambda o: (o.unit_price, o.tier.rank, o.key))
    found = _greedy_pass(universe, bank_cap, by_line, sorted(universe.units), cancel)
    if found is not None or len({o.bank_id for ops in by_line.values() for o in ops}) <= bank_cap:
        return found
    return _bank_covering_pass(universe, bank_cap, by_line, cancel)


def _greedy_pass(
    universe: OptionUniverse,
    bank_cap: int,
    by_line: Mapping[int, list[Option]],
    order: list[int],
    cancel: CancelToken | None,
    serves: Mapping[str, int] | None = None,
) -> tuple[Allocation, ...] | None:
    left = dict(universe.available)
    banks: set[str] = set()
    chosen: list[Allocation] = []
    for line in order:
        if cancel is not None:
            cancel.check()
        ranked = by_line.get(line, [])
        if serves is not None:
            ranked = sorted(ranked, key=lambda o: _opening(o.bank_id, banks, serves))
        taken = _fill_line(
            ranked, universe.units[line], left, banks, bank_cap, universe.split_lines
        )
        if taken is None:
            return None
        chosen.extend(taken)
    return tuple(chosen)


def _opening(bank: str, banks: set[str], serves: Mapping[str, int]) -> tuple[bool, int]:
    """Banks already open first (in price order), then the bank serving most lines."""
    return (bank not in banks, 0 if bank in banks else -serves[bank])


def _bank_covering_pass(
    universe: OptionUniverse,
    bank_cap: int,
    by_line: Mapping[int, list[Option]],
    cancel: CancelToken | None,
) -> tuple[Allocation, ...] | None:
    banks_of = {line: {o.bank_id for o in ops} for line, ops in by_line.items()}
    serves: dict[str, int] = defaultdict(int)
    for banks in banks_of.values():
        for bank in banks:
            serves[bank] += 1
    order = sorted(universe.units, key=lambda line: (len(banks_of.get(line, ())), line))
    return _greedy_pass(universe, bank_cap, by_line, order, cancel, serves)


def _capacity(option: Option, left: Mapping[str, Fraction]) -> Fraction:
    return min(left[s] / c for s, c in option.stock_use.items())


def _fill_line(
    ranked: list[Option],
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
) -> tuple[Allocation, ...] | None:
    """``hint`` (a relaxation's answer, overdrawing some stock) made legal:
    its allocations kept, cheapest first, while they fit the stock; the lines
    left short filled greedily, at the hint's banks first."""
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
    taken_options = {a.option.key for a in kept}
    by_line: dict[int, list[Option]] = defaultdict(list)
    for option in universe.all_options():
        if need[option.line] > 0 and option.key not in taken_options:
            by_line[option.line].append(option)
    for line in sorted(line for line, units in need.items() if units > 0):
        if cancel is not None:
            cancel.check()
        ranked = sorted(
            by_line[line],
            key=lambda o: (o.bank_id not in hinted, o.unit_price, o.tier.rank, o.key),
        )
        taken = _fill_line(ranked, need[line], left, banks, bank_cap, universe.split_lines)
        if taken is None:
            return None
        kept.extend(taken)
    return tuple(kept)
