"""Write ReferenceData back to a backend workbook in the legacy layout.

Numbers are stored as numbers when the cell's float reads back to the same
exact value (every decimal the reader produced does); anything else (a third
typed as "1/3") is stored as its exact text, so a workbook written here always
imports back to the same content hash.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ..core.exact import fraction_text, to_fraction
from ..core.model import Bank, Habitat, PriceRow, ReferenceData, StockLine, TradingRule
from ..core.number_input import MAX_TEXT_LENGTH
from .reference_sheets import (
    BANKS,
    CATALOGUE,
    LEVELS,
    LPA_NEIGHBOURS,
    NCA_NEIGHBOURS,
    POLICY,
    PRICING,
    SRM,
    STOCK,
    TRADING_RULES,
)
from .sheet_table import SheetSpec
from .text_cells import set_text

Cell = str | int | float | bool | None
WIDTH_SAMPLE_ROWS = 500
MAX_WIDTH = 60
_BOLD = Font(bold=True)


def write_sheets(data: ReferenceData, path: Path, about: Sequence[str] = ()) -> None:
    workbook = Workbook(write_only=True)
    if about:
        _write_about(workbook, about)
    for spec, rows in sheet_rows(data):
        _write_sheet(workbook, spec, rows)
    workbook.save(path)


def sheet_rows(data: ReferenceData) -> list[tuple[SheetSpec, list[list[Cell]]]]:
    """Every sheet's rows, in the spec's column order."""
    return [
        (BANKS, [_bank(b) for b in data.banks]),
        (PRICING, [_price(p) for p in data.prices]),
        (CATALOGUE, [_habitat(h) for h in data.habitats]),
        (STOCK, [_stock(s) for s in data.stock]),
        (LEVELS, [[d.name, number_cell(d.level_value)] for d in data.distinctiveness]),
        (SRM, [[s.tier.value, number_cell(s.multiplier)] for s in data.srm]),
        (TRADING_RULES, [_rule(r) for r in data.trading_rules]),
        (POLICY, [[key, _policy_value(value)] for key, value in data.policy]),
        (LPA_NEIGHBOURS, [list(pair) for pair in data.lpa_neighbours]),
        (NCA_NEIGHBOURS, [list(pair) for pair in data.nca_neighbours]),
    ]


def number_cell(value: Fraction | None) -> Cell:
    """An exact number as a cell: int, a float that reads back exactly, else text."""
    if value is None:
        return None
    if value.denominator == 1:
        return int(value)
    as_float = float(value)
    if to_fraction(as_float) == value:
        return as_float
    return exact_text(value)


def exact_text(value: Fraction) -> str:
    """Exact text the number reader takes back: a decimal (in E-notation when
    written out it would be too long to read back), or p/q."""
    text = fraction_text(value)
    if len(text) <= MAX_TEXT_LENGTH or "/" in text:
        return text
    with localcontext() as context:
        context.prec = len(text)
        decimal = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{decimal.normalize():E}"


def _text(value: str) -> Cell:
    return value or None


def _bank(b: Bank) -> list[Cell]:
    return [b.bank_id, *map(_text, (b.name, b.lpa, b.nca, b.postcode, b.address)), b.lat, b.lon]


def _price(p: PriceRow) -> list[Cell]:
    return [
        p.bank_id,
        p.habitat_name,
        p.contract_size.value,
        p.tier.value,
        number_cell(p.price),
        _text(p.broader_type),
        _text(p.distinctiveness_name),
        _text(p.bank_name),
    ]


def _habitat(h: Habitat) -> list[Cell]:
    return [
        h.name,
        h.broad_habitat,
        h.band.label,
        h.unit_type.value,
        h.trading_broad_habitat,
        h.irreplaceable,
    ]


def _stock(s: StockLine) -> list[Cell]:
    return [
        s.bank_id,
        s.habitat_name,
        s.stock_id,
        number_cell(s.quantity_available),
        number_cell(s.available_excl_quotes),
        number_cell(s.quoted),
    ]


def _rule(r: TradingRule) -> list[Cell]:
    band = r.min_band.label if r.min_band is not None else None
    return [r.demand_habitat, r.allowed_supply_habitat, band, _text(r.companion_habitat)]


def _policy_value(text: str) -> Cell:
    """Numeric settings as numbers, the rest (true/false, names) as text."""
    try:
        value = to_fraction(text)
    except (TypeError, ValueError, ZeroDivisionError):
        return text
    return number_cell(value) if fraction_text(value) == text else text


def _write_sheet(workbook: Workbook, spec: SheetSpec, rows: list[list[Cell]]) -> None:
    sheet = workbook.create_sheet(spec.name)
    sheet.freeze_panes = "A2"
    for position, width in enumerate(_widths(spec.column_names, rows), start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.append([_bold(sheet, name) for name in spec.column_names])
    for row in rows:
        sheet.append([_text_cell(sheet, v) if isinstance(v, str) else v for v in row])


def _text_cell(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    """Text as text: a bank named "=HYPERLINK(...)" is a name, not a formula."""
    return set_text(WriteOnlyCell(sheet), text)


def _write_about(workbook: Workbook, lines: Sequence[str]) -> None:
    sheet = workbook.create_sheet("About")
    sheet.column_dimensions["A"].width = 100
    for number, line in enumerate(lines):
        sheet.append([_bold(sheet, line) if number == 0 else _text_cell(sheet, line)])


def _bold(sheet: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    cell = _text_cell(sheet, value)
    cell.font = _BOLD
    return cell


def _widths(headers: Sequence[str], rows: list[list[Cell]]) -> list[float]:
    """Fit the header and the first rows' values, within reason."""
    widths = [len(h) for h in headers]
    for row in rows[:WIDTH_SAMPLE_ROWS]:
        for position, value in enumerate(row):
            if value is not None:
                widths[position] = max(widths[position], len(str(value)))
    return [min(MAX_WIDTH, w + 2) for w in widths]
