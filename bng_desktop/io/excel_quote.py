"""The Excel quote: the client table, the detailed allocation and how it was made.

Three sheets: "Quote" (the client report of core/report.py, styled as the
legacy email table: what the client reads, with no engine words), "Allocation"
(every line with exact figures) and "Details" (site, reference data, how the
allocation was found, policy), both labelled in plain words
(core/plain_terms.py). Every figure is a number cell with a number format,
never text, so the workbook can be recalculated.

The Quote sheet is written as a list of blocks (``QUOTE_BLOCKS``), each
writing its rows from a given row and returning the next free row, so a new
block (a note, a section) slots in without touching the others.
The file is written to a temporary file beside the target and moved into
place, so a failed export leaves any earlier file as it was.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..core.adjust import shortfalls
from ..core.allocation_table import AllocationRow, allocation_rows
from ..core.alternatives import Alternative
from ..core.exact import round_half_up
from ..core.plain_terms import price_source_text
from ..core.report import (
    COLUMNS,
    IMPACT_HEADER,
    MITIGATION_HEADER,
    ClientReport,
    FooterRow,
    ReportRow,
    client_report,
)
from ..core.result import Quote
from ..core.rounding import display_units
from ..core.statutory_credits import describe
from ..core.typed_units import SHOWN_DECIMALS
from .atomic_file import write_atomically
from .quote_details import details_rows
from .text_cells import set_text

TITLE = "Biodiversity Net Gain Quote"
VAT_NOTE = "All prices exclude VAT."
IMPACT_FILL = "F8C237"
MITIGATION_FILL = "2A514A"
SECTION_FILL = "D9F2D0"
TOTAL_FILL = "F0F0F0"
MONEY_FORMAT = "£#,##0"
UNITS_FORMAT = "0.00##"
EXACT_UNITS_FORMAT = "0.000###"
PRICE_FORMAT = "£#,##0.00"
DATE_FORMAT = "d mmmm yyyy"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

QUOTE_WIDTHS = (16, 36, 10, 16, 44, 10, 15, 15)
ALLOCATION_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Demand #", 10),
    ("Demand habitat", 36),
    ("Unit type", 12),
    ("Kind", 11),
    ("Bank ID", 12),
    ("Bank", 24),
    ("Supply habitat", 44),
    ("Tier", 10),
    ("Share", 8),
    ("Units supplied", 14),
    ("Stock lines used (id: units)", 30),
    ("Stock units used", 16),
    ("Unit price", 14),
    ("Cost", 14),
    ("How priced", 30),
)


def write_quote_workbook(
    quote: Quote,
    path: str | os.PathLike[str],
    *,
    reference: str = "",
    client_name: str = "",
    created_at: datetime | None = None,
    extra_details: Mapping[str, str] | None = None,
    alternatives: Sequence[Alternative] | None = None,
) -> Path:
    """Write ``quote`` as a styled workbook at ``path`` (atomically) and return the path.

    ``alternatives``: what each constraint costs, as the result panel lists it,
    written under the Allocation sheet's table (None: not worked out, no block)."""
    target = Path(path)
    created = _excel_datetime(created_at or datetime.now())
    workbook = Workbook()
    _register_styles(workbook)
    quote_sheet = workbook.active
    quote_sheet.title = "Quote"
    page = QuotePage(quote, client_report(quote), reference, client_name, created)
    _write_quote_sheet(quote_sheet, page)
    allocation = workbook.create_sheet("Allocation")
    written = _write_allocation_sheet(allocation, allocation_rows(quote))
    if alternatives is not None:
        _write_alternatives_block(allocation, written + 2, alternatives)
    details = details_rows(quote, reference, client_name, created, extra_details or {})
    _write_details_sheet(workbook.create_sheet("Details"), details)
    write_atomically(target, workbook.save)
    return target


def _excel_datetime(value: datetime) -> datetime:
    """Excel has no time zones: aware times are shown in local time."""
    return value.astimezone().replace(tzinfo=None) if value.tzinfo else value


def _register_styles(workbook: Workbook) -> None:
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    right = Alignment(horizontal="right", vertical="top")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def fill(colour: str) -> PatternFill:
        return PatternFill(fill_type="solid", start_color=colour, end_color=colour)

    styles = (
        NamedStyle("bng_title", font=Font(bold=True, size=16)),
        NamedStyle("bng_label", font=Font(bold=True)),
        NamedStyle("bng_date", number_format=DATE_FORMAT, alignment=Alignment(horizontal="left")),
        NamedStyle(
            "bng_impact", font=Font(bold=True), fill=fill(IMPACT_FILL), border=box, alignment=centre
        ),
        NamedStyle(
            "bng_mitigation",
            font=Font(bold=True, color="FFFFFF"),
            fill=fill(MITIGATION_FILL),
            border=box,
            alignment=centre,
        ),
        NamedStyle("bng_section", font=Font(bold=True), fill=fill(SECTION_FILL), border=box),
        NamedStyle("bng_text", border=box, alignment=wrap),
        NamedStyle("bng_units", border=box, number_format=UNITS_FORMAT, alignment=right),
        NamedStyle("bng_money", border=box, number_format=MONEY_FORMAT, alignment=right),
        NamedStyle("bng_footer", font=Font(bold=True), border=box, alignment=right),
        NamedStyle("bng_total", font=Font(bold=True), fill=fill(TOTAL_FILL), border=box),
        NamedStyle("bng_note", font=Font(italic=True)),
        NamedStyle(
            "bng_header",
            font=Font(bold=True, color="FFFFFF"),
            fill=fill(MITIGATION_FILL),
            alignment=centre,
        ),
        NamedStyle("bng_exact_units", number_format=EXACT_UNITS_FORMAT),
        NamedStyle("bng_price", number_format=PRICE_FORMAT),
        NamedStyle(
            "bng_datetime", number_format=DATETIME_FORMAT, alignment=Alignment(horizontal="left")
        ),
        NamedStyle("bng_value", alignment=Alignment(horizontal="left", wrap_text=True)),
    )
    for style in styles:
        workbook.add_named_style(style)


def _shown_units(units: Fraction) -> float:
    """Units as the screen shows them (up to 4 dp, halves up), so the cell shows the same."""
    return float(round_half_up(units, Fraction(1, 10**SHOWN_DECIMALS)))


def _put(sheet: Worksheet, row: int, column: int, value: Any, style: str) -> None:
    cell = _value(sheet, row, column, value)
    cell.style = style


def _value(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Put ``value`` in a cell; text always as text, never as a formula (text_cells)."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        return set_text(cell, value)
    cell.value = value
    return cell


@dataclass(frozen=True)
class QuotePage:
    """What the client-facing Quote sheet is made from."""

    quote: Quote
    report: ClientReport
    reference: str
    client: str
    created: datetime


QuoteBlock = Callable[[Worksheet, QuotePage, int], int]
"""Writes its rows from the given row; returns the next free row."""

TABLE_HEADER_ROW = 6


def _title_block(sheet: Worksheet, page: QuotePage, row: int) -> int:
    _put(sheet, row, 1, TITLE, "bng_title")
    fields = (
        ("Reference", page.reference, "Normal"),
        ("Client", page.client, "Normal"),
        ("Date", page.created, "bng_date"),
    )
    for offset, (label, value, style) in enumerate(fields, start=1):
        _put(sheet, row + offset, 1, label, "bng_label")
        _put(sheet, row + offset, 2, value, style)
    return TABLE_HEADER_ROW


def _table_block(sheet: Worksheet, page: QuotePage, row: int) -> int:
    _write_table_header(sheet, row)
    sheet.freeze_panes = sheet.cell(row=row + 2, column=1)
    sheet.print_title_rows = f"{row}:{row + 1}"
    row += 2
    for section in page.report.sections:
        _write_section_title(sheet, row, section.title)
        row += 1
        for report_row in section.rows:
            _write_report_row(sheet, row, report_row)
            row += 1
    return row


def _footer_block(sheet: Worksheet, page: QuotePage, row: int) -> int:
    for footer in page.report.footer:
        _write_footer_row(sheet, row, footer)
        row += 1
    return row


UNMET_TITLE = "Not met by this quote"


def _unmet_block(sheet: Worksheet, page: QuotePage, row: int) -> int:
    """An adjusted quote's demand lines not fully met: the units missing, shown."""
    missing = shortfalls(page.quote) if page.quote.adjusted_by_hand else ()
    if not missing:
        return row
    row += 1
    _write_section_title(sheet, row, UNMET_TITLE)
    for shortfall in missing:
        row += 1
        cells = (
            (f"Line {shortfall.demand_index + 1}", "bng_text"),
            (shortfall.habitat_name, "bng_text"),
            (_shown_units(shortfall.missing), "bng_units"),
            (None, "bng_text"),
            (f"units not met, of {display_units(shortfall.demanded)} lost", "bng_text"),
        )
        for column, (value, style) in enumerate(cells, start=1):
            _put(sheet, row, column, value, style)
    return row + 1


def _notes_block(sheet: Worksheet, page: QuotePage, row: int) -> int:
    _put(sheet, row + 1, 1, VAT_NOTE, "bng_note")
    return row + 2


def _credits_block(sheet: Worksheet, page: QuotePage, row: int) -> int:
    """The same demand priced as statutory credits, when the quote carries it."""
    credits = page.quote.statutory_credits
    if credits is None:
        return row
    _put(sheet, row, 1, describe(credits, page.quote.totals.display_total), "bng_note")
    return row + 1


QUOTE_BLOCKS: tuple[QuoteBlock, ...] = (
    _title_block,
    _table_block,
    _footer_block,
    _unmet_block,
    _notes_block,
    _credits_block,
)


def _write_quote_sheet(sheet: Worksheet, page: QuotePage) -> None:
    row = 1
    for block in QUOTE_BLOCKS:
        row = block(sheet, page, row)
    _set_widths(sheet, QUOTE_WIDTHS)
    _landscape_fit_to_width(sheet)


def _write_table_header(sheet: Worksheet, row: int) -> None:
    for column, title in enumerate(COLUMNS, start=1):
        band = "bng_impact" if column <= 3 else "bng_mitigation"
        _put(sheet, row, column, IMPACT_HEADER if column == 1 else None, band)
        _put(sheet, row + 1, column, title, band)
    _value(sheet, row, 4, MITIGATION_HEADER)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    sheet.merge_cells(start_row=row, start_column=4, end_row=row, end_column=8)


def _write_section_title(sheet: Worksheet, row: int, title: str) -> None:
    for column in range(1, 9):
        _put(sheet, row, column, title if column == 1 else None, "bng_section")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=8)


def _write_report_row(sheet: Worksheet, row: int, report_row: ReportRow) -> None:
    cells = (
        (report_row.demand_distinctiveness, "bng_text"),
        (report_row.habitats_lost, "bng_text"),
        (_shown_units(report_row.units_lost), "bng_units"),
        (report_row.supply_distinctiveness, "bng_text"),
        (report_row.habitats_supplied, "bng_text"),
        (_shown_units(report_row.units_supplied), "bng_units"),
        (report_row.price_per_unit, "bng_money"),
        (report_row.cost, "bng_money"),
    )
    for column, (value, style) in enumerate(cells, start=1):
        _put(sheet, row, column, value, style)


def _write_footer_row(sheet: Worksheet, row: int, footer: FooterRow) -> None:
    if footer.kind != "total":
        label = f"{footer.label} ({footer.detail})" if footer.detail else footer.label
        for column in range(1, 8):
            _put(sheet, row, column, label if column == 1 else None, "bng_footer")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
        _put(sheet, row, 8, footer.amount, "bng_money")
        return
    for column in range(1, 9):
        _put(sheet, row, column, None, "bng_total")
    _value(sheet, row, 1, footer.label)
    for column, units in ((3, footer.units_lost), (6, footer.units_supplied)):
        sheet.cell(row=row, column=column).value = _shown_units(units or Fraction(0))
        sheet.cell(row=row, column=column).number_format = UNITS_FORMAT
    sheet.cell(row=row, column=8).value = footer.amount
    sheet.cell(row=row, column=8).number_format = MONEY_FORMAT


def _write_allocation_sheet(sheet: Worksheet, rows: Iterable[AllocationRow]) -> int:
    """The allocation table; returns its last row."""
    for column, (title, width) in enumerate(ALLOCATION_COLUMNS, start=1):
        _put(sheet, 1, column, title, "bng_header")
        sheet.column_dimensions[get_column_letter(column)].width = width
    rows = list(rows)
    for number, row in enumerate(rows, start=2):
        _write_allocation_row(sheet, number, row)
    sheet.freeze_panes = "A2"
    last_column = get_column_letter(len(ALLOCATION_COLUMNS))
    sheet.auto_filter.ref = f"A1:{last_column}{len(rows) + 1}"
    _landscape_fit_to_width(sheet)
    return len(rows) + 1


ALTERNATIVES_TITLE = "What each constraint costs"
ALTERNATIVES_COLUMNS = ((1, "What changed"), (3, "Total"), (4, "Difference"), (5, "Proven"))
"""Column and title; what changed runs over the two first columns."""
NOTHING_BINDS = "Relaxing a rule or leaving out a bank would not change the total."
CANNOT_BE_MET = "cannot be met"


def _write_alternatives_block(
    sheet: Worksheet, row: int, alternatives: Sequence[Alternative]
) -> None:
    """Each re-solve that changes the total: what changed, its total, the
    difference from this quote (negative: a saving) and whether it is proven."""
    _put(sheet, row, 1, ALTERNATIVES_TITLE, "bng_label")
    if not alternatives:
        _put(sheet, row + 1, 1, NOTHING_BINDS, "bng_note")
        return
    for column, title in ALTERNATIVES_COLUMNS:
        _put(sheet, row + 1, column, title, "bng_header")
    for number, alternative in enumerate(alternatives, start=row + 2):
        _put(sheet, number, 1, alternative.description, "Normal")
        _money_or_words(sheet, number, 3, alternative.total)
        _money_or_words(sheet, number, 4, alternative.difference)
        proven = "yes" if alternative.proven else "no: the best found in the time allowed"
        _put(sheet, number, 5, proven, "Normal")


def _money_or_words(sheet: Worksheet, row: int, column: int, amount: Fraction | None) -> None:
    if amount is None:
        _put(sheet, row, column, CANNOT_BE_MET, "Normal")
    else:
        _put(sheet, row, column, float(amount), "bng_money")


def _write_allocation_row(sheet: Worksheet, number: int, row: AllocationRow) -> None:
    values = (
        (row.demand_number, "Normal"),
        (row.demand_habitat, "Normal"),
        (str(row.unit_type), "Normal"),
        (row.kind if not row.is_part else "paired part", "Normal"),
        (row.bank_id, "Normal"),
        (row.bank_name, "Normal"),
        (row.supply_habitat, "Normal"),
        (row.tier, "Normal"),
        (float(row.share) if row.share is not None else None, "Percent"),
        (float(row.units_supplied), "bng_exact_units"),
        (row.stock_use_text, "Normal"),
        (float(row.stock_use_total), "bng_exact_units"),
        (float(row.unit_price), "bng_price"),
        (float(row.cost), "bng_price"),
        (price_source_text(row.price_source), "Normal"),
    )
    for column, (value, style) in enumerate(values, start=1):
        _put(sheet, number, column, value, style)
    if row.is_part:
        sheet.cell(row=number, column=7).alignment = Alignment(horizontal="left", indent=2)
        for column in range(1, len(values) + 1):
            sheet.cell(row=number, column=column).font = Font(italic=True, color="555555")
        sheet.row_dimensions[number].outline_level = 1


def _write_details_sheet(sheet: Worksheet, rows: list[tuple[str, Any]]) -> None:
    _put(sheet, 1, 1, "Item", "bng_header")
    _put(sheet, 1, 2, "Value", "bng_header")
    for number, (key, value) in enumerate(rows, start=2):
        _put(sheet, number, 1, key, "bng_label")
        _put(
            sheet, number, 2, value, "bng_datetime" if isinstance(value, datetime) else "bng_value"
        )
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 80
    sheet.freeze_panes = "A2"


def _set_widths(sheet: Worksheet, widths: Iterable[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _landscape_fit_to_width(sheet: Worksheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
