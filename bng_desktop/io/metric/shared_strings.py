"""The shared-strings table (``xl/sharedStrings.xml``), read only as far as
the cells read need it.

Excel and LibreOffice store a text cell as an index into this table. The
table is parsed lazily, chunk by chunk, up to the highest index asked for;
each string parsed counts as a cell in the budget. A string's text is its
``<t>`` runs joined, phonetic guides (``<rPh>``) left out, as Excel shows it.
"""

from __future__ import annotations

import zipfile

from . import refusals
from .budget import ReadBudget
from .xml_stream import XmlStream, local_name

MAX_TEXT = 32_767
"""Excel's limit on the characters of one cell."""


class SharedStrings:
    """``get(index)`` → the text, or None past the table's end."""

    def __init__(self, archive: zipfile.ZipFile, part: str | None, budget: ReadBudget):
        self._archive = archive
        self._part = part
        self._budget = budget
        self._handler = _StringTable(budget, part or "")
        self._stream: XmlStream | None = None

    def get(self, index: int) -> str | None:
        strings = self._handler.strings
        if len(strings) <= index and self._stream is None and self._part is not None:
            self._stream = XmlStream(self._archive, self._part, self._handler, self._budget)
        while len(strings) <= index and self._stream is not None and not self._stream.done:
            self._stream.step()
        return strings[index] if index < len(strings) else None

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()


class _StringTable:
    def __init__(self, budget: ReadBudget, part: str):
        self.budget = budget
        self.part = part
        self.strings: list[str] = []
        self._runs: list[str] | None = None
        self._length = 0
        self._collecting = False
        self._phonetic = 0

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.budget.elements += 1
        tag = local_name(name)
        if tag == "si":
            self.budget.cells += 1
            self._runs, self._length = [], 0
        elif tag == "t" and self._runs is not None and not self._phonetic:
            self._collecting = True
        elif tag == "rPh":
            self._phonetic += 1

    def end(self, name: str) -> None:
        tag = local_name(name)
        if tag == "t":
            self._collecting = False
        elif tag == "rPh":
            self._phonetic = max(0, self._phonetic - 1)
        elif tag == "si" and self._runs is not None:
            self.strings.append("".join(self._runs))
            self._runs = None

    def text(self, data: str) -> None:
        if not self._collecting or self._runs is None:
            return
        self._length += len(data)
        if self._length > MAX_TEXT:
            raise refusals.damaged(
                self.budget.file_name,
                f"shared string {len(self.strings)} in {self.part} is longer than the "
                f"{MAX_TEXT:,} characters Excel allows in a cell",
            )
        self._runs.append(data)

    def where(self) -> str:
        return f"the shared strings ({self.part}, string {len(self.strings):,})"
