"""The workbook through openpyxl: sheets found by folded name, cells read
into small grids of cached values.

openpyxl runs read-only and values-only (``data_only``), without external
links; opening parses no cells, only each sheet's declared dimension. A sheet
is read into a ``Grid`` only after its part size and dimension pass the
limits below, and only up to the rows and columns the layout needs. openpyxl
is a parser of untrusted input here: whatever it raises becomes a "damaged"
refusal at this boundary, so nothing else of it leaks out.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_from_string, get_column_letter
from openpyxl.workbook.workbook import Workbook

from ...core.errors import MetricError
from . import refusals
from .archive import MetricFile, column_number

MAX_SHEET_PART_BYTES = 16 * 2**20
MAX_SHEET_ROWS = 100_000
MAX_SHEET_COLUMNS = 1_000

T = TypeVar("T")


def fold_sheet_name(name: str) -> str:
    """Sheet names compare without case, spaces or apostrophes."""
    return re.sub(r"[\s'’`]", "", name).casefold()


@dataclass(frozen=True)
class Grid:
    """The non-empty cells of one sheet's top-left corner."""

    sheet: str
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)

    def at(self, row: int, column: int) -> Any:
        return self.cells.get((row, column))

    def ref(self, ref: str) -> Any:
        letters, row = coordinate_from_string(ref)
        return self.at(row, column_number(letters))

    def column(self, column: int) -> Iterator[tuple[int, Any]]:
        """(row, value) of the non-empty cells of one column, top to bottom."""
        rows = sorted(r for r, c in self.cells if c == column)
        return ((r, self.cells[(r, column)]) for r in rows)


def cell_ref(row: int, column: int) -> str:
    return f"{get_column_letter(column)}{row}"


class MetricBook:
    """An open workbook; use ``open_book``."""

    def __init__(self, file: MetricFile, workbook: Workbook):
        self.file = file
        self._workbook = workbook
        self._by_fold: dict[str, list[str]] = {}
        for title in workbook.sheetnames:
            self._by_fold.setdefault(fold_sheet_name(title), []).append(title)

    def title(self, *names: str) -> str | None:
        """The workbook's own title of the first sheet matching one of ``names``."""
        for name in names:
            titles = self._by_fold.get(fold_sheet_name(name), [])
            if len(titles) > 1:
                raise refusals.layout(titles[0], f"{len(titles)} sheets are named like it")
            if titles:
                return titles[0]
        return None

    def grid(self, title: str, max_row: int, max_column: int) -> Grid:
        """Cached values of ``title``'s rows 1..max_row, columns 1..max_column."""
        sheet = self._workbook[title]
        self._check_sheet(title, sheet)
        cells: dict[tuple[int, int], Any] = {}

        def read() -> None:
            rows = sheet.iter_rows(max_row=max_row, max_col=max_column, values_only=True)
            for r, values in enumerate(rows, start=1):
                for c, value in enumerate(values, start=1):
                    if value is not None:
                        cells[(r, c)] = value

        _guarded(self.file.name, read)
        return Grid(title, cells)

    def formula_cells(self, title: str, cells: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Which of ``cells`` hold a formula (a second read, formulas instead of values)."""
        if not cells:
            return []
        wanted = set(cells)
        max_row = max(r for r, _ in cells)
        max_column = max(c for _, c in cells)

        def read() -> list[tuple[int, int]]:
            found = []
            with _opened(self.file, data_only=False) as workbook:
                rows = workbook[title].iter_rows(
                    max_row=max_row, max_col=max_column, values_only=True
                )
                for r, values in enumerate(rows, start=1):
                    for c, value in enumerate(values, start=1):
                        if (r, c) in wanted and isinstance(value, str) and value.startswith("="):
                            found.append((r, c))
            return found

        return _guarded(self.file.name, read)

    def _check_sheet(self, title: str, sheet: Any) -> None:
        part = getattr(sheet, "_worksheet_path", "")
        size = _part_size(self.file.data, part)
        if size > MAX_SHEET_PART_BYTES:
            raise refusals.hostile(self.file.name, f"the sheet '{title}' unpacks to {size:,} bytes")
        rows, columns = sheet.max_row or 0, sheet.max_column or 0
        if rows > MAX_SHEET_ROWS or columns > MAX_SHEET_COLUMNS:
            raise refusals.hostile(
                self.file.name,
                f"the sheet '{title}' declares {rows:,} rows and {columns:,} columns",
            )


@contextmanager
def open_book(file: MetricFile) -> Iterator[MetricBook]:
    """The checked file opened read-only; closed on leaving."""
    with _opened(file, data_only=True) as workbook:
        yield MetricBook(file, workbook)


@contextmanager
def _opened(file: MetricFile, *, data_only: bool) -> Iterator[Workbook]:
    workbook = _guarded(
        file.name,
        lambda: load_workbook(
            io.BytesIO(file.data), read_only=True, data_only=data_only, keep_links=False
        ),
    )
    try:
        yield workbook
    finally:
        workbook.close()


def _guarded(name: str, work: Callable[[], T]) -> T:
    """Run openpyxl; anything it raises on a malformed package is "damaged"."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return work()
    except MetricError:
        raise
    except Exception as exc:  # a third-party parser on untrusted input: see the module doc
        raise refusals.damaged(name, f"{type(exc).__name__}: {str(exc)[:200]}") from exc


def _part_size(data: bytes, part: str) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            return archive.getinfo(part.lstrip("/")).file_size
        except KeyError:
            return 0
