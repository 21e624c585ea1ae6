"""Manual adjustments after solving: remove a line, add manual lines.

Every change returns a new Quote with totals recomputed from its lines, so a
manual line is counted exactly once (the legacy tool counted them twice).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction

from .bands import Tier, UnitType
from .contract import admin_fee
from .errors import DemandError, Problem
from .result import AllocationLine, PairedPart, Quote
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
    return dataclasses.replace(quote, lines=lines, totals=totals, suo=suo)
