"""Candidate options: demand line × legal, priced supply at a bank's tier.

An option delivers units of one demand line from one stock line (simple) or
from two stock lines of the same bank (paired: area only, adjacent and far
tiers). Each carries its unit price and the stock it consumes per delivered
unit, which follows the statutory spatial risk multiplier for every unit type.

Options are grouped by (line, bank) in a :class:`LineBank`, cheapest first.
Paired options are built only when asked for: a pair is never cheaper than
the cheaper of its two parts alone, so it matters only where stock is short.
"""

from __future__ import annotations

import time
from array import array
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache

from .bands import Tier, UnitType
from .demand import ResolvedLine
from .model import StockLine
from .policy import Policy
from .pricing import EXACT, Price, PriceBook
from .progress import CancelToken, ProgressCallback, no_progress
from .reference import ReferenceSnapshot
from .tiers import STOCK_PER_UNIT
from .trading import legal_supply_names

_WHOLE = Fraction(1)
_HALF = Fraction(1, 2)
_NONE = Fraction(0)


@dataclass(frozen=True, slots=True)
class Part:
    """One stock line's share of an option (slotted: a national quote holds
    tens of thousands)."""

    stock_id: str
    habitat_name: str
    share: Fraction
    price: Price
    stock_per_unit: Fraction


@dataclass(frozen=True, slots=True)
class Supply:
    """What an option's parts draw on: stock use per delivered unit by stock
    line, and the stock ids in part order (for the option's key)."""

    parts: tuple[Part, ...]
    stock_use: Mapping[str, Fraction]
    stock_ids: tuple[str, ...]

    @classmethod
    def of(cls, parts: tuple[Part, ...]) -> Supply:
        use: dict[str, Fraction] = {}
        for p in parts:
            use[p.stock_id] = (
                use[p.stock_id] + p.stock_per_unit if p.stock_id in use else (p.stock_per_unit)
            )
        return cls(parts, use, tuple(p.stock_id for p in parts))


class SharedSupply:
    """The simple options' supplies of one build, one per stock line, price
    and tier: the same stock line serves many demand lines at its bank, and
    each of their options shares its part, stock use and stock ids."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, Tier, int], Supply] = {}

    def simple(self, stock: StockLine, price: Price, tier: Tier) -> Supply:
        # By the price's identity: the supply holds the price, so the id stays its own.
        key = (stock.stock_id, tier, id(price))
        found = self._found.get(key)
        if found is None:
            part = Part(stock.stock_id, stock.habitat_name, _WHOLE, price, STOCK_PER_UNIT[tier])
            found = self._found[key] = Supply.of((part,))
        return found


class Option:
    """A way to meet one demand line at one bank: one stock line, or a pair.

    A slotted class rather than a dataclass: a large quote builds tens of
    thousands, and everything derived is computed once, here. The exact unit
    price of a pair is worked out only when asked for (most pairs never are).
    """

    __slots__ = (
        "_unit_price",
        "bank_id",
        "key",
        "line",
        "parts",
        "price",
        "rank",
        "stock_use",
        "tier",
    )

    def __init__(
        self,
        line: int,
        bank_id: str,
        tier: Tier,
        parts: tuple[Part, ...],
        price: float,
        unit_price: Fraction | None = None,
        *,
        supply: Supply | None = None,
    ):
        """``supply``: the parts' stock use and stock ids, worked out once and
        shared by every option on the same parts (a simple option's)."""
        self.line = line
        self.bank_id = bank_id
        self.tier = tier
        self.parts = parts
        self.price = price
        """The unit price as a float, for ordering and for the solver's objective."""
        self._unit_price = unit_price
        if supply is None:
            supply = Supply.of(parts)
        self.key = (line, bank_id, len(parts), supply.stock_ids)
        """A stable order for ties: simple before paired, then stock ids."""
        self.rank = (price, self.key)
        self.stock_use: Mapping[str, Fraction] = supply.stock_use
        """Stock units consumed per delivered unit, by stock line (never changed:
        options on the same parts share it)."""

    @property
    def unit_price(self) -> Fraction:
        """Exact: the share-weighted prices of the parts."""
        if self._unit_price is None:
            self._unit_price = sum((p.share * p.price.value for p in self.parts), Fraction(0))
        return self._unit_price

    @property
    def paired(self) -> bool:
        return len(self.parts) > 1

    @property
    def price_source(self) -> str:
        return EXACT if all(p.price.source == EXACT for p in self.parts) else "proxy"

    def __repr__(self) -> str:
        return (
            f"Option(line={self.line}, bank={self.bank_id}, stock={self.key[3]}, £{self.price:g})"
        )


class PairingPlan:
    """(float price, main, companion) of each pair a group may offer, packed
    in three arrays: a national quote plans hundreds of thousands of pairs,
    and a tuple and a float each took five times the room."""

    __slots__ = ("companions", "mains", "prices")

    def __init__(self, plan: list[tuple[float, int, int]]):
        self.prices = array("d", [price for price, _, _ in plan])
        self.mains = array("i", [m for _, m, _ in plan])
        self.companions = array("i", [c for _, _, c in plan])

    def __bool__(self) -> bool:
        return bool(self.prices)

    def __iter__(self) -> Iterator[tuple[float, int, int]]:
        return zip(self.prices, self.mains, self.companions, strict=True)


NO_PAIRS = PairingPlan([])


@dataclass(eq=False, slots=True)
class LineBank:
    """Every option of one demand line at one bank, cheapest first.

    Its legal, priced stock lines with stock left (the candidates) are held
    as parallel tuples in price order (ties: stock id), not as an object
    each: a national quote has hundreds of thousands of them, and only a few
    ever become options. Slotted, its options and pairing plan worked out on
    demand into slots of their own: a national quote has tens of thousands
    of groups."""

    line: int
    bank_id: str
    tier: Tier
    stocks: tuple[StockLine, ...]
    prices: tuple[Price, ...]
    amounts: tuple[float, ...]
    """Each candidate's unit price as a float, ascending."""
    left: Mapping[str, float]
    """Stock left per stock line as a float (one mapping shared by every group)."""
    pairing_share: Fraction | None
    """The main part's share when this line may be met by pairs here, else None."""
    shared: SharedSupply = field(default_factory=SharedSupply, repr=False)
    """The simple options' supplies (one for every group of a build)."""
    plans: dict[Fraction, PairingPlan] = field(default_factory=dict, repr=False)
    """Pairing plans by main share, shared by every group on the same
    candidates: a version's kept candidates (see ``_KeptCandidates``) are
    planned once for all the quotes that find them."""
    _simple: list[Option | None] | None = field(default=None, init=False, repr=False)
    _pairs: dict[tuple[int, int], Option] | None = field(default=None, init=False, repr=False)
    _plan: PairingPlan | None = field(default=None, init=False, repr=False)

    def simple_option(self, k: int) -> Option:
        """The k-th cheapest candidate alone (built once, on demand)."""
        built = self._simple
        if built is None:
            built = self._simple = [None] * len(self.stocks)
        option = built[k]
        if option is None:
            price = self.prices[k]
            supply = self.shared.simple(self.stocks[k], price, self.tier)
            option = built[k] = Option(
                self.line,
                self.bank_id,
                self.tier,
                supply.parts,
                self.amounts[k],
                price.value,
                supply=supply,
            )
        return option

    def simple_rank(self, k: int) -> tuple:
        """The rank of the k-th cheapest candidate alone, without building
        its option when it has not been."""
        built = None if self._simple is None else self._simple[k]
        if built is not None:
            return built.rank
        return (self.amounts[k], (self.line, self.bank_id, 1, (self.stocks[k].stock_id,)))

    def ranked(self, max_price: float | None = None) -> tuple[Option, ...]:
        """Options, simple and paired, cheapest first (stable ties), up to a price."""
        return tuple(self.in_rank_order(max_price))

    def in_rank_order(self, max_price: float | None = None) -> Iterator[Option]:
        """``ranked``, each option built only when reached: a search that
        stops at the first it wants builds no more."""
        count = len(self.amounts) if max_price is None else bisect_right(self.amounts, max_price)
        plan = self._pairing_plan()
        if not plan:
            yield from (self.simple_option(k) for k in range(count))
            return
        limit = float("inf") if max_price is None else max_price
        stocks = self.stocks
        # An option's rank within its group: price, simple before paired, stock ids.
        order: list[tuple[float, int, tuple[str, ...], int, int]] = [
            (self.amounts[k], 1, (stocks[k].stock_id,), k, k) for k in range(count)
        ]
        order += [
            (price, 2, (stocks[m].stock_id, stocks[c].stock_id), m, c)
            for price, m, c in plan
            if price <= limit
        ]
        order.sort()
        for _, parts, _, m, c in order:
            yield self.simple_option(m) if parts == 1 else self._pair(m, c)

    def priced_in(self, holds: Callable[[float], bool], ceiling: float) -> Iterator[Option]:
        """The options, simple and paired, whose float price is at most
        ``ceiling`` and ``holds``; only those are built."""
        for k in range(bisect_right(self.amounts, ceiling)):
            if holds(self.amounts[k]):
                yield self.simple_option(k)
        for price, m, c in self._pairing_plan():
            if price <= ceiling and holds(price):
                yield self._pair(m, c)

    def pairs_planned(self) -> tuple[tuple[float, int, int], ...]:
        """(float price, main, companion) of each pair of the group, unbuilt;
        ``pair_option(main, companion)`` builds one."""
        return tuple(self._pairing_plan())

    def pair_draws(self) -> tuple[float, float]:
        """Stock units a pair's main and companion parts take per delivered
        unit, as the floats ``OptionUniverse.can_serve_alone`` compares."""
        assert self.pairing_share is not None, "pairs are planned only where pairing is allowed"
        _, main_use, _, rest_use, _ = _pair_terms(self.pairing_share, self.tier)
        return float(main_use), float(rest_use)

    def pair_option(self, main: int, companion: int) -> Option:
        """The pair of the two candidates (built once, on demand)."""
        return self._pair(main, companion)

    @property
    def stock_ids(self) -> frozenset[str]:
        """The stock lines any option of this group can draw on (worked out
        when asked, not kept: one set per group adds up at national scale)."""
        return frozenset(s.stock_id for s in self.stocks)

    def _pairing_plan(self) -> PairingPlan:
        """The pairs of the group, planned once (see ``_plan_pairs``)."""
        if self._plan is None:
            self._plan = self._shared_plan()
        return self._plan

    def _shared_plan(self) -> PairingPlan:
        """The plan of these candidates at this main share, from ``plans``
        when another group on them has made it."""
        share = self.pairing_share
        if share is None:
            return NO_PAIRS
        plan = self.plans.get(share)
        if plan is None:
            plan = self.plans[share] = self._plan_pairs()
        return plan

    def _plan_pairs(self) -> PairingPlan:
        """(float price, main, companion) for each pair: one per main stock
        line, with its cheapest legal companion (ties: more stock, then stock
        id). At equal shares (far) the two orders of a pair are the same
        option and it is kept once. The companion is the first in that order
        unless it shares the main line's habitat, then the first of another
        habitat: two look-ups, not a scan per main line."""
        if self.pairing_share is None or not self.stocks:
            return NO_PAIRS
        share = float(self.pairing_share)
        stocks = self.stocks
        everyone = range(len(stocks))
        left, amounts = self.left, self.amounts
        # as a companion: cheapest first; ties: more stock, then stock id
        order = [
            (amounts[k], -left[stock.stock_id], stock.stock_id) for k, stock in enumerate(stocks)
        ].__getitem__
        best = min(everyone, key=order)
        best_habitat = stocks[best].habitat_name
        runner_up = min(
            (k for k in everyone if stocks[k].habitat_name != best_habitat),
            key=order,
            default=None,
        )
        equal_shares = self.pairing_share == _HALF
        seen: set[frozenset[int]] = set()
        plan = []
        for m in sorted(everyone, key=lambda k: stocks[k].stock_id):
            c = runner_up if stocks[m].habitat_name == best_habitat else best
            if c is None:
                continue
            if equal_shares:
                if frozenset((m, c)) in seen:
                    continue
                seen.add(frozenset((m, c)))
            price = share * amounts[m] + (1 - share) * amounts[c]
            plan.append((price, m, c))
        return PairingPlan(plan) if plan else NO_PAIRS

    def _pair(self, m: int, c: int) -> Option:
        built = self._pairs
        if built is None:
            built = self._pairs = {}
        option = built.get((m, c))
        if option is None:
            assert self.pairing_share is not None, "pairs are planned only where pairing is allowed"
            share, main_use, rest, rest_use, share_f = _pair_terms(self.pairing_share, self.tier)
            main, companion = self.stocks[m], self.stocks[c]
            parts = (
                Part(main.stock_id, main.habitat_name, share, self.prices[m], main_use),
                Part(companion.stock_id, companion.habitat_name, rest, self.prices[c], rest_use),
            )
            price = share_f * self.amounts[m] + (1 - share_f) * self.amounts[c]
            option = built[(m, c)] = Option(self.line, self.bank_id, self.tier, parts, price)
        return option


@cache
def _pair_terms(
    share: Fraction, tier: Tier
) -> tuple[Fraction, Fraction, Fraction, Fraction, float]:
    """(main share, its stock per unit, companion share, its stock per unit,
    main share as a float): the same for every pair at one share and tier."""
    per_unit = STOCK_PER_UNIT[tier]
    rest = 1 - share
    return share, share * per_unit, rest, rest * per_unit, float(share)


@dataclass(frozen=True)
class LineSupply:
    """What the catalogue and the banks offer one line (for explanations)."""

    legal_stock_lines: int = 0
    with_stock_left: int = 0
    priced: int = 0


@dataclass(frozen=True)
class OptionSet:
    groups: tuple[LineBank, ...]
    supply: Mapping[int, LineSupply] = field(default_factory=dict)
    left: Mapping[str, float] | None = None
    """The stock available the groups were built on, as floats (``LineBank.left``)."""
    stock_banks: Mapping[str, str] | None = None
    """The bank of each stock line of the version."""


RELEASE_SLICE = 500
"""Groups freed at a time (a few milliseconds of work at national scale)."""


def release_gradually(groups: list[LineBank]) -> None:
    """Free a quote's groups (and the options built in them) a slice at a
    time, letting other threads run between slices: freed at once, a
    500-bank quote's groups held the GIL, and the app's window, for a
    quarter of a second. ``groups`` must hold the last references. A quote
    of one slice or less frees it at once: no other thread waits long."""
    while groups:
        del groups[-RELEASE_SLICE:]
        if groups:
            time.sleep(0)


def available_stock(stock: StockLine, quotes_hold: str) -> Fraction:
    """Stock available under the quotes-hold policy, never below 0."""
    base = (
        stock.available_excl_quotes
        if stock.available_excl_quotes is not None
        else stock.quantity_available
    )
    if stock.quoted and quotes_hold == "hold_100":
        base -= stock.quoted
    elif stock.quoted and quotes_hold == "hold_50":
        base -= stock.quoted / 2
    return base if base > 0 else _NONE


def availability(snapshot: ReferenceSnapshot, policy: Policy) -> dict[str, Fraction]:
    """Stock available per stock line under the policy's quotes-hold rule,
    worked out once per version and rule (never to be changed by a quote)."""
    hold = policy.quotes_hold
    return snapshot.derived(
        ("availability", hold),
        lambda: {sid: available_stock(s, hold) for sid, s in snapshot.stock.items()},
    )


def build_options(
    snapshot: ReferenceSnapshot,
    lines: tuple[ResolvedLine, ...],
    tiers: Mapping[str, Tier],
    book: PriceBook,
    policy: Policy,
    available: Mapping[str, Fraction],
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> OptionSet:
    """Every line's groups. ``book`` prices ``snapshot``'s rows."""
    groups: list[LineBank] = []
    supply: dict[int, LineSupply] = {}
    kept = _kept_candidates(snapshot, tiers, book, policy, available)
    left = kept.left if kept is not None else _floats(available)
    shared = SharedSupply()

    def work_out(line: ResolvedLine) -> tuple[tuple[BankCandidates, ...], LineSupply]:
        return _by_bank(snapshot, line, tiers, book, left)

    for n, line in enumerate(lines):
        if cancel is not None:
            cancel.check()
        progress("options", n / max(1, len(lines)), f"Finding supply for line {line.index + 1}")
        banks, supply[line.index] = work_out(line) if kept is None else kept.of(line, work_out)
        for bank_id, stocks, prices, amounts, plans in banks:
            tier = tiers[bank_id]
            pairing = _pairing_share(line, tier, policy)
            groups.append(
                LineBank(
                    line.index, bank_id, tier, stocks, prices, amounts, left, pairing, shared, plans
                )
            )
    progress("options", 1.0, f"{len(groups)} line–bank pairs with legal supply")
    stock_banks = snapshot.derived(
        ("stock banks",), lambda: {sid: stock.bank_id for sid, stock in snapshot.stock.items()}
    )
    return OptionSet(tuple(groups), supply, left, stock_banks)


BankCandidates = tuple[
    str, tuple[StockLine, ...], tuple[Price, ...], tuple[float, ...], dict[Fraction, PairingPlan]
]
"""One bank's candidates for a line: (bank, stock lines, prices, float
prices), cheapest first, and their pairing plans by main share (made when
first asked for, see ``LineBank.plans``)."""


def _by_bank(
    snapshot: ReferenceSnapshot,
    line: ResolvedLine,
    tiers: Mapping[str, Tier],
    book: PriceBook,
    left: Mapping[str, float],
) -> tuple[tuple[BankCandidates, ...], LineSupply]:
    """A line's candidates, bank by bank (in bank order)."""
    by_bank, supply = _candidates(snapshot, line, tiers, book, left)
    banks: list[BankCandidates] = []
    for bank_id in sorted(by_bank):
        amounts, _, stocks, prices = zip(*sorted(by_bank[bank_id]), strict=True)
        banks.append((bank_id, stocks, prices, amounts, {}))
    return tuple(banks), supply


def _floats(available: Mapping[str, Fraction]) -> dict[str, float]:
    return {stock_id: float(units) for stock_id, units in available.items()}


CANDIDATES_KEPT = 1_000_000
"""The most candidates (stock line × demand habitat) a version keeps for
later quotes: a national quote's (≈ 710,000 at 1,000 banks × 100 lines)
fit, and are found again in ≈ 0.1 s instead of worked out in ≈ 2.2 s; they
hold references to the snapshot's own stock lines and prices, a few tens of
megabytes, and left the peak of a 1,000-bank quote unchanged (≈ 400 MB).
Candidates beyond it are worked out afresh each time."""


class _KeptCandidates:
    """The candidates of each demand habitat for one site's tiers, one price
    book (size and discount) and one quotes-hold rule: the same for every
    quote that shares them, whatever else its demand holds. Each bank's
    pairing plans are kept with its candidates, made when a quote first
    asks for them (a few bytes a pair beside the candidates' own room)."""

    def __init__(self, left: dict[str, float], budget: list[int]):
        self.left = left
        self._budget = budget
        self._lines: dict[tuple, tuple[tuple[BankCandidates, ...], LineSupply]] = {}

    def of(
        self,
        line: ResolvedLine,
        work_out: Callable[[ResolvedLine], tuple[tuple[BankCandidates, ...], LineSupply]],
    ) -> tuple[tuple[BankCandidates, ...], LineSupply]:
        key = (line.name, line.deficit)
        found = self._lines.get(key)
        if found is None:
            found = work_out(line)
            count = sum(len(stocks) for _, stocks, _, _, _ in found[0])
            if self._budget[0] + count <= CANDIDATES_KEPT:
                self._budget[0] += count
                self._lines[key] = found
        return found


def _kept_candidates(
    snapshot: ReferenceSnapshot,
    tiers: Mapping[str, Tier],
    book: PriceBook,
    policy: Policy,
    available: Mapping[str, Fraction],
) -> _KeptCandidates | None:
    """Where this quote's candidates are kept on the snapshot; None when the
    stock given is not the version's own under the policy (nothing kept)."""
    if available is not availability(snapshot, policy):
        return None
    hold = policy.quotes_hold
    left = snapshot.derived(("available floats", hold), lambda: _floats(available))
    budget = snapshot.derived(("candidates kept",), lambda: [0])
    key = ("candidates", tuple(tiers.items()), book.size, book.factor, hold)
    return snapshot.derived(key, lambda: _KeptCandidates(left, budget))


def _pairing_share(line: ResolvedLine, tier: Tier, policy: Policy) -> Fraction | None:
    if line.deficit.unit_type is not UnitType.AREA or tier is Tier.LOCAL:
        return None
    if tier is Tier.ADJACENT:
        return policy.paired_main_share_adjacent
    return policy.paired_main_share_far


def _candidates(
    snapshot: ReferenceSnapshot,
    line: ResolvedLine,
    tiers: Mapping[str, Tier],
    book: PriceBook,
    left: Mapping[str, float],
) -> tuple[dict[str, list[tuple[float, str, StockLine, Price]]], LineSupply]:
    deficit = line.deficit
    rules = snapshot.trading_rules.get(line.name, ()) if deficit.habitat else ()
    legal = snapshot.derived(
        ("legal supply", line.name, deficit),
        lambda: legal_supply_names(deficit, snapshot.habitats.values(), rules),
    )
    by_bank: dict[str, list[tuple[float, str, StockLine, Price]]] = defaultdict(list)
    legal_count = with_stock = priced = 0
    proxies: dict[tuple[str, Tier], Price | None] = {}
    for stock in _legal_stock(snapshot, deficit.unit_type, legal):
        legal_count += 1
        if not left[stock.stock_id]:
            continue
        with_stock += 1
        tier = tiers[stock.bank_id]
        price = book.exact(stock.bank_id, tier, stock.habitat_name)
        if price is None:
            key = (stock.bank_id, tier)
            if key not in proxies:
                proxies[key] = book.proxy(stock.bank_id, tier, deficit, legal)
            price = proxies[key]
        if price is not None:
            priced += 1
            by_bank[stock.bank_id].append((price.amount, stock.stock_id, stock, price))
    return by_bank, LineSupply(legal_count, with_stock, priced)


def _legal_stock(
    snapshot: ReferenceSnapshot, unit_type: UnitType, legal: frozenset[str]
) -> Iterator[StockLine]:
    """The stock lines of the unit type whose habitat is legal, by habitat:
    a line looks only at the stock it may trade with."""
    by_habitat = snapshot.stock_by_habitat
    for name in legal:
        habitat = snapshot.habitats.get(name)
        if habitat is not None and habitat.unit_type is unit_type:
            yield from by_habitat.get(name, ())
