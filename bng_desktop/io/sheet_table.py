"""Reading tabular sheets out of an .xlsx safely, cell by cell, collecting problems.

A sheet is a header row (row 1) and data rows. Columns are found by header
name (case-insensitive, trimmed, with aliases); each cell is converted by a
:class:`RowCells` method that records a precise :class:`Problem` instead of
raising, so that one pass reports everything wrong with a file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import NoReturn, TypeVar
from xml.etree.ElementTree import ParseError, iterparse

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from ..core.errors import Problem, ReferenceDataError
from ..core.number_input import (
    ANY,
    NOT_NEGATIVE,
    POSITIVE,
    NumberInputError,
    NumberRule,
    read_number,
)
from .plain_workbook import PlainSheet, PlainWorkbook, SheetRead, read_plain_workbook

MAX_ROWS = 1_000_000
"""Rows holding values; blank rows (formatting carried down a sheet) do not count."""
SHEET_ROWS = 1_048_576
"""The rows a spreadsheet has: a row numbered beyond is not a real sheet."""
ROWS_PER_REPORT = 500
"""How often a long sheet reports its reading progress."""
MAX_COLUMNS = 200
MAX_UNCOMPRESSED_BYTES = 1 << 30
"""Refuse archives that would inflate beyond this (1 GiB) before parsing them."""

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Column:
    """A column of a sheet, under its legacy spelling (used when writing)."""

    name: str
    required: bool = True
    aliases: tuple[str, ...] = ()

    def header_keys(self) -> tuple[str, ...]:
        return tuple(header_key(n) for n in (self.name, *self.aliases))


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]
    required: bool = True
    """Required sheets must exist and hold at least one data row."""

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


@dataclass
class SheetTable:
    """The data rows of one sheet, with its columns located."""

    spec: SheetSpec
    title: str
    index: dict[str, int] = field(default_factory=dict)
    """Column name (spec spelling) -> position in the row."""
    headers: dict[str, str] = field(default_factory=dict)
    """Column name (spec spelling) -> the header as written in the workbook."""
    rows: list[tuple[int, tuple[object, ...]]] = field(default_factory=list)
    empty: bool = False
    """Nothing at all on the sheet, not even a header."""
    on_checked: Callable[[int], None] | None = None
    """Told every ROWS_PER_REPORT rows handed out by ``cells`` (checking progress)."""

    def has(self, column: str) -> bool:
        return column in self.index

    def cells(self, problems: list[Problem]) -> Iterator[RowCells]:
        for number, values in self.numbered_rows():
            yield RowCells(self, number, values, problems)

    def numbered_rows(self) -> Iterator[tuple[int, tuple[object, ...]]]:
        """(Excel row number, values) of every data row, telling ``on_checked`` as
        ``cells`` does."""
        for count, numbered in enumerate(self.rows, start=1):
            if self.on_checked is not None and count % ROWS_PER_REPORT == 0:
                self.on_checked(count)
            yield numbered

    def columns(self, columns: Sequence[str]) -> list[list[object]]:
        """Each of ``columns``' raw values down the data rows, as ``picker`` gives
        them (None for a column the sheet lacks or a row too short to reach)."""
        rows = [values for _, values in self.rows]
        shortest = min(map(len, rows), default=0)
        found = []
        for column in columns:
            position = self.index.get(column)
            if position is None:
                found.append([None] * len(rows))
            elif position < shortest:
                found.append(list(map(itemgetter(position), rows)))
            else:
                found.append([v[position] if position < len(v) else None for v in rows])
        return found


def header_key(text: object) -> str:
    return str(text).strip().lower()


def sheet_key(text: str) -> str:
    """Sheet names compare case-insensitively with spaces ignored."""
    return re.sub(r"\s+", "", text).lower()


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """A cell as text: '' for blank, whole floats without '.0' (ids typed as numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def cell_number(value: object, rule: NumberRule = ANY) -> Fraction:
    """A numeric cell (or numeric text) as an exact Fraction under ``rule``;
    NumberInputError (a ValueError) saying what is wrong otherwise. An exact
    ``p/q`` is read too: the reference export writes a third that way."""
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        raise NumberInputError(value, "a date or time, not a number")
    return read_number(value, _fractions_allowed(rule))


@cache
def _fractions_allowed(rule: NumberRule) -> NumberRule:
    """``rule`` taking an exact ``p/q`` too, made once per rule (a long sheet
    reads thousands of distinct numbers under the same few rules)."""
    return dataclasses.replace(rule, fraction_allowed=True)


class RowCells:
    """One data row, read column by column; each bad cell becomes a Problem."""

    def __init__(
        self, table: SheetTable, number: int, values: tuple[object, ...], problems: list[Problem]
    ):
        self.table = table
        self.excel_row = number
        self.values = values
        self.problems = problems
        self.ok = True

    def raw(self, column: str) -> object:
        position = self.table.index.get(column)
        if position is None or position >= len(self.values):
            return None
        value = self.values[position]
        return None if is_blank(value) else value

    def report(self, column: str, value: object, expected: str, hint: str = "") -> None:
        self.ok = False
        header = self.table.headers.get(column, column)
        self.problems.append(
            Problem(self.table.title, self.excel_row, header, value, expected, hint=hint)
        )

    def once(self, column: str, value: str, key: object, seen: dict, what: str = "") -> bool:
        """False (and a problem) when ``key`` was already on an earlier row of ``seen``."""
        if key in seen:
            what = what or f"a {column}"
            self.report(column, value, f"{what} listed only once (already on row {seen[key]})")
            return False
        seen[key] = self.excel_row
        return True

    def text(self, column: str, *, required: str = "") -> str:
        """The cell as trimmed text; ``required`` describes what a blank should have been."""
        value = cell_text(self.raw(column))
        if not value and required:
            self.report(column, None, f"{required}; the cell is blank")
        return value

    def number(
        self, column: str, *, positive: bool = False, required: bool = True
    ) -> Fraction | None:
        """A number ≥ 0 (or > 0 when ``positive``); blank is None unless required."""
        return self.checked_number(
            column, POSITIVE if positive else NOT_NEGATIVE, required=required
        )

    def checked_number(
        self, column: str, rule: NumberRule, *, required: bool = True
    ) -> Fraction | None:
        """The cell read by the product's number reader under ``rule``; a problem
        saying what was found and why it is refused otherwise."""
        value = self.raw(column)
        if value is None:
            if required:
                self.report(column, None, f"{rule.expected}; the cell is blank")
            return None
        try:
            return cell_number(value, rule)
        except NumberInputError as refused:
            self.report(column, value, rule.expected, hint=refused.problem)
            return None

    def parsed(
        self, column: str, parse: Callable[[object], T], expected: str, *, required: bool = True
    ) -> T | None:
        """The cell through ``parse`` (which raises ValueError on bad input)."""
        value = self.raw(column)
        if value is None:
            if required:
                self.report(column, None, f"{expected}; the cell is blank")
            return None
        try:
            return parse(value)
        except ValueError:
            self.report(column, value, expected)
            return None


def open_workbook(path: Path, on_sheet: SheetRead | None = None) -> Workbook | PlainWorkbook:
    """Open an .xlsx read-only after checking it is a zip that will not inflate
    absurdly: read whole when its sheets are plain (plain_workbook.py; ``on_sheet``
    hears of each sheet as it is parsed), else by openpyxl, sheet by sheet as
    they are read."""
    if not path.is_file():
        _refuse(path, "cannot be read (there is no such file)")
    try:
        if not zipfile.is_zipfile(path):
            _refuse(path, "is not an Excel workbook (.xlsx)")
        with zipfile.ZipFile(path) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
        if inflated > MAX_UNCOMPRESSED_BYTES:
            _refuse(path, f"would expand to {inflated // 2**20:,} MB, which is too large to import")
        plain = read_plain_workbook(str(path), on_sheet)
        if plain is not None:
            return plain
        return load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        _refuse(path, f"cannot be read ({exc.strerror or exc})")
    except UNREADABLE as exc:
        log.info("%s could not be opened", path.name, exc_info=True)
        where = damaged_part(path) if isinstance(exc, ParseError) else ""
        why = unreadable_cell(exc)[1]
        _refuse(path, f"is not a readable Excel workbook (.xlsx): {where}{why}")


UNREADABLE = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    ParseError,
    EOFError,
    OSError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    OverflowError,
)
"""What a damaged package, damaged XML or an impossible cell raise inside openpyxl."""
_BAD_LITERAL = re.compile(
    r"(?:invalid literal for int\(\) with base 10|could not convert string to float): '(.*)'$",
    re.S,
)


_SHEET_ENTRY = re.compile(r'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\bid="([^"]*)"')
_RELATION = re.compile(r'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')


def damaged_part(path: Path) -> str:
    """Which part of the package holds the damaged XML, as "sheet 'Stock': " (or
    the part's name when it is not a sheet); "" when none can be found."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.filename.endswith((".xml", ".rels")) and not _parses(archive, info):
                    return f"{_sheet_of(archive, info.filename)}: "
    except UNREADABLE:
        return ""
    return ""


def _parses(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether the part unpacks and parses as XML (damaged packing counts as damage)."""
    try:
        with archive.open(info) as part:
            for _ in iterparse(part):
                pass
    except UNREADABLE:
        return False
    return True


def _sheet_of(archive: zipfile.ZipFile, part: str) -> str:
    try:
        workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        relations = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return part
    targets = {
        rid: target.lstrip("/").removeprefix("xl/") for target, rid in _RELATION.findall(relations)
    }
    for name, rid in _SHEET_ENTRY.findall(workbook):
        if targets.get(rid) == part.removeprefix("xl/"):
            return f"sheet {name!r}"
    return part


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "…"


def unreadable_cell(exc: BaseException) -> tuple[object, str]:
    """What a parser failure inside a sheet says about the cell: (value, why)."""
    text = str(exc)
    literal = _BAD_LITERAL.search(text)
    if literal:
        value = literal.group(1)
        try:
            read_number(value)
        except NumberInputError as refused:
            return value, f"a number cell that cannot be read: {refused.problem}"
        return value, "a number cell that cannot be read"
    if "integer string conversion" in text:
        return None, "a number cell of thousands of digits, far too long to be a real quantity"
    if isinstance(exc, ParseError):
        return None, f"damaged XML ({_short(exc)})"
    return None, f"damaged contents ({_short(exc)})"


def _refuse(path: Path, why: str) -> NoReturn:
    raise ReferenceDataError(f"{path.name} {why}; nothing was imported")


def find_sheets(workbook: Workbook | PlainWorkbook) -> dict[str, str]:
    """sheet_key -> actual title, for every sheet in the workbook (first wins)."""
    found: dict[str, str] = {}
    for title in workbook.sheetnames:
        found.setdefault(sheet_key(title), title)
    return found


def read_table(
    worksheet: ReadOnlyWorksheet | PlainSheet,
    spec: SheetSpec,
    problems: list[Problem],
    on_rows: Callable[[int], None] | None = None,
) -> SheetTable:
    """The sheet's header and non-blank rows; missing columns become problems
    (except on an entirely empty optional sheet, which counts as absent).
    ``on_rows(rows read so far)`` is called every ROWS_PER_REPORT rows."""
    worksheet.reset_dimensions()  # recorded dimensions may be stale: read what is there
    table = SheetTable(spec, worksheet.title)
    header: tuple = ()
    number = 1
    try:
        rows = worksheet.iter_rows(values_only=True)
        header = next(rows, ())
        taken = table.rows
        for number, values in enumerate(rows, start=2):
            if (
                values
                and not is_blank(values[0])
                and len(values) <= MAX_COLUMNS
                and number % ROWS_PER_REPORT
                and number <= SHEET_ROWS
                and len(taken) < MAX_ROWS
            ):  # the usual row, taken as _take_row would take it
                taken.append((number, values))
            else:
                _take_row(table, number, values, on_rows)
    except UNREADABLE as exc:
        log.info("sheet %r could not be read", worksheet.title, exc_info=True)
        _unreadable(worksheet.title, number if table.rows or header else 0, exc)
    table.empty = all(is_blank(v) for v in header) and not table.rows
    if not (table.empty and not spec.required):
        _locate_columns(table, header, problems)
    return table


def _take_row(
    table: SheetTable,
    number: int,
    values: tuple[object, ...],
    on_rows: Callable[[int], None] | None,
) -> None:
    if on_rows is not None and number % ROWS_PER_REPORT == 0:
        on_rows(number)
    if number > SHEET_ROWS:
        _too_large(table.title, f"rows numbered beyond {SHEET_ROWS:,}, which no spreadsheet has")
    if len(values) > MAX_COLUMNS and not all(is_blank(v) for v in values[MAX_COLUMNS:]):
        _too_large(table.title, f"values beyond column {MAX_COLUMNS}")
    if all(is_blank(v) for v in values):
        return
    if len(table.rows) >= MAX_ROWS:
        _too_large(table.title, f"more than {MAX_ROWS:,} rows of values")
    table.rows.append((number, values))


def _unreadable(title: str, last_row: int, exc: BaseException) -> NoReturn:
    """A sheet the parser gave up on: where it stopped, and what it met there."""
    value, why = unreadable_cell(exc)
    where = f"beyond row {last_row}" if last_row else "from its first row"
    raise ReferenceDataError(
        f"Sheet {title!r} cannot be read {where}; nothing was imported",
        [Problem(title, last_row + 1, None, value, "a readable cell", hint=why)],
    )


def expected_rows(worksheet: ReadOnlyWorksheet | PlainSheet) -> int:
    """About how many rows the sheet has, for reading progress: its recorded
    size, or (when it records none) its row elements counted in the raw XML,
    which is quick next to parsing them. A plain sheet was counted as read."""
    if isinstance(worksheet, PlainSheet):
        return max(1, min(worksheet.max_row, MAX_ROWS))
    if worksheet.max_row:
        return max(1, min(worksheet.max_row, MAX_ROWS))
    try:
        source = worksheet._get_source()
    except UNREADABLE:
        return 1
    count, tail = 0, b""
    with source:
        while chunk := source.read(1 << 20):
            data = tail + chunk
            count += data.count(b"<row ") + data.count(b"<row>")
            tail = data[-5:]
            count -= tail.count(b"<row ") + tail.count(b"<row>")
    return max(1, min(count, MAX_ROWS))


def _too_large(title: str, what: str) -> NoReturn:
    raise ReferenceDataError(
        f"Sheet {title!r} has {what}; nothing was imported",
        [
            Problem(
                title,
                None,
                None,
                None,
                f"a sheet of at most {MAX_ROWS:,} rows and {MAX_COLUMNS} columns",
            )
        ],
    )


def _locate_columns(table: SheetTable, header: tuple, problems: list[Problem]) -> None:
    positions: dict[str, int] = {}
    for position, value in enumerate(header):
        if not is_blank(value):
            positions.setdefault(header_key(value), position)
    for column in table.spec.columns:
        position = next((positions[k] for k in column.header_keys() if k in positions), None)
        if position is not None:
            table.index[column.name] = position
            table.headers[column.name] = str(header[position]).strip()
        elif column.required:
            problems.append(
                Problem(
                    table.title, 1, column.name, None, f"a column headed {column.name!r} in row 1"
                )
            )
