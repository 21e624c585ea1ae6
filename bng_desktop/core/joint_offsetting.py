"""On-site and off-site optimised together: the site's surpluses as free
supply in the same model as the banks' stock.

The metric's own order (METRIC.md step 1, core/offsetting.py) decides the
on-site transfers first and buys what is left; it offsets the most units, but
not always the units that are dearest to buy. Here the engine decides which
deficit each surplus covers so that the purchase is cheapest:

* **demand**: every tradeable deficit of a catalogue habitat at its full
  loss, and per unit type the Net Gain requirement (baseline × target);
* **supply**: the banks' options, built as for any quote (core/options.py:
  same trading rules, tiers, prices, stock policy, pairs), and each on-site
  surplus as a free source of its units;
* **model**: core/joint_model.py — at most one bank option per line, the
  bank cap, stock, minimum purchase cost.

Readings taken (METRIC.md, RULES.md):

* On-site trading follows the same trading table as off site, Medium fix
  included, without explicit TradingRules rows — as the metric's own
  offsetting does (core/offsetting.py).
* On-site units count one for one: the spatial risk multiplier applies to
  off-site gain sites only (the project-wide change is already net on site),
  so a surplus gives up exactly the units it offsets, at no price, and the
  site is no bank: it never counts towards the bank cap.
* Surplus not given to a deficit counts towards the Net Gain requirement as
  in METRIC.md step 3 (highest band first); what is left by band is what SUO
  reads. A Net Gain line accepts any surplus of its unit type, so its part is
  decided after the deficits', exactly.
* A deficit under a label the catalogue does not know joins the Net Gain
  line at its full loss (the metric's order offsets it by its block's band
  first; either way its residual goes to Net Gain, which accepts more).
* Prices and the bank cap are those of the metric order's own total, and the
  joint purchase buys no more units than it (give or take the 0.0001 units a
  line may be left short by, as in METRIC.md step 2): the comparison is at
  the same contract size, and no surplus is left idle to reach a cheaper size.

Exact figures: the model's on-site units are brought back to Fractions that
never give a surplus more than it has nor a deficit more than it lost.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction

from .bands import Band, UnitType
from .contract import contract_size
from .demand import ResolvedLine, resolve_demand
from .joint_model import JointModel, JointResult, JointSpec, OnSiteArc
from .joint_options import JointUniverse
from .metric import SUO_MIN_BAND, SUO_UNIT_TYPE, MetricImport
from .milp import Clock, installed_solvers
from .model import NET_GAIN_NAMES, DemandLine, Habitat, Site
from .offsetting import TINY, Ledger, MetricLine, count_towards_net_gain, rule_habitat
from .onsite_plan import OnSiteMode, OnSiteTransfer
from .options import availability, build_options
from .policy import Policy
from .pricing import PriceBook, pricing_size
from .reference import ReferenceSnapshot
from .tiers import SiteGeography
from .trading import Deficit, is_legal_supply, refusal

NEAR = 1e-7
"""A model figure this close to a surplus's or a loss's exact units is that figure."""


@dataclass(frozen=True)
class OnSitePlan:
    """One way of offsetting on site: its transfers, the lines left to buy and
    the surplus SUO may use afterwards."""

    mode: OnSiteMode
    transfers: tuple[OnSiteTransfer, ...]
    lines: tuple[MetricLine, ...]
    eligible_surplus: Fraction
    model_cost: float | None = None
    """The joint model's minimum purchase cost (before the staged quote)."""

    @property
    def demand(self) -> tuple[DemandLine, ...]:
        return tuple(line.demand_line() for line in self.lines)


def metric_plan(imported: MetricImport) -> OnSitePlan:
    """The metric's own order, as imported (METRIC.md steps 1–4)."""
    transfers = tuple(
        OnSiteTransfer(r.unit_type, t.surplus, t.surplus_band, t.deficit, t.deficit_band, t.units)
        for r in imported.source.reports
        for t in r.transfers
    )
    return OnSitePlan(OnSiteMode.METRIC_ORDER, transfers, imported.lines, imported.eligible_surplus)


@dataclass(frozen=True)
class _Need:
    """A line of the joint model: a deficit row, or a unit type's Net Gain."""

    unit_type: UnitType
    name: str
    units: Fraction
    habitat: Habitat | None
    """None for a Net Gain line."""
    band: Band = Band.LOW
    label: str | None = None


@dataclass(frozen=True)
class _Supply:
    unit_type: UnitType
    name: str
    band: Band
    habitat: Habitat
    units: Fraction


@dataclass(frozen=True)
class _Site:
    needs: tuple[_Need, ...]
    supplies: tuple[_Supply, ...]
    requirement: dict[UnitType, Fraction]
    """Net Gain requirement by unit type, unknown labels' losses included."""
    bands: dict[UnitType, tuple[Band, ...]]


def joint_plan(
    snapshot: ReferenceSnapshot,
    site: Site,
    policy: Policy,
    imported: MetricImport,
    *,
    solver: str | None = None,
) -> OnSitePlan | None:
    """The cheapest on-site use of the surplus with the banks' stock; None when
    no MILP solver is installed or the joint model has no answer."""
    sequential = metric_plan(imported)
    bound = sum((line.units for line in sequential.lines), Fraction(0))
    terms = _site_terms(imported.ledgers)
    if bound == 0 or not terms.supplies:
        return _as_joint(sequential)
    chosen = solver or next(iter(_solvers(policy)), None)
    if chosen is None:
        return None
    lines = tuple(n for n in terms.needs if n.units > 0)
    resolved = resolve_demand(tuple(DemandLine(n.name, n.units) for n in lines), snapshot)
    arcs = _arcs(lines, terms.supplies)
    universe, spec = _universe(snapshot, site, policy, resolved, arcs, terms.supplies, bound)
    solved = _solve(universe, spec, chosen, float(policy.time_limit_seconds))
    if solved is None:
        return None
    spec, result = solved
    moved = _exact_transfers(spec, result.on_site)
    return _plan(terms, lines, arcs, moved, result.cost or 0.0)


def _solve(
    universe: JointUniverse, spec: JointSpec, solver: str, time_limit: float
) -> tuple[JointSpec, JointResult] | None:
    """The stock relaxation (core/joint_options.py) until the answer fits the stock."""
    clock = Clock(time_limit)
    constrained: frozenset[str] = frozenset()
    while True:
        spec = dataclasses.replace(
            spec, options=universe.relaxed(constrained), constrained=constrained
        )
        result = JointModel(spec).run(solver, clock.remaining)
        if result.cost is None:
            return None
        over = universe.overdrawn(spec.options, result.bought) - constrained
        if not over:  # a row already enforced is within the solver's own tolerance
            return spec, result
        if clock.remaining <= 0:
            return None
        constrained |= over


def _arcs(lines: tuple[_Need, ...], supplies: tuple[_Supply, ...]) -> tuple[OnSiteArc, ...]:
    """Every (surplus, line) pair the trading rules allow on site."""
    return tuple(
        OnSiteArc(s, n)
        for n, need in enumerate(lines)
        for s, supply in enumerate(supplies)
        if supply.unit_type is need.unit_type
        and is_legal_supply(Deficit(need.unit_type, need.habitat), supply.habitat)
    )


def _as_joint(plan: OnSitePlan) -> OnSitePlan:
    """Nothing to decide (nothing bought, or no surplus): the metric's answer."""
    return OnSitePlan(
        OnSiteMode.OPTIMISED_TOGETHER, plan.transfers, plan.lines, plan.eligible_surplus
    )


def _solvers(policy: Policy) -> list[str]:
    installed = list(installed_solvers())
    if policy.solver in installed:
        return [policy.solver] + [s for s in installed if s != policy.solver]
    return installed


def _site_terms(ledgers: tuple[Ledger, ...]) -> _Site:
    needs: list[_Need] = []
    supplies: list[_Supply] = []
    requirement: dict[UnitType, Fraction] = {}
    for ledger in ledgers:
        unknown = Fraction(0)
        for row in ledger.rows:
            habitat = rule_habitat(ledger.unit_type, row)
            if row.change > 0:
                supplies.append(_Supply(ledger.unit_type, row.name, row.band, habitat, row.change))
            elif row.change < 0 and refusal(Deficit(ledger.unit_type, habitat)) is None:
                if row.habitat is None:
                    unknown -= row.change
                else:
                    needs.append(
                        _Need(ledger.unit_type, row.name, -row.change, habitat, row.band, row.label)
                    )
        requirement[ledger.unit_type] = ledger.baseline * ledger.target + unknown
        name = NET_GAIN_NAMES[ledger.unit_type]
        needs.append(_Need(ledger.unit_type, name, requirement[ledger.unit_type], None))
    bands = {ledger.unit_type: ledger.bands for ledger in ledgers}
    return _Site(tuple(needs), tuple(supplies), requirement, bands)


def _universe(
    snapshot: ReferenceSnapshot,
    site: Site,
    policy: Policy,
    resolved: tuple[ResolvedLine, ...],
    arcs: tuple[OnSiteArc, ...],
    supplies: tuple[_Supply, ...],
    bound: Fraction,
) -> tuple[JointUniverse, JointSpec]:
    """The banks' options priced as for the metric order's own total (size,
    promoter, tiers, stock policy), and the model's fixed parts."""
    size = contract_size(bound, snapshot.sizes_present, policy)
    priced_at = pricing_size(size, snapshot.sizes_present, policy.promoter)
    geography = SiteGeography(site)
    tiers = {bank_id: geography.tier_of(bank) for bank_id, bank in snapshot.banks.items()}
    available = availability(snapshot, policy)
    book = PriceBook(
        snapshot.prices, snapshot.price_rows_at, snapshot.habitats, priced_at, policy.promoter
    )
    found = build_options(snapshot, resolved, tiers, book, policy, available)
    units = {line.index: line.units for line in resolved}
    universe = JointUniverse(found.groups, units, available, policy.split_lines)
    spec = JointSpec(
        options=(),
        units=units,
        arcs=arcs,
        surplus=tuple(s.units for s in supplies),
        available=available,
        bank_cap=policy.bank_cap(bound),
        split_lines=policy.split_lines,
        purchase_bound=bound + TINY * len(resolved),
    )
    return universe, spec


def _exact_transfers(spec: JointSpec, values: dict[int, float]) -> dict[int, Fraction]:
    """Arc → exact units: near a surplus's or a loss's units, exactly those;
    never more than either has left."""
    left = list(spec.surplus)
    need = dict(spec.units)
    out: dict[int, Fraction] = {}
    for a, value in sorted(values.items()):
        arc = spec.arcs[a]
        units = _snap(value, (left[arc.supply], need[arc.line]))
        units = min(units, left[arc.supply], need[arc.line])
        if units > 0:
            out[a] = units
            left[arc.supply] -= units
            need[arc.line] -= units
    return out


def _snap(value: float, exact: tuple[Fraction, ...]) -> Fraction:
    for figure in exact:
        if abs(float(figure) - value) < NEAR:
            return figure
    return Fraction(value).limit_denominator(10**9)


def _plan(
    terms: _Site,
    lines: tuple[_Need, ...],
    arcs: tuple[OnSiteArc, ...],
    moved: dict[int, Fraction],
    cost: float,
) -> OnSitePlan:
    """Transfers to deficits as the model chose; Net Gain from what is left (step 3)."""
    given = [Fraction(0)] * len(terms.supplies)
    taken = [Fraction(0)] * len(lines)
    transfers: list[OnSiteTransfer] = []
    for a, units in sorted(moved.items()):
        s, n = arcs[a].supply, arcs[a].line
        need, supply = lines[n], terms.supplies[s]
        if need.habitat is None:
            continue
        given[s] += units
        taken[n] += units
        transfers.append(
            OnSiteTransfer(need.unit_type, supply.name, supply.band, need.name, need.band, units)
        )
    bought: list[MetricLine] = []
    eligible = Fraction(0)
    for unit_type, bands in terms.bands.items():
        for n, need in enumerate(lines):
            residual = need.units - taken[n]
            if need.unit_type is unit_type and need.habitat is not None and residual > TINY:
                bought.append(
                    MetricLine(need.name, unit_type, residual, "deficit", need.band, need.label)
                )
        left = {
            band: sum(
                (
                    sup.units - given[s]
                    for s, sup in enumerate(terms.supplies)
                    if sup.unit_type is unit_type and sup.band is band
                ),
                Fraction(0),
            )
            for band in sorted(bands, reverse=True)
        }
        still, surplus_left = count_towards_net_gain(terms.requirement[unit_type], left)
        if still > TINY:
            bought.append(MetricLine(NET_GAIN_NAMES[unit_type], unit_type, still, "net_gain"))
        if unit_type is SUO_UNIT_TYPE:
            eligible = sum((u for b, u in surplus_left.items() if b >= SUO_MIN_BAND), Fraction(0))
    return OnSitePlan(
        OnSiteMode.OPTIMISED_TOGETHER, tuple(transfers), tuple(bought), eligible, cost
    )
