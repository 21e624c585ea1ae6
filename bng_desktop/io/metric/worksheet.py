"""One worksheet's top-left corner, read from its XML as a stream.

Rows are read from the top and reading stops at the first row below the
corner (rows are stored in order) or at the end of the cells, so what lies
further down — however far a sheet's formatting or its declared
``<dimension>`` reaches — and the sheet's conditional formats, validations
and the like are never parsed. Cells right of the corner are parsed (they sit inside the rows) and
counted in the budget, but not kept. A cell's value is its cached value as a
spreadsheet saved it (``<v>``, or inline text), as openpyxl's ``data_only``
gives it: numbers, text, booleans and error texts ("#REF!"); shared strings
are looked up once the corner is read. Which cells hold a formula is noted
too, so a workbook never calculated is told from one left empty.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from . import refusals
from .budget import ReadBudget
from .shared_strings import MAX_TEXT, SharedStrings
from .xml_stream import StopReading, local_name, read_part

EXCEL_MAX_COLUMN = 16_384
REFERENCE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,4})?")
WHOLE = re.compile(r"[+-]?\d{1,15}")
MAX_NUMBER_TEXT = 40
"""Excel writes at most 17 significant digits and an exponent: longer is kept as text."""


def column_number(letters: str) -> int:
    """'A' → 1, 'XFD' → 16384."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, column: int) -> str:
    return f"{column_letters(column)}{row}"


COLUMNS = {column_letters(n): n for n in range(1, EXCEL_MAX_COLUMN + 1)}
"""'A' → 1 … 'XFD' → 16384: a cell's column found in one look-up."""
DIGITS = "0123456789"


@dataclass(frozen=True)
class Grid:
    """The non-empty cached values of one sheet's top-left corner, and which of
    its cells hold a formula."""

    sheet: str
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)
    formulas: frozenset[tuple[int, int]] = frozenset()

    def at(self, row: int, column: int) -> Any:
        return self.cells.get((row, column))

    def ref(self, ref: str) -> Any:
        found = REFERENCE.fullmatch(ref)
        if found is None:
            raise ValueError(f"not a cell reference: {ref!r}")
        return self.at(int(found.group(2)), column_number(found.group(1)))

    def column(self, column: int) -> Iterator[tuple[int, Any]]:
        """(row, value) of the non-empty cells of one column, top to bottom."""
        rows = sorted(r for r, c in self.cells if c == column)
        return ((r, self.cells[(r, column)]) for r in rows)


def read_corner(
    archive: zipfile.ZipFile,
    part: str,
    sheet: str,
    corner: tuple[int, int],
    strings: SharedStrings,
    budget: ReadBudget,
) -> Grid:
    """The cached values of ``sheet``'s rows 1..corner[0], columns 1..corner[1]."""
    handler = _SheetHandler(sheet, corner, budget)
    read_part(archive, part, handler, budget)
    cells = handler.cells
    for (row, column), index in handler.shared.items():
        cells[(row, column)] = _shared(strings, sheet, cell_ref(row, column), index, budget)
    return Grid(sheet, cells, frozenset(handler.formulas))


def _shared(strings: SharedStrings, sheet: str, ref: str, index: str, budget: ReadBudget) -> str:
    digits = index.strip()
    text = strings.get(int(digits)) if digits.isdecimal() and len(digits) <= 10 else None
    if text is None:
        raise refusals.damaged(
            budget.file_name,
            f"'{sheet}'!{ref} refers to shared string {index.strip()[:20]!r}, which the "
            "workbook does not have",
        )
    return text


class _SheetHandler:
    """Expat handler keeping the cells inside the corner (see the module doc)."""

    def __init__(self, sheet: str, corner: tuple[int, int], budget: ReadBudget):
        self.sheet = sheet
        self.max_row, self.max_column = corner
        self.budget = budget
        self.cells: dict[tuple[int, int], Any] = {}
        self.shared: dict[tuple[int, int], str] = {}
        self.formulas: set[tuple[int, int]] = set()
        self.row = 0
        self.column = 0
        self.cell: tuple[int, int] | None = None
        self.kind = "n"
        self.value: str | None = None
        self.inline: list[str] | None = None
        self.runs: list[str] | None = None
        self.length = 0
        self.phonetic = 0

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        self.budget.elements += 1
        if ":" in tag:
            tag = local_name(tag)
        if tag == "c":
            self._cell(attributes)
        elif tag == "row":
            self._row(attributes.get("r"))
        elif self.cell is None:
            return
        elif tag == "v" or (tag == "t" and self.inline is not None and not self.phonetic):
            self.runs, self.length = [], 0
        elif tag == "f":
            self.formulas.add(self.cell)
        elif tag == "is":
            self.inline = []
        elif tag == "rPh":
            self.phonetic += 1

    def end(self, tag: str) -> None:
        if self.cell is None:
            if tag == "sheetData" or tag.endswith(":sheetData"):
                raise StopReading  # what follows (conditional formats, validations) is not read
            return
        if ":" in tag:
            tag = local_name(tag)
        if tag == "c":
            self._keep(self.cell)
            self.cell = None
        elif self.runs is None:
            if tag == "rPh":
                self.phonetic = max(0, self.phonetic - 1)
        elif tag == "v":
            self.value, self.runs = "".join(self.runs), None
        elif tag == "t" and self.inline is not None:
            self.inline.append("".join(self.runs))
            self.runs = None

    def text(self, data: str) -> None:
        if self.runs is None:
            return
        self.length += len(data)
        if self.length > MAX_TEXT:
            raise refusals.damaged(
                self.budget.file_name,
                f"'{self.sheet}'!{cell_ref(*self.cell or (0, 0))} holds more than the "
                f"{MAX_TEXT:,} characters Excel allows in a cell",
            )
        self.runs.append(data)

    def where(self) -> str:
        return f"the sheet '{self.sheet}' (at cell {cell_ref(self.row or 1, self.column or 1)})"

    def _row(self, number: str | None) -> None:
        self.row = self._index(number, "row") if number else self.row + 1
        self.column = 0
        if self.row > self.max_row:
            raise StopReading

    def _cell(self, attributes: dict[str, str]) -> None:
        self.budget.cells += 1
        ref = attributes.get("r")
        row, column = self.row, self.column + 1
        if ref:
            letters = ref.rstrip(DIGITS)
            digits = ref[len(letters) :]
            found = COLUMNS.get(letters)
            if found is not None and digits.isdecimal() and len(digits) < 8:
                row, column = int(digits), found
            else:
                row, column = self._odd_reference(ref)
        self.column = column
        inside = 1 <= row <= self.max_row and 1 <= column <= self.max_column
        self.cell = (row, column) if inside else None
        self.kind = attributes.get("t", "n")
        self.value, self.inline, self.runs, self.phonetic = None, None, None, 0

    def _odd_reference(self, ref: str) -> tuple[int, int]:
        """A reference as Excel never writes it but may read it ('$B$2', 'b2', 'XFE1')."""
        found = REFERENCE.fullmatch(ref)
        if found is None:
            raise refusals.damaged(
                self.budget.file_name,
                f"the sheet '{self.sheet}' has a cell named {ref[:20]!r} in row {self.row}",
            )
        return int(found.group(2)), column_number(found.group(1))

    def _index(self, number: str, what: str) -> int:
        text = number.strip()
        if not text.isdecimal() or int(text[:12]) < 1:
            raise refusals.damaged(
                self.budget.file_name,
                f"the sheet '{self.sheet}' has a {what} numbered {number[:20]!r}",
            )
        return int(text[:12])

    def _keep(self, cell: tuple[int, int]) -> None:
        if self.kind == "s" and self.value is not None:
            self.shared[cell] = self.value
            self.cells.pop(cell, None)
            return
        self.shared.pop(cell, None)
        value = cached_value(self.kind, self.value, self.inline)
        if value is not None:
            self.cells[cell] = value
        else:
            self.cells.pop(cell, None)


def cached_value(kind: str, value: str | None, inline: list[str] | None) -> Any:
    """A cell's cached value by its type attribute (``t``), as a spreadsheet reads it."""
    if kind == "inlineStr":
        return "".join(inline) if inline is not None else value
    if value is None:
        return None
    if kind == "n":
        return _number(value)
    if kind == "b":
        return {"1": True, "0": False}.get(value.strip(), value)
    return value  # "str" (a formula's text), "e" (an error such as #REF!), "d" (ISO date)


def _number(value: str) -> Any:
    """A number cell's text as int or float; text that is no number stays text (and is
    then refused where a number belongs); an exponent too large reads as infinity."""
    text = value.strip()
    if not text:
        return None
    if len(text) > MAX_NUMBER_TEXT or not NUMBER.fullmatch(text):
        return value
    return int(text) if WHOLE.fullmatch(text) else float(text)
