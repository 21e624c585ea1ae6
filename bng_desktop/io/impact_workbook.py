"""The impact table as an Excel workbook: one row per open quote, its old and
new totals and the change, with the summary line above. Text cells are
written as text (never read as formulas); figures are number cells."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from ..core.impact import ImpactOutcome, ImpactReport, ImpactRow
from ..core.rounding import display_money
from .atomic_file import write_atomically
from .excel_quote import MONEY_FORMAT
from .text_cells import set_text

COLUMNS: tuple[tuple[str, int], ...] = (
    ("Reference", 16),
    ("Client", 30),
    ("Old total", 14),
    ("New total", 14),
    ("Change", 14),
    ("Outcome", 22),
)
OUTCOME_WORDS = {
    ImpactOutcome.IMPOSSIBLE: "Can no longer be met",
    ImpactOutcome.DEARER: "Dearer",
    ImpactOutcome.UNCHANGED: "Unchanged",
    ImpactOutcome.CHEAPER: "Cheaper",
}
HEADER_ROW = 3


def write_impact_workbook(report: ImpactReport, path: str | Path) -> Path:
    """Write the table to ``path`` (replaced atomically); returns the path."""
    target = Path(path)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Impact"
    _text(sheet, 1, 1, f"Open quotes on reference version {report.version_id}").font = Font(
        bold=True, size=14
    )
    _text(sheet, 2, 1, report.summary)
    for column, (title, width) in enumerate(COLUMNS, start=1):
        _text(sheet, HEADER_ROW, column, title).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = width
    for offset, row in enumerate(report.rows, start=1):
        _write_row(sheet, HEADER_ROW + offset, row)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    write_atomically(target, workbook.save)
    return target


def _write_row(sheet: Worksheet, row_number: int, row: ImpactRow) -> None:
    _text(sheet, row_number, 1, row.reference)
    _text(sheet, row_number, 2, row.client_name)
    _money(sheet, row_number, 3, display_money(row.old_total))
    new_total, change = row.new_total, row.change
    _money(sheet, row_number, 4, None if new_total is None else display_money(new_total))
    _money(sheet, row_number, 5, None if change is None else display_money(change))
    _text(sheet, row_number, 6, OUTCOME_WORDS[row.outcome])


def _text(sheet: Worksheet, row: int, column: int, value: str):
    """A text cell that stays text, whatever it starts with."""
    return set_text(sheet.cell(row=row, column=column), value)


def _money(sheet: Worksheet, row: int, column: int, value: int | None) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    cell.number_format = MONEY_FORMAT
