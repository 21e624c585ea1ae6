"""The minimum delivered total of a quote (RULES.md, *policy* 0.01 units).

When the demand totals less, the quote delivers the extra on top of what the
lines need. The optimiser places it inside the model (milp.py: the extra is a
continuous amount on the chosen options, within their stock, at their price),
so a quote never delivers less than the minimum when a legal allocation that
does exists, and the extra goes on the cheapest room first. Only when no such
allocation exists is the demand delivered as it stands, with a warning. The
greedy heuristic pads its own allocation here, cheapest room first.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping
from fractions import Fraction

from .solver import Allocation


def shortfall(demand_total: Fraction, minimum: Fraction) -> Fraction:
    """The units a quote must deliver beyond its demand (0 when none)."""
    return max(minimum - demand_total, Fraction(0))


def padded_positions(allocations: tuple[Allocation, ...]) -> tuple[int, ...]:
    """Where the extra went: positions of allocations carrying some of it."""
    return tuple(n for n, a in enumerate(allocations) if a.extra > 0)


def pad_cheapest_first(
    allocations: tuple[Allocation, ...], extra: Fraction, available: Mapping[str, Fraction]
) -> tuple[Allocation, ...]:
    """Deliver ``extra`` more on the chosen allocations, filling the cheapest
    room first. Returns them unchanged when they have no room for all of it."""
    if extra <= 0 or not allocations:
        return allocations
    used: dict[str, Fraction] = defaultdict(Fraction)
    for a in allocations:
        for stock_id, per_unit in a.option.stock_use.items():
            used[stock_id] += per_unit * a.units
    added: dict[int, Fraction] = {}
    left = extra
    for n in sorted(range(len(allocations)), key=lambda k: (allocations[k].option.unit_price, k)):
        stock_use = allocations[n].option.stock_use
        room = min((available[s] - used[s]) / c for s, c in stock_use.items())
        take = min(left, max(room, Fraction(0)))
        if take > 0:
            added[n] = take
            left -= take
            for s, c in stock_use.items():
                used[s] += c * take
        if left == 0:
            break
    if left > 0:
        return allocations
    return tuple(
        dataclasses.replace(a, units=a.units + added[n], extra=a.extra + added[n])
        if n in added
        else a
        for n, a in enumerate(allocations)
    )
