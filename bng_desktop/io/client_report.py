"""The client report table as text, cell for cell as the Excel Quote sheet shows it.

The email (HTML and plain text) and the PDF lay out these rows; the figures
are core/report.py's, formatted as the sheet's number formats show them:
units to up to 3 decimals (at least 2), prices and costs in whole pounds
(£#,##0, a negative as -£500). A line row has the 8 columns; a section row
its title across all 8; a charge row (the planning discharge pack, the
surplus uplift offset) its label across the first 7 and the amount; the total
row the units lost and supplied under their columns and the total.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..core.report import COLUMNS, IMPACT_HEADER, MITIGATION_HEADER, ClientReport, FooterRow
from ..core.rounding import display_units, format_money

IMPACT_COLOUR = "#F8C237"
MITIGATION_COLOUR = "#2A514A"
SECTION_COLOUR = "#D9F2D0"
TOTAL_COLOUR = "#F0F0F0"
IMPACT_COLUMNS = 3
"""The first 3 columns are the development's impact, the other 5 the mitigation."""


class ShownRowKind(StrEnum):
    SECTION = "section"
    LINE = "line"
    CHARGE = "charge"
    TOTAL = "total"


@dataclass(frozen=True)
class ShownRow:
    """One row of the table; ``cells`` as described in the module's docstring."""

    kind: ShownRowKind
    cells: tuple[str, ...]


@dataclass(frozen=True)
class ShownTable:
    rows: tuple[ShownRow, ...]
    total: str
    note: str
    impact_header: str = IMPACT_HEADER
    mitigation_header: str = MITIGATION_HEADER
    columns: tuple[str, ...] = COLUMNS

    @property
    def lines(self) -> tuple[ShownRow, ...]:
        return tuple(row for row in self.rows if row.kind is ShownRowKind.LINE)


def shown_table(report: ClientReport) -> ShownTable:
    """``report`` as the rows of text the client reads."""
    rows: list[ShownRow] = []
    for section in report.sections:
        rows.append(ShownRow(ShownRowKind.SECTION, (section.title,)))
        for row in section.rows:
            cells = (
                row.demand_distinctiveness,
                row.habitats_lost,
                display_units(row.units_lost),
                row.supply_distinctiveness,
                row.habitats_supplied,
                display_units(row.units_supplied),
                format_money(row.price_per_unit),
                format_money(row.cost),
            )
            rows.append(ShownRow(ShownRowKind.LINE, cells))
    rows.extend(_footer_row(footer) for footer in report.footer)
    return ShownTable(rows=tuple(rows), total=format_money(report.total), note=report.note)


def _footer_row(footer: FooterRow) -> ShownRow:
    if footer.kind != "total":
        label = f"{footer.label} ({footer.detail})" if footer.detail else footer.label
        return ShownRow(ShownRowKind.CHARGE, (label, format_money(footer.amount)))
    lost = display_units(footer.units_lost) if footer.units_lost is not None else ""
    supplied = display_units(footer.units_supplied) if footer.units_supplied is not None else ""
    cells = (footer.label, "", lost, "", "", supplied, "", format_money(footer.amount))
    return ShownRow(ShownRowKind.TOTAL, cells)


def plain_text_table(table: ShownTable) -> str:
    """The table for a plain-text email: one block per line, easy to read anywhere."""
    out: list[str] = []
    for row in table.rows:
        if row.kind is not ShownRowKind.LINE and out and out[-1].startswith("  at "):
            out.append("")
        if row.kind is ShownRowKind.SECTION:
            out += ["", row.cells[0], "-" * len(row.cells[0])]
        elif row.kind is ShownRowKind.LINE:
            band, lost, units, supply_band, supplied, supplied_units, price, cost = row.cells
            out.append(f"* {lost} ({band}): {units} units lost")
            out.append(f"  supplied by {supplied} ({supply_band}): {supplied_units} units")
            out.append(f"  at {price} per unit = {cost}")
        elif row.kind is ShownRowKind.CHARGE:
            out.append(f"{row.cells[0]}: {row.cells[1]}")
        else:
            label, _, lost, _, _, supplied, _, amount = row.cells
            out.append(f"{label}: {amount} ({lost} units lost, {supplied} units supplied)")
    return "\n".join(out).strip("\n")
