"""The banks' options the joint model needs, and its stock relaxation.

Two exact reductions, as core/pruning.py and core/solver.py make for a
plain quote, restated for lines whose bought units the site may shorten:

*Dominance.* A line buys at most its full loss, so the most all lines can
draw from a bank is what it is for a plain quote, and pruning's argument
holds: once the simple options seen at a bank, cheapest first, have slack
(stock left after the line's full loss) adding up to the most the other
lines can draw, every later option there is dominated. Pruning's
alone-infeasible reduction does not hold: a bank too small for a whole
loss may be big enough for what the site leaves of it.

*Stock relaxation.* With stock enforced only on some stock lines, a (line,
bank) group needs its options only up to the first that touches none of
them: any dearer one can be swapped for it. Solve, find the stock lines the
answer overdraws, enforce those, and solve again; the first answer within
all stock is the joint optimum (a relaxation is never dearer than it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from fractions import Fraction

from .options import LineBank, Option
from .tiers import STOCK_PER_UNIT

TOLERANCE = 1e-9


class JointUniverse:
    def __init__(
        self,
        groups: tuple[LineBank, ...],
        units: Mapping[int, Fraction],
        available: Mapping[str, Fraction],
        split_lines: bool,
    ):
        self.groups = groups
        self.units = units
        self.available = available
        self.split_lines = split_lines
        self._draws: dict[str, float] = defaultdict(float)
        for g in groups:
            self._draws[g.bank_id] += float(units[g.line]) * float(STOCK_PER_UNIT[g.tier])
        self._needed: dict[int, tuple[Option, ...]] = {}

    def relaxed(self, constrained: frozenset[str]) -> tuple[Option, ...]:
        """Per group, the options up to the first that touches no ``constrained`` stock."""
        out: list[Option] = []
        for group in self.groups:
            if constrained.isdisjoint(group.stock_ids):
                out.append(group.simple_option(0))
                continue
            for option in self.needed(group):
                out.append(option)
                if constrained.isdisjoint(option.stock_use):
                    break
        return tuple(out)

    def needed(self, group: LineBank) -> tuple[Option, ...]:
        """The group's options a cheapest joint purchase could need, cheapest first."""
        key = id(group)
        if key not in self._needed:
            cutoff = None if self.split_lines else self._cutoff(group)
            limit = None if cutoff is None else cutoff[0]
            self._needed[key] = tuple(
                o for o in group.ranked(limit) if cutoff is None or o.rank <= cutoff
            )
        return self._needed[key]

    def _cutoff(self, group: LineBank) -> tuple | None:
        """The rank of the last option the line can need at this bank (None: all)."""
        own = float(self.units[group.line]) * float(STOCK_PER_UNIT[group.tier])
        threshold = self._draws[group.bank_id] * (1 + TOLERANCE) - own
        slack = 0.0
        for k, stock in enumerate(group.stocks):
            left = float(self.available[stock.stock_id]) - own
            if left > TOLERANCE:
                slack += left - TOLERANCE
                if slack >= threshold + TOLERANCE:
                    return group.simple_option(k).rank
        return None

    def overdrawn(self, options: tuple[Option, ...], bought: Mapping[int, float]) -> set[str]:
        """Stock lines the model's units (option position → units) draw beyond
        what is available (within float tolerance)."""
        used: dict[str, float] = defaultdict(float)
        for i, units in bought.items():
            for stock_id, coef in options[i].stock_use.items():
                used[stock_id] += float(coef) * units
        return {
            s
            for s, u in used.items()
            if u > float(self.available[s]) + TOLERANCE * max(1.0, float(self.available[s]))
        }
