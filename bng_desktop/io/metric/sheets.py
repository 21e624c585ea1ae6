"""The checked workbook opened for reading: sheets found by folded name, and
the corner of a sheet the layout needs read into a ``Grid`` of cached values.

Nothing is parsed on opening but the workbook's list of sheets; a sheet is
read only when asked for, only down to the last row needed, and every part
parsed counts against one ``ReadBudget`` (cells, XML elements, processor
time), so the work is bounded by what the file holds, whatever sizes its
sheets declare. The workbook's styles, formulas' texts, drawings and links
are never parsed.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

from . import refusals
from .archive import MetricFile
from .budget import ReadBudget
from .package import SheetEntry, read_index
from .shared_strings import SharedStrings
from .worksheet import Grid, read_corner
from .xml_stream import UNPACKING_ERRORS


def fold_sheet_name(name: str) -> str:
    """Sheet names compare without case, spaces or apostrophes."""
    return re.sub(r"[\s'’`]", "", name).casefold()


class MetricBook:
    """An open workbook; use ``open_book``."""

    def __init__(
        self,
        file: MetricFile,
        archive: zipfile.ZipFile,
        sheets: tuple[SheetEntry, ...],
        strings: SharedStrings,
        budget: ReadBudget,
    ):
        self.file = file
        self.budget = budget
        self._archive = archive
        self._strings = strings
        self._by_fold: dict[str, list[SheetEntry]] = {}
        for sheet in sheets:
            self._by_fold.setdefault(fold_sheet_name(sheet.title), []).append(sheet)

    def title(self, *names: str) -> str | None:
        """The workbook's own title of the first sheet matching one of ``names``."""
        for name in names:
            entries = self._by_fold.get(fold_sheet_name(name), [])
            if len(entries) > 1:
                raise refusals.layout(entries[0].title, f"{len(entries)} sheets are named like it")
            if entries:
                return entries[0].title
        return None

    def grid(self, title: str, max_row: int, max_column: int) -> Grid:
        """Cached values of ``title``'s rows 1..max_row, columns 1..max_column."""
        entry = self._by_fold[fold_sheet_name(title)][0]
        if entry.part is None:
            raise refusals.damaged(
                self.file.name, f"the sheet '{title}' is not a worksheet or its part is missing"
            )
        return read_corner(
            self._archive, entry.part, title, (max_row, max_column), self._strings, self.budget
        )


@contextmanager
def open_book(file: MetricFile, budget: ReadBudget | None = None) -> Iterator[MetricBook]:
    """The checked file opened for reading; closed on leaving."""
    budget = budget or ReadBudget(file.name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(file.data))
    except UNPACKING_ERRORS as exc:
        raise refusals.damaged(file.name, f"not a complete zip package: {exc}") from exc
    with archive:
        index = read_index(archive, budget)
        strings = SharedStrings(archive, index.shared_strings, budget)
        try:
            yield MetricBook(file, archive, index.sheets, strings, budget)
        finally:
            strings.close()
