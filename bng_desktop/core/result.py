"""What a quote is, once made: allocation lines, totals and how it was solved.

These records are what the store saves, the Excel quote and the CLI's JSON
print, and the UI shows. Figures are exact Fractions; display rounding is a
separate step (rounding.py), never applied to stored values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from .bands import ContractSize, Tier, UnitType
from .metric import MetricSource
from .model import DemandLine, Site
from .onsite_plan import OnSiteRecord
from .policy import Policy
from .statutory_credits import StatutoryCredits


@dataclass(frozen=True)
class PairedPart:
    """One habitat of a paired allocation (area, adjacent/far tier)."""

    stock_id: str
    habitat_name: str
    share: Fraction
    unit_price: Fraction
    price_source: str
    price_habitat: str
    stock_use: Fraction
    """Stock units this part takes for the line's delivered units."""


@dataclass(frozen=True)
class AllocationLine:
    """One line of a quote: units of one option for one demand line.

    ``kind`` is ``optimiser`` for lines the engine chose, ``manual`` for lines
    a consultant added after solving (``demand_index`` is then None).
    """

    demand_index: int | None
    demand_habitat: str
    unit_type: UnitType
    bank_id: str
    bank_name: str
    supply_habitat: str
    tier: Tier | None
    units_supplied: Fraction
    unit_price: Fraction
    cost: Fraction
    price_source: str
    price_habitat: str = ""
    stock_use: tuple[tuple[str, Fraction], ...] = ()
    paired_parts: tuple[PairedPart, ...] = ()
    kind: str = "optimiser"
    demand_band: str = ""
    supply_band: str = ""
    line_id: str = ""

    @property
    def paired(self) -> bool:
        return bool(self.paired_parts)


@dataclass(frozen=True, kw_only=True)
class SolverInfo:
    name: str
    status: str
    optimal: bool
    """Proven cheapest: no legal allocation costs less."""
    stages: tuple[str, ...]
    seconds: float
    options: int = 0
    note: str = ""
    bound: Fraction | None = None
    """The proven lower bound on the optimiser lines' cost: no legal allocation
    costs less (their cost itself when proven); None when none was proven."""
    gap: Fraction | None = None
    """How far the optimiser lines' cost may be above the cheapest possible, as
    a fraction of the bound (when proven, 0 or what fewer banks cost within the
    tolerance); None when there is no bound above 0."""


@dataclass(frozen=True)
class Totals:
    """Exact totals and what the client sees (sum of the lines as shown)."""

    optimiser_cost: Fraction
    manual_cost: Fraction
    suo_discount: Fraction
    subtotal: Fraction
    admin_fee: Fraction
    total: Fraction
    display_subtotal: int
    display_suo_discount: int
    display_total: int


@dataclass(frozen=True)
class SuoInfo:
    """Surplus uplift offset: on-site surplus (bands ≥ Medium) from the metric."""

    eligible_surplus: Fraction
    usable_surplus: Fraction
    units_supplied: Fraction
    discount_fraction: Fraction


@dataclass(frozen=True)
class QuoteRequest:
    """Everything the engine needs besides the reference snapshot."""

    site: Site
    demand: tuple[DemandLine, ...]
    policy: Policy = field(default_factory=Policy)
    eligible_surplus: Fraction | None = None
    """On-site surplus of bands ≥ Medium read from a metric (enables SUO)."""
    metric: MetricSource | None = None
    """The metric workbook the demand was read from: file name, SHA-256,
    version and report. Not part of the result cache's key (it does not
    change the allocation): an answer from the cache gets this request's."""
    onsite: OnSiteRecord | None = None
    """How the metric's on-site surplus was used (mode, transfers, both totals).
    Like ``metric``, not part of the result cache's key."""


@dataclass(frozen=True)
class Quote:
    request: QuoteRequest
    reference_version: int
    reference_hash: str
    contract_size: ContractSize
    pricing_size: ContractSize
    bank_cap: int
    total_demand: Fraction
    lines: tuple[AllocationLine, ...]
    totals: Totals
    solver: SolverInfo
    suo: SuoInfo | None = None
    warnings: tuple[str, ...] = ()
    statutory_credits: StatutoryCredits | None = None
    """The same demand priced as statutory credits (the last-resort route)."""
    adjusted_by_hand: bool = False
    """A consultant added or removed lines: no longer the optimiser's answer."""

    @property
    def banks_used(self) -> tuple[str, ...]:
        return tuple(sorted({ln.bank_id for ln in self.lines if ln.kind == "optimiser"}))

    @property
    def optimiser_lines(self) -> tuple[AllocationLine, ...]:
        return tuple(ln for ln in self.lines if ln.kind == "optimiser")

    @property
    def manual_lines(self) -> tuple[AllocationLine, ...]:
        return tuple(ln for ln in self.lines if ln.kind == "manual")
