"""An independent reading of RULES.md, for checking the quoting engine.

Written from the rules text alone; it imports only the engine's plain records
and enums (Band, Tier, ...), never its trading, pricing, option or solver code.
Everything is exact (Fractions), and small enough to read against RULES.md:

- :func:`tier_of`, :func:`legal`, :func:`refused`, :func:`contract_size`,
  :func:`available`, :func:`price`: the rules one by one;
- :class:`Rules`: those rules bound to one reference snapshot and request;
- :meth:`Rules.options`: every legal priced option of a line (simple and
  paired), built from scratch;
- :meth:`Rules.check`: every allocation line of a quote against the rules
  (the "independent checker");
- :meth:`Rules.brute_force`: the staged optimum (A, then fewest banks within
  the tolerance, then C) by enumeration, one option per line;
- :meth:`Rules.split_optimum`: the same for split lines, through a plain MILP
  written here (a different formulation from the engine's).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

import pulp

from bng_desktop.core.bands import Band, ContractSize, Tier, UnitType
from bng_desktop.core.model import Habitat, Site, StockLine
from bng_desktop.core.policy import Policy
from bng_desktop.core.reference import ReferenceSnapshot
from bng_desktop.core.result import Quote, QuoteRequest

F = Fraction
SRM = {Tier.LOCAL: F(1), Tier.ADJACENT: F(3, 4), Tier.FAR: F(1, 2)}
"""Statutory spatial risk multiplier: D delivered units take D / SRM of stock."""
NET_GAIN = {
    "net gain (area)": UnitType.AREA,
    "net gain (low-equivalent)": UnitType.AREA,
    "net gain (hedgerow)": UnitType.HEDGEROW,
    "net gain (hedgerows)": UnitType.HEDGEROW,
    "net gain (watercourse)": UnitType.WATERCOURSE,
    "net gain (watercourses)": UnitType.WATERCOURSE,
}
CANONICAL_NET_GAIN = {
    UnitType.AREA: "Net Gain (area)",
    UnitType.HEDGEROW: "Net Gain (hedgerow)",
    UnitType.WATERCOURSE: "Net Gain (watercourse)",
}

# ------------------------------------------------------------------ locations

_PHRASES = (
    "royal borough of",
    "metropolitan borough of",
    "london borough of",
    "borough of",
    "city of",
    "county of",
)
_WORDS = ("council", "borough", "district", "county", "unitary authority", "unitary", "city")


def place_key(name: str) -> str:
    text = name.lower().replace("&", " and ")
    for phrase in _PHRASES:
        text = text.replace(phrase, " ")
    for word in _WORDS:
        text = re.sub(rf"\b{word}\b", " ", text)
    return re.sub(r"[^a-z0-9]", "", text)


def tier_of(bank_lpa: str, bank_nca: str, site: Site) -> Tier:
    """Local: same LPA or NCA; adjacent: a neighbour on either axis; else far.
    A site with no location (no LPA, no NCA) makes every bank far."""
    if not (site.lpa.strip() or site.nca.strip()):
        return Tier.FAR
    lpa, nca = place_key(bank_lpa), place_key(bank_nca)
    if (lpa and lpa == place_key(site.lpa)) or (nca and nca == place_key(site.nca)):
        return Tier.LOCAL
    lpa_next = {place_key(n) for n in site.lpa_neighbours} - {""}
    nca_next = {place_key(n) for n in site.nca_neighbours} - {""}
    if (lpa and lpa in lpa_next) or (nca and nca in nca_next):
        return Tier.ADJACENT
    return Tier.FAR


# --------------------------------------------------------------- trading rules


@dataclass(frozen=True)
class Demand:
    """A demand line as the rules see it: a habitat, or Net Gain of a unit type."""

    index: int
    name: str
    units: Fraction
    unit_type: UnitType
    habitat: Habitat | None  # None: a Net Gain line


def refused(demand: Demand) -> bool:
    h = demand.habitat
    return h is not None and (
        h.irreplaceable or (h.unit_type is UnitType.AREA and h.band is Band.V_LOW)
    )


def legal(demand: Demand, supply: Habitat, explicit: Iterable[tuple[str, Band | None]]) -> bool:
    """RULES.md's table; explicit rows (supply name, minimum band) replace it."""
    if supply.unit_type is not demand.unit_type or supply.irreplaceable:
        return False
    d = demand.habitat
    if d is None:  # Net Gain: area trades as Low, linear types take anything
        return demand.unit_type is not UnitType.AREA or supply.band >= Band.LOW
    explicit = list(explicit)
    if explicit:
        return any(n == supply.name and (b is None or supply.band >= b) for n, b in explicit)
    same = supply.name == d.name
    if d.unit_type is UnitType.AREA:
        if d.band >= Band.HIGH:
            return same
        if d.band is Band.MEDIUM:
            same_group = supply.trading_broad_habitat == d.trading_broad_habitat
            return (same_group and supply.band >= Band.MEDIUM) or supply.band > Band.MEDIUM
        return supply.band >= Band.LOW  # Low (V.Low is refused before)
    if d.unit_type is UnitType.HEDGEROW:
        if d.band is Band.V_HIGH:
            return same
        if d.band is Band.HIGH:
            return same or supply.band > Band.HIGH
        return supply.band >= d.band
    if d.band >= Band.MEDIUM:  # watercourse
        return same
    return supply.band > d.band


# ------------------------------------------------------------ sizes and stock

_SIZES = (ContractSize.FRACTIONAL, ContractSize.SMALL, ContractSize.MEDIUM, ContractSize.LARGE)


def contract_size(total: Fraction, present: Iterable[ContractSize], policy: Policy):
    below = {
        ContractSize.FRACTIONAL: policy.fractional_below,
        ContractSize.SMALL: policy.small_below,
        ContractSize.MEDIUM: policy.medium_below,
        ContractSize.LARGE: None,
    }
    wanted = next(s for s in _SIZES if below[s] is None or total < below[s])
    present = [s for s in _SIZES if s in set(present)]
    if not present or wanted in present:
        return wanted
    for size in present:
        if below[size] is None or total < below[size]:
            return size
    return present[-1]


def available(stock: StockLine, quotes_hold: str) -> Fraction:
    base = (
        stock.available_excl_quotes
        if stock.available_excl_quotes is not None
        else stock.quantity_available
    )
    quoted = stock.quoted or F(0)
    held = {"ignore": F(0), "hold_100": quoted, "hold_50": quoted / 2}[quotes_hold]
    return max(F(0), base - held)


# -------------------------------------------------------------------- options


@dataclass(frozen=True)
class Part:
    stock_id: str
    habitat: str
    share: Fraction
    price: Fraction
    source: str  # exact | proxy


@dataclass(frozen=True)
class Option:
    line: int
    bank_id: str
    tier: Tier
    parts: tuple[Part, ...]

    @property
    def unit_price(self) -> Fraction:
        return sum((p.share * p.price for p in self.parts), F(0))

    def stock_use(self, units: Fraction) -> dict[str, Fraction]:
        use: dict[str, Fraction] = defaultdict(Fraction)
        for p in self.parts:
            use[p.stock_id] += units * p.share / SRM[self.tier]
        return dict(use)

    @property
    def signature(self) -> frozenset:
        return frozenset((p.stock_id, p.share) for p in self.parts)


@dataclass(frozen=True)
class Staged:
    """The staged optimum: A (minimum cost), fewest banks within tolerance, C."""

    optimal_cost: Fraction
    banks: int
    quote_cost: Fraction


class Rules:
    """RULES.md applied to one snapshot and one request."""

    def __init__(self, snapshot: ReferenceSnapshot, request: QuoteRequest):
        data = snapshot.data
        self.request = request
        self.policy = request.policy
        self.habitats = {h.name: h for h in data.habitats}
        self._folded = {" ".join(h.name.split()).casefold(): h for h in data.habitats}
        self.banks = {b.bank_id: b for b in data.banks}
        self.tiers = {b.bank_id: tier_of(b.lpa, b.nca, request.site) for b in data.banks}
        self.stock = {s.stock_id: s for s in data.stock}
        self.available = {s.stock_id: available(s, self.policy.quotes_hold) for s in data.stock}
        self.demand = tuple(
            self._demand(i, d.habitat_name, d.units) for i, d in enumerate(request.demand)
        )
        self.total = sum((d.units for d in self.demand), F(0))
        self.size = contract_size(self.total, {p.contract_size for p in data.prices}, self.policy)
        self.cap = (
            self.policy.bank_cap_large
            if self.total > self.policy.bank_cap_threshold
            else self.policy.bank_cap_small
        )
        self.admin_fee = (
            self.policy.admin_fee_fractional
            if self.size is ContractSize.FRACTIONAL
            else self.policy.admin_fee_other
        )
        self.rows: dict[tuple[str, Tier], dict[str, Fraction]] = defaultdict(dict)
        """(bank, tier) -> habitat -> cheapest price at the quote's contract size."""
        for p in data.prices:
            if p.contract_size is self.size:
                at = self.rows[(p.bank_id, p.tier)]
                at[p.habitat_name] = min(p.price, at.get(p.habitat_name, p.price))
        self.explicit: dict[str, list[tuple[str, Band | None]]] = defaultdict(list)
        for r in data.trading_rules:
            self.explicit[r.demand_habitat].append((r.allowed_supply_habitat, r.min_band))
        self._options: dict[int, tuple[Option, ...]] = {}
        self._bank_options: dict[tuple[int, str], tuple[Option, ...]] = {}
        self._stock_at: dict[str, list[StockLine]] = defaultdict(list)
        for s in data.stock:
            self._stock_at[s.bank_id].append(s)

    def _demand(self, index: int, name: str, units: Fraction) -> Demand:
        unit_type = NET_GAIN.get(" ".join(name.split()).lower())
        if unit_type is not None:
            return Demand(index, CANONICAL_NET_GAIN[unit_type], units, unit_type, None)
        habitat = self.habitats.get(name) or self._folded[" ".join(name.split()).casefold()]
        return Demand(index, habitat.name, units, habitat.unit_type, habitat)

    # -- the rules for one line

    def cannot_be_met_alone(self) -> set[int]:
        """Lines with no option that could carry them even with all stock to
        themselves (one option per line), refused lines included."""
        return self.refused_lines() | {
            d.index
            for d in self.demand
            if not any(
                all(u <= self.available[s] for s, u in o.stock_use(d.units).items())
                for o in self.options(d.index)
            )
        }

    def refused_lines(self) -> set[int]:
        return {d.index for d in self.demand if refused(d)}

    def is_legal(self, demand: Demand, supply_name: str) -> bool:
        rules = self.explicit.get(demand.name, []) if demand.habitat is not None else []
        return legal(demand, self.habitats[supply_name], rules)

    def price(self, demand: Demand, bank_id: str, supply: str) -> tuple[Fraction, str] | None:
        """The exact row, else the demand's proxy rule (area Low/Net Gain/Medium)."""
        tier = self.tiers[bank_id]
        rows = self.rows.get((bank_id, tier), {})
        if supply in rows:
            return rows[supply], "exact"
        if demand.unit_type is not UnitType.AREA:
            return None
        legal_rows = [(p, h) for h, p in rows.items() if self.is_legal(demand, h)]
        band = demand.habitat.band if demand.habitat is not None else Band.LOW
        if band is Band.MEDIUM:
            group = demand.habitat.trading_broad_habitat
            same = [r for r in legal_rows if self.habitats[r[1]].trading_broad_habitat == group]
            legal_rows = same or [r for r in legal_rows if self.habitats[r[1]].band > Band.MEDIUM]
        elif band is not Band.LOW:
            return None
        return (min(legal_rows)[0], "proxy") if legal_rows else None

    def options(self, index: int) -> tuple[Option, ...]:
        """Every legal, priced option of a line, cheapest first."""
        if index not in self._options:
            banks = sorted({s.bank_id for s in self.stock.values()})
            found = [o for b in banks for o in self.bank_options(index, b)]
            self._options[index] = tuple(sorted(found, key=lambda o: o.unit_price))
        return self._options[index]

    def bank_options(self, index: int, bank_id: str) -> tuple[Option, ...]:
        """A line's options at one bank: each legal, priced stock line with stock
        left alone, and (area, adjacent and far) each with its companion."""
        key = (index, bank_id)
        if key in self._bank_options:
            return self._bank_options[key]
        demand = self.demand[index]
        tier = self.tiers[bank_id]
        candidates: list[tuple[StockLine, Fraction, str]] = []
        for s in sorted(self._stock_at[bank_id], key=lambda s: s.stock_id):
            if self.available[s.stock_id] <= 0 or not self.is_legal(demand, s.habitat_name):
                continue
            priced = self.price(demand, bank_id, s.habitat_name)
            if priced is not None:
                candidates.append((s, *priced))
        out = [
            Option(index, bank_id, tier, (Part(s.stock_id, s.habitat_name, F(1), p, src),))
            for s, p, src in candidates
        ]
        if demand.unit_type is UnitType.AREA and tier is not Tier.LOCAL:
            share = (
                self.policy.paired_main_share_adjacent
                if tier is Tier.ADJACENT
                else self.policy.paired_main_share_far
            )
            # a main's companion: the cheapest other-habitat candidate; ties: more
            # stock available, then stock id
            by_preference = sorted(
                candidates, key=lambda c: (c[1], -self.available[c[0].stock_id], c[0].stock_id)
            )
            seen: set[frozenset] = set()
            for main, p, src in candidates:
                companion = next(
                    (c for c in by_preference if c[0].habitat_name != main.habitat_name), None
                )
                if companion is None:
                    continue
                comp, cp, csrc = companion
                parts = (
                    Part(main.stock_id, main.habitat_name, share, p, src),
                    Part(comp.stock_id, comp.habitat_name, 1 - share, cp, csrc),
                )
                option = Option(index, bank_id, tier, parts)
                if option.signature not in seen:  # at far, either part may be the main
                    seen.add(option.signature)
                    out.append(option)
        self._bank_options[key] = tuple(out)
        return self._bank_options[key]

    def tolerance(self, cost: Fraction) -> Fraction:
        return min(self.policy.tolerance_abs, self.policy.tolerance_rel * cost)

    # -- the checker

    def check(self, quote: Quote) -> None:
        """Assert every allocation line of ``quote`` obeys the rules."""
        assert quote.contract_size is self.size, (quote.contract_size, self.size)
        assert quote.bank_cap == self.cap
        assert quote.total_demand == self.total
        assert quote.totals.admin_fee == self.admin_fee
        lines = quote.optimiser_lines
        assert lines, "a feasible quote has allocation lines"
        assert not self.refused_lines(), "a refused line was quoted"
        delivered: dict[int, Fraction] = defaultdict(Fraction)
        per_line: dict[int, int] = defaultdict(int)
        used: dict[str, Fraction] = defaultdict(Fraction)
        for ln in lines:
            demand = self.demand[ln.demand_index]
            where = f"line {ln.demand_index} ({demand.name}) from {ln.supply_habitat}"
            assert ln.demand_habitat == demand.name, where
            assert ln.unit_type is demand.unit_type, where
            assert ln.units_supplied > 0, where
            assert ln.tier is self.tiers[ln.bank_id], f"{where}: tier {ln.tier}"
            option = self._option_of(ln, demand)
            assert option is not None, f"{where}: not a legal priced option under RULES.md"
            assert ln.unit_price == option.unit_price, f"{where}: price {ln.unit_price}"
            assert ln.price_source == (
                "exact" if all(p.source == "exact" for p in option.parts) else "proxy"
            ), where
            assert ln.cost == ln.units_supplied * ln.unit_price, where
            expected_use = option.stock_use(ln.units_supplied)
            assert dict(ln.stock_use) == expected_use, f"{where}: stock use {ln.stock_use}"
            for stock_id, amount in expected_use.items():
                used[stock_id] += amount
            delivered[ln.demand_index] += ln.units_supplied
            per_line[ln.demand_index] += 1
        for stock_id, amount in used.items():
            assert amount <= self.available[stock_id], (
                f"stock {stock_id} overdrawn: {amount} > {self.available[stock_id]}"
            )
        assert len({ln.bank_id for ln in lines}) <= self.cap, "bank cap broken"
        assert set(delivered) == {d.index for d in self.demand}, "a line is not met"
        short = {
            i: delivered[i] - d.units for i, d in enumerate(self.demand) if delivered[i] != d.units
        }
        if self.total < self.policy.min_delivery and short:
            # the minimum delivery's extra, on one or more lines, each then exceeding
            # its need (when no legal allocation has room, the quote says so instead)
            assert sum(delivered.values()) == self.policy.min_delivery, delivered
            assert all(extra > 0 for extra in short.values()), short
        elif self.total < self.policy.min_delivery:
            assert any("minimum delivery" in w for w in quote.warnings), quote.warnings
        else:
            assert not short, f"lines not met exactly: {short}"
        if not self.policy.split_lines:
            assert all(n == 1 for n in per_line.values()), f"more than one option: {per_line}"
        assert quote.totals.optimiser_cost == sum((ln.cost for ln in lines), F(0))
        assert quote.totals.total == quote.totals.optimiser_cost + self.admin_fee

    def _option_of(self, ln, demand: Demand) -> Option | None:
        if ln.paired_parts:
            sig = frozenset((p.stock_id, p.share) for p in ln.paired_parts)
            assert len(ln.paired_parts) == 2 and ln.tier is not Tier.LOCAL
            assert sum(p.share for p in ln.paired_parts) == 1
            for p in ln.paired_parts:
                assert self.stock[p.stock_id].bank_id == ln.bank_id
                assert self.stock[p.stock_id].habitat_name == p.habitat_name
        else:
            assert len(ln.stock_use) == 1, ln.stock_use
            stock_id = ln.stock_use[0][0]
            assert self.stock[stock_id].bank_id == ln.bank_id
            assert self.stock[stock_id].habitat_name == ln.supply_habitat
            sig = frozenset({(stock_id, F(1))})
        return next(
            (o for o in self.bank_options(demand.index, ln.bank_id) if o.signature == sig),
            None,
        )

    # -- optimum by enumeration (one option per line)

    def brute_force(self) -> Staged | None:
        """Minimum cost for each bank count by exhaustive search (with exact
        bounds), then RULES.md's stages. None when nothing is feasible."""
        if self.refused_lines():
            return None
        order = sorted(range(len(self.demand)), key=lambda i: len(self.options(i)))
        choices = [
            [
                (o, o.unit_price * self.demand[i].units, o.stock_use(self.demand[i].units))
                for o in self.options(i)
            ]
            for i in order
        ]
        if any(not c for c in choices):
            return None
        floor = [min(c for _, c, _ in ch) for ch in choices]
        rest = [sum(floor[k:], F(0)) for k in range(len(floor) + 1)]
        best: dict[int, Fraction] = {}
        left = dict(self.available)

        def bound(n_banks: int) -> Fraction | None:
            known = [c for k, c in best.items() if k <= n_banks]
            return min(known) if known else None

        def search(k: int, cost: Fraction, banks: frozenset[str]) -> None:
            if k == len(choices):
                n = len(banks)
                if n not in best or cost < best[n]:
                    best[n] = cost
                return
            limit = bound(len(banks))
            for option, c, use in choices[k]:
                if limit is not None and cost + c + rest[k + 1] >= limit:
                    break  # choices are cheapest first
                new_banks = banks | {option.bank_id}
                if len(new_banks) > self.cap:
                    continue
                if any(left[s] < u for s, u in use.items()):
                    continue
                for s, u in use.items():
                    left[s] -= u
                search(k + 1, cost + c, new_banks)
                for s, u in use.items():
                    left[s] += u
                limit = bound(len(banks))

        search(0, F(0), frozenset())
        if not best:
            return None
        at_most = {
            n: min(c for k, c in best.items() if k <= n)
            for n in range(1, self.cap + 1)
            if any(k <= n for k in best)
        }
        optimal = at_most[self.cap]
        fewest = min(n for n, c in at_most.items() if c <= optimal + self.tolerance(optimal))
        return Staged(optimal, fewest, at_most[fewest])

    # -- optimum of split lines, through a plain MILP

    def split_optimum(self) -> Staged | None:
        """Split lines: a line may draw on several stock lines. A pair is a
        mix of two simple options of one bank, so simple options suffice."""
        if self.refused_lines():
            return None
        at_most = {}
        for n in range(1, self.cap + 1):
            cost = self._split_min_cost(n)
            if cost is not None:
                at_most[n] = cost
        if not at_most:
            return None
        optimal = at_most[self.cap]
        fewest = min(
            n for n, c in at_most.items() if c <= optimal + float(self.tolerance(F(optimal))) + 1e-6
        )
        return Staged(F(optimal), fewest, F(at_most[fewest]))

    def _split_min_cost(self, bank_limit: int) -> float | None:
        prob = pulp.LpProblem("oracle", pulp.LpMinimize)
        x, cost = {}, []
        banks = sorted(self.banks)
        y = {b: pulp.LpVariable(f"y_{n}", cat=pulp.LpBinary) for n, b in enumerate(banks)}
        draw: dict[str, list] = defaultdict(list)
        for d in self.demand:
            simple = [o for o in self.options(d.index) if len(o.parts) == 1]
            if not simple:
                return None
            terms = []
            for n, o in enumerate(simple):
                var = pulp.LpVariable(f"x_{d.index}_{n}", 0, float(d.units))
                x[(d.index, n)] = var
                terms.append(var)
                cost.append(float(o.unit_price) * var)
                draw[o.parts[0].stock_id].append(var * float(1 / SRM[o.tier]))
                prob += var <= float(d.units) * y[o.bank_id]
            prob += pulp.lpSum(terms) == float(d.units)
        for stock_id, terms in draw.items():
            prob += pulp.lpSum(terms) <= float(self.available[stock_id])
        prob += pulp.lpSum(y.values()) <= bank_limit
        prob += pulp.lpSum(cost)
        prob.solve(pulp.HiGHS(msg=False, threads=1))
        if pulp.LpStatus[prob.status] != "Optimal":
            return None
        return pulp.value(prob.objective)


def demand_units(quote: Quote) -> Mapping[int, Fraction]:
    out: dict[int, Fraction] = defaultdict(Fraction)
    for ln in quote.optimiser_lines:
        out[ln.demand_index] += ln.units_supplied
    return out
