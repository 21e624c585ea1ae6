"""Manual adjustments after solving: remove a line, add manual lines, and
what an adjusted quote no longer meets.

Every change returns a new Quote with totals recomputed from its lines, so a
manual line is counted exactly once (the legacy tool counted them twice), and
marked ``adjusted_by_hand``: it is no longer the optimiser's answer.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction

from .bands import Tier, UnitType
from .contract import admin_fee
from .errors import DemandError, Problem
from .result import AllocationLine, PairedPart, Quote
from .rounding import display_units
from .tiers import STOCK_PER_UNIT
from .totals import compute_suo, compute_totals

MANUAL = "manual"


@dataclass(frozen=True)
class ManualEntry:
    """A line the consultant prices by hand (simple, or a paired area line)."""

    unit_type: UnitType
    demand_habitat: str
    supply_habitat: str
    units: Fraction
    unit_price: Fraction
    bank_name: str = ""
    tier: Tier | None = None
    companion_habitat: str = ""
    main_share: Fraction | None = None
    """Paired area lines: the supply habitat's share; the companion gets the rest."""
    demand_band: str = ""
    supply_band: str = ""


@dataclass(frozen=True)
class Shortfall:
    """A demand line an adjusted quote no longer fully meets."""

    demand_index: int
    habitat_name: str
    demanded: Fraction
    supplied: Fraction

    @property
    def missing(self) -> Fraction:
        return self.demanded - self.supplied

    def text(self) -> str:
        """'Line 2 (Grassland - Modified grassland): 0.30 of 1.20 units not met'."""
        return (
            f"Line {self.demand_index + 1} ({self.habitat_name}): "
            f"{display_units(self.missing)} of {display_units(self.demanded)} units not met"
        )


def shortfalls(quote: Quote) -> tuple[Shortfall, ...]:
    """The demand lines the quote's lines do not fully supply, in demand order.

    A line counts for the demand line it was chosen for; a manual line counts
    for the demand lines of the habitat it names as lost, in demand order.
    """
    supplied = [Fraction(0)] * len(quote.request.demand)
    manual: dict[str, Fraction] = {}
    for line in quote.lines:
        index = line.demand_index
        if line.kind == MANUAL or index is None or not 0 <= index < len(supplied):
            name = line.demand_habitat.strip()
            manual[name] = manual.get(name, Fraction(0)) + line.units_supplied
        else:
            supplied[index] += line.units_supplied
    found = []
    for index, demand in enumerate(quote.request.demand):
        short = demand.units - supplied[index]
        taken = min(max(short, Fraction(0)), manual.get(demand.habitat_name, Fraction(0)))
        if taken:
            manual[demand.habitat_name] -= taken
        if short - taken > 0:
            found.append(
                Shortfall(index, demand.habitat_name, demand.units, supplied[index] + taken)
            )
    return tuple(found)


def remove_line(quote: Quote, line_id: str) -> Quote:
    kept = tuple(ln for ln in quote.lines if ln.line_id != line_id)
    if len(kept) == len(quote.lines):
        raise DemandError(f"There is no line {line_id!r} in this quote to remove.")
    return _with_lines(quote, kept)


def add_manual_line(quote: Quote, entry: ManualEntry) -> Quote:
    _check(entry)
    return _with_lines(quote, (*quote.lines, _manual_line(entry, _next_manual_id(quote))))


def _next_manual_id(quote: Quote) -> str:
    """man-1, man-2, ...: never reused within a quote, even after removals."""
    used = [
        int(ln.line_id.removeprefix("man-"))
        for ln in quote.lines
        if ln.line_id.startswith("man-") and ln.line_id.removeprefix("man-").isdigit()
    ]
    return f"man-{max(used, default=0) + 1}"


def _check(entry: ManualEntry) -> None:
    problems = []
    sheet = "manual line"
    if not entry.demand_habitat.strip():
        problems.append(
            Problem(sheet, None, "habitat lost", entry.demand_habitat, "a habitat name")
        )
    if not entry.supply_habitat.strip():
        problems.append(
            Problem(sheet, None, "habitat supplied", entry.supply_habitat, "a habitat name")
        )
    if entry.units <= 0:
        problems.append(Problem(sheet, None, "units", float(entry.units), "units above 0"))
    if entry.unit_price < 0:
        problems.append(Problem(sheet, None, "price", float(entry.unit_price), "a price ≥ £0"))
    if entry.companion_habitat.strip():
        if entry.unit_type is not UnitType.AREA:
            problems.append(
                Problem(
                    sheet,
                    None,
                    "companion",
                    entry.companion_habitat,
                    "pairs only for area habitats",
                )
            )
        if entry.main_share is None or not 0 < entry.main_share < 1:
            problems.append(
                Problem(
                    sheet,
                    None,
                    "share",
                    entry.main_share,
                    "a share of the main habitat between 0 and 1",
                )
            )
    if problems:
        raise DemandError("The manual line was not added", problems)


def _manual_line(entry: ManualEntry, line_id: str) -> AllocationLine:
    parts: tuple[PairedPart, ...] = ()
    supply = entry.supply_habitat.strip()
    if entry.companion_habitat.strip():
        share = entry.main_share or Fraction(1, 2)
        per_unit = STOCK_PER_UNIT[entry.tier] if entry.tier else Fraction(1)
        parts = tuple(
            PairedPart(
                "",
                name,
                part_share,
                entry.unit_price,
                MANUAL,
                name,
                entry.units * part_share * per_unit,
            )
            for name, part_share in ((supply, share), (entry.companion_habitat.strip(), 1 - share))
        )
        supply = f"{supply} + {entry.companion_habitat.strip()}"
    return AllocationLine(
        demand_index=None,
        demand_habitat=entry.demand_habitat.strip(),
        unit_type=entry.unit_type,
        bank_id="",
        bank_name=entry.bank_name.strip(),
        supply_habitat=supply,
        tier=entry.tier,
        units_supplied=entry.units,
        unit_price=entry.unit_price,
        cost=entry.units * entry.unit_price,
        price_source=MANUAL,
        price_habitat=entry.supply_habitat.strip(),
        paired_parts=parts,
        kind=MANUAL,
        demand_band=entry.demand_band,
        supply_band=entry.supply_band,
        line_id=line_id,
    )


def _with_lines(quote: Quote, lines: tuple[AllocationLine, ...]) -> Quote:
    policy = quote.request.policy
    suo = compute_suo(quote.request.eligible_surplus, lines, policy)
    totals = compute_totals(lines, admin_fee(quote.contract_size, policy), suo)
    return dataclasses.replace(quote, lines=lines, totals=totals, suo=suo, adjusted_by_hand=True)
