"""The client report as the client will read it: banded header, sections per
unit type, £50-rounded prices, rows that add up to the total."""

from __future__ import annotations

from nicegui import ui

from ...core.report import COLUMNS, IMPACT_HEADER, MITIGATION_HEADER, client_report
from ...core.result import Quote
from ...core.rounding import format_money
from ...core.typed_units import units_text

IMPACT_COLOUR = "#F8C237"
MITIGATION_COLOUR = "#2A514A"
SECTION_COLOUR = "#D9F2D0"


def client_view(quote: Quote) -> None:
    report = client_report(quote)
    with ui.element("table").classes("w-full text-sm border-collapse").mark("client-view"):
        with ui.element("tr"):
            _cell(IMPACT_HEADER, colspan=3, style=f"background:{IMPACT_COLOUR}", bold=True)
            _cell(
                MITIGATION_HEADER,
                colspan=5,
                style=f"background:{MITIGATION_COLOUR};color:white",
                bold=True,
            )
        with ui.element("tr"):
            for title in COLUMNS:
                _cell(title, bold=True)
        for section in report.sections:
            with ui.element("tr"):
                _cell(section.title, colspan=8, style=f"background:{SECTION_COLOUR}", bold=True)
            for row in section.rows:
                with ui.element("tr"):
                    for text in (
                        row.demand_distinctiveness,
                        row.habitats_lost,
                        units_text(row.units_lost),
                        row.supply_distinctiveness,
                        row.habitats_supplied,
                        units_text(row.units_supplied),
                        format_money(row.price_per_unit),
                        format_money(row.cost),
                    ):
                        _cell(text)
        for footer in report.footer:
            with ui.element("tr"):
                _cell(footer.label, colspan=7, bold=footer.kind == "total", align="right")
                _cell(format_money(footer.amount), bold=footer.kind == "total")
    ui.label(report.note).classes("text-xs text-grey-7")


def _cell(
    text: str, *, colspan: int = 1, style: str = "", bold: bool = False, align: str = "left"
) -> None:
    with (
        ui.element("td")
        .props(f"colspan={colspan}")
        .style(f"border:1px solid #ccc;padding:4px 6px;text-align:{align};{style}")
    ):
        label = ui.label(text or "")
        if bold:
            label.classes("font-semibold")
