"""The client report: the quote table consultants send, as plain data.

Layout follows the legacy "client report table" (legacy-optimiser-spec.md §8)
with its defects fixed: one row per allocation line (never matched to demand
by habitat name), watercourse Net Gain labelled as such, manual lines counted
once, and every money figure the sum of the figures shown (RULES.md "Rounding
and totals"). Shells (Excel, UI, email) only format what this module returns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from fractions import Fraction

from .bands import Band, UnitType
from .exact import round_half_up
from .model import net_gain_unit_type
from .result import AllocationLine, Quote
from .rounding import display_money, display_unit_price, display_units

SECTION_TITLES: dict[UnitType, str] = {
    UnitType.AREA: "Area Habitats",
    UnitType.HEDGEROW: "Hedgerow Habitats",
    UnitType.WATERCOURSE: "Watercourse Habitats",
}
NET_GAIN_HABITATS_LOST: dict[UnitType, str] = {
    UnitType.AREA: "Any",
    UnitType.HEDGEROW: "Any (Hedgerows)",
    UnitType.WATERCOURSE: "Any (Watercourses)",
}
IMPACT_HEADER = "Development Impact"
MITIGATION_HEADER = "Mitigation Supplied"
COLUMNS: tuple[str, ...] = (
    "Distinctiveness",
    "Habitats Lost",
    "# Units",
    "Distinctiveness",
    "Habitats Supplied",
    "# Units",
    "Price Per Unit",
    "Offset Cost",
)
ADMIN_FEE_LABEL = "Planning Discharge Pack"
SUO_LABEL = "Surplus uplift offset"
TOTAL_LABEL = "Total"
VAT_NOTE = "Prices exclude VAT."


class RowCategory(IntEnum):
    """What a row's demand side is; the value is its rank in the sort order."""

    V_HIGH = 0
    HIGH = 1
    MEDIUM = 2
    LOW_NET_GAIN = 3
    LOW = 4
    NET_GAIN = 5
    V_LOW = 6
    OTHER = 7


_BAND_CATEGORY = {
    Band.V_HIGH: RowCategory.V_HIGH,
    Band.HIGH: RowCategory.HIGH,
    Band.MEDIUM: RowCategory.MEDIUM,
    Band.LOW: RowCategory.LOW,
    Band.V_LOW: RowCategory.V_LOW,
}


@dataclass(frozen=True)
class ReportRow:
    """One row of the client table: one allocation line, or a Low + Net Gain bundle.

    Units are exact (show them with ``units_lost_text``/``units_supplied_text``);
    ``price_per_unit`` and ``cost`` are the whole-pound figures the client sees.
    """

    category: RowCategory
    demand_distinctiveness: str
    habitats_lost: str
    units_lost: Fraction
    supply_distinctiveness: str
    habitats_supplied: str
    units_supplied: Fraction
    price_per_unit: int
    cost: int
    exact_cost: Fraction
    line_positions: tuple[int, ...]
    """Indexes into ``quote.lines`` of the lines this row shows."""

    @property
    def units_lost_text(self) -> str:
        return display_units(self.units_lost)

    @property
    def units_supplied_text(self) -> str:
        return display_units(self.units_supplied)


@dataclass(frozen=True)
class ReportSection:
    unit_type: UnitType
    title: str
    rows: tuple[ReportRow, ...]


@dataclass(frozen=True)
class FooterRow:
    """Admin fee, SUO discount (negative) or the total. Units only on the total."""

    kind: str
    label: str
    amount: int
    detail: str = ""
    units_lost: Fraction | None = None
    units_supplied: Fraction | None = None


@dataclass(frozen=True)
class ClientReport:
    sections: tuple[ReportSection, ...]
    footer: tuple[FooterRow, ...]
    note: str = VAT_NOTE

    @property
    def rows(self) -> tuple[ReportRow, ...]:
        return tuple(row for section in self.sections for row in section.rows)

    @property
    def total(self) -> int:
        return self.footer[-1].amount


@dataclass(frozen=True)
class _Entry:
    """One allocation line, labelled for the report, before bundling."""

    position: int
    line: AllocationLine
    order: tuple[int, int, int]
    category: RowCategory
    demand_label: str
    habitats_lost: str
    units_lost: Fraction
    supply_label: str
    habitats_supplied: str


def client_report(
    quote: Quote,
    *,
    net_gain_targets: Mapping[UnitType, Fraction] | None = None,
) -> ClientReport:
    """The client table of ``quote``: sections, sorted rows, fee/SUO/total footer.

    ``net_gain_targets`` (a fraction per unit type, from the metric) turn the
    "Net Gain" label into e.g. "10% Net Gain". Left out, they come from the
    metric workbook the demand was read from, when there is one.

    Raises ValueError when the quote's display totals are not the sum of its
    lines as shown (an engine bug: the client could not add the table up).
    """
    if net_gain_targets is None and quote.request.metric is not None:
        net_gain_targets = quote.request.metric.net_gain_targets
    units_lost = _units_lost_by_position(quote)
    by_section: dict[UnitType, list[_Entry]] = defaultdict(list)
    for position, line in enumerate(quote.lines):
        entry = _entry(position, line, units_lost[position], net_gain_targets)
        by_section[line.unit_type].append(entry)
    sections = tuple(
        ReportSection(unit, SECTION_TITLES[unit], _section_rows(entries, net_gain_targets))
        for unit in UnitType
        if (entries := by_section.get(unit))
    )
    footer = _footer(quote, sections)
    return ClientReport(sections=sections, footer=footer)


def net_gain_label(unit_type: UnitType, targets: Mapping[UnitType, Fraction] | None) -> str:
    """'Net Gain', or '10% Net Gain' when the metric's target is known."""
    if not targets or unit_type not in targets:
        return "Net Gain"
    return f"{percent_text(targets[unit_type])}% Net Gain"


def percent_text(fraction: Fraction) -> str:
    """A fraction as a percentage, up to 1 decimal: 3/4 → '75', 2/3 → '66.7'."""
    value = round_half_up(fraction * 100, Fraction(1, 10))
    return str(int(value)) if value.denominator == 1 else f"{float(value):.1f}"


def _units_lost_by_position(quote: Quote) -> dict[int, Fraction]:
    """Demand units each line answers for.

    A demand line met by one allocation line shows its demanded units; one
    split over several lines shares them in proportion to the units supplied,
    so the column still adds up to the demand. Manual lines (and lines whose
    demand index is unknown) show the units they supply.
    """
    groups: dict[int, list[int]] = defaultdict(list)
    lost: dict[int, Fraction] = {}
    for position, line in enumerate(quote.lines):
        index = line.demand_index
        if line.kind == "manual" or index is None or not 0 <= index < len(quote.request.demand):
            lost[position] = line.units_supplied
        else:
            groups[index].append(position)
    for index, positions in groups.items():
        demanded = quote.request.demand[index].units
        supplied = [quote.lines[p].units_supplied for p in positions]
        total = sum(supplied, Fraction(0))
        for position, units in zip(positions, supplied, strict=True):
            share = units / total if total else Fraction(1, len(positions))
            lost[position] = demanded * share
    return lost


def _entry(
    position: int,
    line: AllocationLine,
    units_lost: Fraction,
    targets: Mapping[UnitType, Fraction] | None,
) -> _Entry:
    manual = line.kind == "manual"
    order = (int(manual), line.demand_index if line.demand_index is not None else 0, position)
    supply_label, supplied = _supply_side(line)
    if net_gain_unit_type(line.demand_habitat) is not None:
        category = RowCategory.NET_GAIN
        demand_label = net_gain_label(line.unit_type, targets)
        lost = NET_GAIN_HABITATS_LOST[line.unit_type]
    else:
        category, demand_label = _band_category(line.demand_band)
        lost = line.demand_habitat
    return _Entry(
        position, line, order, category, demand_label, lost, units_lost, supply_label, supplied
    )


def _band_category(text: str) -> tuple[RowCategory, str]:
    """A band label's category and its metric spelling; blank or odd text sorts last."""
    try:
        band = Band.parse(text)
    except ValueError:
        return RowCategory.OTHER, text.strip()
    return _BAND_CATEGORY[band], band.label


def _supply_side(line: AllocationLine) -> tuple[str, str]:
    """Supply distinctiveness and habitat text of a line.

    A paired line is shown at its highest-distinctiveness part's band (the
    engine's ``supply_band``, the highest of its parts) and blended price; the
    text names every part with its share, main part first.
    """
    band = _band_category(line.supply_band)[1]
    if not line.paired:
        return band, line.supply_habitat
    text = " + ".join(f"{p.habitat_name} ({percent_text(p.share)}%)" for p in line.paired_parts)
    return band, text


def _section_rows(
    entries: list[_Entry], targets: Mapping[UnitType, Fraction] | None
) -> tuple[ReportRow, ...]:
    area = entries[0].line.unit_type is UnitType.AREA
    grouped = _bundle(entries) if area else [[e] for e in entries]
    rows = [(_row(group, targets), min(e.order for e in group)) for group in grouped]
    rows.sort(key=lambda pair: (pair[0].category, pair[1]))
    return tuple(row for row, _ in rows)


def _bundle(entries: list[_Entry]) -> list[list[_Entry]]:
    """Merge Low and Net Gain rows supplied by the same habitat (legacy rule).

    A supplied habitat with both Low and Net Gain rows gets one bundle of all
    of them; Low or Net Gain rows without a partner stay as they are.
    """
    candidates: dict[str, list[_Entry]] = defaultdict(list)
    for entry in entries:
        if entry.category in (RowCategory.LOW, RowCategory.NET_GAIN):
            candidates[entry.habitats_supplied].append(entry)
    bundles = {
        supplied: group
        for supplied, group in candidates.items()
        if {e.category for e in group} == {RowCategory.LOW, RowCategory.NET_GAIN}
    }
    groups: list[list[_Entry]] = []
    for entry in entries:
        group = bundles.get(entry.habitats_supplied)
        if group is None or entry.category not in (RowCategory.LOW, RowCategory.NET_GAIN):
            groups.append([entry])
        elif entry is group[0]:
            groups.append(group)
    return groups


def _row(group: list[_Entry], targets: Mapping[UnitType, Fraction] | None) -> ReportRow:
    first = group[0]
    units_supplied = sum((e.line.units_supplied for e in group), Fraction(0))
    exact_cost = sum((e.line.cost for e in group), Fraction(0))
    price = exact_cost / units_supplied if units_supplied else Fraction(0)
    if len(group) == 1:
        category, demand_label, lost = first.category, first.demand_label, first.habitats_lost
        supply_label = first.supply_label
    else:
        lows = [e for e in group if e.category is RowCategory.LOW]
        category = RowCategory.LOW_NET_GAIN
        demand_label = f"Low + {net_gain_label(first.line.unit_type, targets)}"
        lost = ", ".join(_unique(e.habitats_lost for e in lows))
        supply_label = lows[0].supply_label
    return ReportRow(
        category=category,
        demand_distinctiveness=demand_label,
        habitats_lost=lost,
        units_lost=sum((e.units_lost for e in group), Fraction(0)),
        supply_distinctiveness=supply_label,
        habitats_supplied=first.habitats_supplied,
        units_supplied=units_supplied,
        price_per_unit=display_unit_price(price),
        cost=sum(display_money(e.line.cost) for e in group),
        exact_cost=exact_cost,
        line_positions=tuple(sorted(e.position for e in group)),
    )


def _unique(texts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(t for t in texts if t))


def _footer(quote: Quote, sections: tuple[ReportSection, ...]) -> tuple[FooterRow, ...]:
    totals = quote.totals
    rows = [row for section in sections for row in section.rows]
    fee = display_money(totals.admin_fee)
    footer = [FooterRow("admin_fee", ADMIN_FEE_LABEL, fee)]
    if quote.suo is not None:
        detail = f"{percent_text(quote.suo.discount_fraction)}% discount"
        footer.append(FooterRow("suo", SUO_LABEL, -totals.display_suo_discount, detail))
    shown = sum(row.cost for row in rows) + sum(f.amount for f in footer)
    if shown != totals.display_total:
        raise ValueError(
            f"the report rows add up to £{shown:,} but the quote's displayed total is "
            f"£{totals.display_total:,}; the quote totals are inconsistent with its lines"
        )
    total = FooterRow(
        "total",
        TOTAL_LABEL,
        totals.display_total,
        units_lost=sum((row.units_lost for row in rows), Fraction(0)),
        units_supplied=sum((row.units_supplied for row in rows), Fraction(0)),
    )
    return (*footer, total)
