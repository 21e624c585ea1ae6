"""The option universe: every option an optimal allocation could need.

Two exact reductions, applied per (line, bank):

*Alone-infeasible.* With one option per line, an option that would overdraw
one of its stock lines serving the line alone can never be chosen.

*Dominance.* Every line draws from a bank's stock at most its units × the
bank's stock-per-unit factor, whichever options it uses (a pair's shares add
up to the same). Let D be the most all *other* lines could draw from bank b.
Walk line L's options at b cheapest first; once the simple options seen so
far have slacks (stock left after serving L alone) adding up to at least D,
the other lines cannot exhaust all of them, so at least one can still serve
L in full. Every later option of L at b can be swapped for it without
raising the cost, adding a bank or taking stock from another line: it is
left out. With split lines the same holds with L's own draw counted in D and
each stock line's whole availability as its slack.

A quote that must deliver an extra (the minimum delivery) keeps every option
past the first reduction: the extra can make a dearer option the one with
room. Such quotes total less than the minimum (0.01 units), so they are small.
"""

from __future__ import annotations

import copy
import math
import time
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Set
from fractions import Fraction
from functools import cached_property
from itertools import accumulate, chain, islice

from .options import RELEASE_SLICE, LineBank, Option
from .tiers import STOCK_PER_UNIT

_PER_UNIT = {tier: float(share) for tier, share in STOCK_PER_UNIT.items()}
"""STOCK_PER_UNIT as floats, for the float comparisons here."""

TOLERANCE = 1e-9
"""Float comparisons here lean towards keeping an option; the exact check of
every solution (solver.overdrawn) has the last word on stock."""


class OptionUniverse:
    def __init__(
        self,
        groups: tuple[LineBank, ...],
        units: Mapping[int, Fraction],
        available: Mapping[str, Fraction],
        split_lines: bool,
        extra: Fraction = Fraction(0),
        *,
        left: Mapping[str, float] | None = None,
        stock_banks: Mapping[str, str] | None = None,
    ):
        """``left``: ``available`` as floats, when the caller has them (the
        groups' own, see ``OptionSet.left``); ``stock_banks``: the bank of
        each stock line, when the caller has it (``OptionSet.stock_banks``)."""
        self.groups = groups
        self.units = units
        self.available = available
        self.split_lines = split_lines
        self.extra = extra
        """Units to deliver beyond the lines' needs (the minimum delivery)."""
        self._dominance = extra <= 0
        """Whether the dominance reduction applies (see the module's docstring)."""
        self._units_f = {line: float(u) for line, u in units.items()}
        self._available_f = (
            left if left is not None else {s: float(a) for s, a in available.items()}
        )
        self._draws = _bank_draws(groups, self._units_f)
        self._given_banks = stock_banks
        # Keyed by the group itself (hashed by identity): an id would be one
        # more integer object per group.
        self._cutoff: dict[LineBank, int | None] = {}
        """Each group's dominance cutoff (see ``_dominance_cutoff``), worked
        out when first needed."""
        self._options: dict[LineBank, tuple[Option, ...]] = {}
        self._cheapest: dict[LineBank, Option | None] = {}

    def release(self) -> None:
        """Drop what was worked out here a slice at a time, letting other
        threads run between slices (see options.release_gradually); a
        universe of one slice of groups or less is dropped at once."""
        for cache in (self._options, self._cheapest, self._cutoff):
            while cache:
                for key in list(islice(cache, RELEASE_SLICE)):
                    del cache[key]
                self._let_others_run()
        for name in _PER_POSITION:
            self.__dict__.pop(name, None)
            self._let_others_run()

    def _let_others_run(self) -> None:
        if len(self.groups) > RELEASE_SLICE:
            time.sleep(0)

    def can_serve_alone(self, option: Option) -> bool:
        if self.split_lines:
            return True
        need = self._units_f[option.line]
        return all(
            float(c) * need <= self._available_f[s] + TOLERANCE for s, c in option.stock_use.items()
        )

    def _serves_alone(self, group: LineBank, k: int) -> bool:
        """Candidate k of the group, alone, has stock for the whole line."""
        if self.split_lines:
            return True
        own = self._units_f[group.line] * _PER_UNIT[group.tier]
        stock_id = group.stocks[k].stock_id
        return own <= self._available_f[stock_id] + TOLERANCE

    def _dominance_cutoff(self, group: LineBank, bank_draw: float) -> int | None:
        """The candidate whose simple option is the last that can be needed
        (its position in the group; kept rather than the option, which most
        groups never build); None: all of them."""
        own = self._units_f[group.line] * _PER_UNIT[group.tier]
        threshold = bank_draw if self.split_lines else bank_draw - own
        slack = 0.0
        for k, stock in enumerate(group.stocks):
            left = self._available_f[stock.stock_id] - (0 if self.split_lines else own)
            if left > TOLERANCE:
                slack += left - TOLERANCE
                if slack >= threshold + TOLERANCE:
                    return k
        return None

    def _cutoff_rank(self, group: LineBank) -> tuple | None:
        """The rank of the last option of the group that can be needed; None: all."""
        if group not in self._cutoff:
            draw = self._draws[group.bank_id]
            self._cutoff[group] = self._dominance_cutoff(group, draw) if self._dominance else None
        k = self._cutoff[group]
        return None if k is None else group.simple_rank(k)

    def least_price(self, group: LineBank) -> float | None:
        """The unit price of ``cheapest(group)`` (None when there is none),
        without building the option when it is the group's first candidate
        (as it is for most groups)."""
        if group.stocks and self._serves_alone(group, 0):
            return group.amounts[0]
        first = self.cheapest(group)
        return None if first is None else first.price

    def within_cutoff(self, group: LineBank, option: Option) -> bool:
        """Whether the dominance reduction keeps the group's option."""
        cutoff = self._cutoff_rank(group)
        return cutoff is None or option.rank <= cutoff

    def options(self, group: LineBank) -> tuple[Option, ...]:
        """The group's options that an optimal allocation could need, cheapest first."""
        if group not in self._options:
            cutoff = self._cutoff_rank(group)
            limit = None if cutoff is None else cutoff[0]
            self._options[group] = tuple(
                o
                for o in group.ranked(limit)
                if (cutoff is None or o.rank <= cutoff) and self.can_serve_alone(o)
            )
        return self._options[group]

    def can_meet_alone(self, group: LineBank) -> bool:
        """Whether some option of the group can serve its line on its own
        (pairs are built only when no simple option can)."""
        return any(self._serves_alone(group, k) for k in range(len(group.stocks))) or bool(
            self.options(group)
        )

    def cheapest(self, group: LineBank) -> Option | None:
        """The group's cheapest needed option, building pairs only if required:
        a pair never beats the cheaper of its parts, so when the cheapest simple
        option can serve the line it comes first. Worked out once per group."""
        if group not in self._cheapest:
            self._cheapest[group] = self._find_cheapest(group)
        return self._cheapest[group]

    def _find_cheapest(self, group: LineBank) -> Option | None:
        """The first option in rank order within the cutoff that can serve
        the line alone; only such options are built (a simple candidate that
        cannot, or a pair whose parts cannot hold their shares, never is)."""
        if group.stocks and self._serves_alone(group, 0):
            return group.simple_option(0)
        servable = next(
            (k for k in range(1, len(group.stocks)) if self._serves_alone(group, k)), None
        )
        cutoff = self._cutoff_rank(group)
        found = [] if servable is None else [group.simple_option(servable)]
        limit = group.amounts[servable] if servable is not None else math.inf
        if cutoff is not None:
            limit = min(limit, cutoff[0])
        if group.pairing_share is not None:
            need = self._units_f[group.line]
            main_use, rest_use = group.pair_draws()
            for price, m, c in group.pairs_planned():
                if (
                    price <= limit
                    and main_use * need <= self._available_f[group.stocks[m].stock_id] + TOLERANCE
                    and rest_use * need <= self._available_f[group.stocks[c].stock_id] + TOLERANCE
                ):
                    found.append(group.pair_option(m, c))
        found = [o for o in found if cutoff is None or o.rank <= cutoff]
        return min(found, key=lambda o: o.rank, default=None)

    def all_options(self) -> tuple[Option, ...]:
        return tuple(o for g in self.groups for o in self.options(g))

    def same_price_options(self, prices: Mapping[int, Set[Fraction]]) -> tuple[Option, ...]:
        """Every needed option offering its line exactly one of the given unit
        prices. Only options whose float price falls in a narrow window around
        one of them are built (pairs only where pairing is allowed), found by
        bisection over each group's prices, not by building the group."""
        windows = {
            line: _Windows(sorted((float(p) - _slack(p), float(p) + _slack(p)) for p in wanted))
            for line, wanted in prices.items()
            if wanted
        }
        out: list[Option] = []
        for group in self.groups:
            near = windows.get(group.line)
            if near is None or not group.stocks:
                continue
            cutoff = self._cutoff_rank(group)
            ceiling = near.highest if cutoff is None else min(near.highest, cutoff[0])
            if group.amounts[0] > ceiling:
                continue
            wanted = prices[group.line]
            found = [
                o
                for o in group.priced_in(near.holds, ceiling)
                if (cutoff is None or o.rank <= cutoff)
                and self.can_serve_alone(o)
                and o.unit_price in wanted
            ]
            out.extend(sorted(found, key=lambda o: o.rank))
        return tuple(out)

    def relaxed(
        self, constrained: frozenset[str], lines: set[int] | None = None
    ) -> tuple[Option, ...]:
        """Options of the relaxation that enforces stock only on ``constrained``:
        per group, up to the first option that touches none of it (any later
        option is dominated by that one when the other stock is unlimited).
        A group touching none of it gives its cheapest option; the groups that
        do are found through the stock lines, not by a scan of every group."""
        chunks = list(self._cheapest_chunks)
        for n in self.groups_drawing_on(constrained):
            chunks[n] = self.relaxed_group(self.groups[n], constrained)
        if lines is not None:
            chunks = [c for c, g in zip(chunks, self.groups, strict=True) if g.line in lines]
        return tuple(chain.from_iterable(chunks))

    def restricted(self, positions: Iterable[int]) -> OptionUniverse:
        """The same universe on some of its groups (by position), sharing
        what was worked out per group: the dominance reduction and the
        options it keeps stay those of the whole universe."""
        sub = copy.copy(self)
        sub.groups = tuple(self.groups[n] for n in sorted(positions))
        for name in _PER_POSITION:
            sub.__dict__.pop(name, None)
        return sub

    def groups_drawing_on(self, stock_ids: frozenset[str]) -> set[int]:
        """The positions of the groups that can draw on any of ``stock_ids``."""
        return {n for stock_id in stock_ids for n in self._drawing_on(stock_id)}

    def _drawing_on(self, stock_id: str) -> tuple[int, ...]:
        """The positions of the groups that can draw on one stock line, found
        among the groups at its bank the first time it is asked about (a
        quote asks about a few stock lines; an index of every group's stock
        lines took longer than all its questions)."""
        known = self._groups_by_stock
        found = known.get(stock_id)
        if found is None:
            at_bank = self._groups_by_bank.get(self._stock_banks.get(stock_id, ""), ())
            found = known[stock_id] = tuple(
                n for n in at_bank if any(s.stock_id == stock_id for s in self.groups[n].stocks)
            )
        return found

    def relaxed_group(self, group: LineBank, constrained: frozenset[str]) -> tuple[Option, ...]:
        """A group's options in the relaxation that enforces stock only on
        ``constrained`` (see ``relaxed``): up to the first that draws on none
        of it."""
        out: list[Option] = []
        for option in self.options(group):
            out.append(option)
            if constrained.isdisjoint(option.stock_use):
                break
        return tuple(out)

    @cached_property
    def _cheapest_chunks(self) -> tuple[tuple[Option, ...], ...]:
        """Per group, in order: its cheapest needed option, or nothing."""
        return tuple(() if (first := self.cheapest(g)) is None else (first,) for g in self.groups)

    @cached_property
    def _groups_by_stock(self) -> dict[str, tuple[int, ...]]:
        """The positions of the groups that can draw on each stock line asked
        about so far (see ``_drawing_on``)."""
        return {}

    @cached_property
    def _groups_by_bank(self) -> dict[str, list[int]]:
        """The positions of each bank's groups."""
        found: dict[str, list[int]] = defaultdict(list)
        for n, group in enumerate(self.groups):
            found[group.bank_id].append(n)
        return found

    @cached_property
    def _stock_banks(self) -> Mapping[str, str]:
        """The bank of each stock line: as given, or else read from the groups."""
        if self._given_banks is not None:
            return self._given_banks
        return {s.stock_id: g.bank_id for g in self.groups for s in g.stocks}

    def groups_of(self, line: int) -> tuple[LineBank, ...]:
        """The groups of one demand line, in order."""
        return self._groups_by_line.get(line, ())

    @cached_property
    def _groups_by_line(self) -> dict[int, tuple[LineBank, ...]]:
        found: dict[int, list[LineBank]] = defaultdict(list)
        for group in self.groups:
            found[group.line].append(group)
        return {line: tuple(groups) for line, groups in found.items()}


_PER_POSITION = (
    "_cheapest_chunks",
    "_groups_by_stock",
    "_groups_by_bank",
    "_stock_banks",
    "_groups_by_line",
)
"""What is worked out by the groups' positions (or from the groups), dropped
when the universe is released or restricted to some of its groups."""


class _Windows:
    """Narrow (low, high) float windows, sorted: whether a price is in one."""

    def __init__(self, windows: list[tuple[float, float]]):
        self.lows = [low for low, _ in windows]
        self.reach = list(accumulate((high for _, high in windows), max))
        """The highest high of the windows up to each one."""
        self.highest = self.reach[-1]

    def holds(self, price: float) -> bool:
        k = bisect_right(self.lows, price) - 1
        return k >= 0 and price <= self.reach[k]


def _slack(price: Fraction) -> float:
    return price_slack(float(price))


def price_slack(price: float) -> float:
    """How far a float price may stray from the exact one (relative, at least
    TOLERANCE): far more than rounding, far less than a penny."""
    return TOLERANCE * max(1.0, abs(price))


def _bank_draws(groups: tuple[LineBank, ...], units: Mapping[int, float]) -> dict[str, float]:
    """For each bank, the most all lines together could draw from its stock."""
    lines_at: dict[str, set[int]] = defaultdict(set)
    per_unit: dict[str, float] = {}
    for g in groups:
        lines_at[g.bank_id].add(g.line)
        per_unit[g.bank_id] = _PER_UNIT[g.tier]
    return {
        bank: sum(units[line] for line in lines) * per_unit[bank] * (1 + TOLERANCE)
        for bank, lines in lines_at.items()
    }
