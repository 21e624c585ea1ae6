"""How much work reading one metric workbook may take, judged by what the
file holds and never by what it declares.

A sheet's ``<dimension>`` says nothing about its content: Excel declares
``A1:XFD67`` and LibreOffice ``A1:Q1048576`` for sheets of a few hundred
rows, because formatting reaches whole rows or columns. What bounds the work
is what is actually parsed: the cells (and shared strings) read, the XML
elements met on the way, and the processor time of the reading thread. The
unpacked bytes are bounded before this, by ``archive.py``.

A statutory metric workbook's six sheets read hold a few thousand cells and
take a few hundredths of a second; the bounds are hundreds of times that.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from . import refusals

MAX_CELLS_READ = 1_000_000
"""Cells of the sheets read (all of them up to the last row needed, however far
to the right) plus the shared strings parsed to resolve them."""
MAX_ELEMENTS_READ = 5_000_000
"""XML elements of every part parsed (a cell is two or three)."""
MAX_READ_SECONDS = 5.0
"""Processor time of the reading thread (not wall time: a busy machine does
not refuse a good file)."""


class ReadBudget:
    """Counters one import's parsing adds to; ``check`` refuses once one is spent.

    Handlers count with plain attribute increments (``cells``, ``elements``);
    the XML stream calls ``check`` after every chunk it feeds, so a bound is
    overshot by at most one chunk's worth of work.
    """

    def __init__(
        self,
        file_name: str,
        *,
        max_cells: int = MAX_CELLS_READ,
        max_elements: int = MAX_ELEMENTS_READ,
        max_seconds: float = MAX_READ_SECONDS,
        clock: Callable[[], float] = time.thread_time,
    ):
        self.file_name = file_name
        self.max_cells = max_cells
        self.max_elements = max_elements
        self.max_seconds = max_seconds
        self.cells = 0
        self.elements = 0
        self._clock = clock
        self._started = clock()

    @property
    def seconds(self) -> float:
        """Processor time spent since the budget was opened."""
        return self._clock() - self._started

    def check(self, where: str) -> None:
        """Refuse the file if a bound is spent; ``where`` says what was being read."""
        if self.cells > self.max_cells:
            raise refusals.too_much(
                self.file_name, f"reading {where} went past {self.max_cells:,} cells"
            )
        if self.elements > self.max_elements:
            raise refusals.too_much(
                self.file_name, f"reading {where} went past {self.max_elements:,} XML elements"
            )
        if self.seconds > self.max_seconds:
            raise refusals.too_much(
                self.file_name,
                f"reading it took more than {self.max_seconds:g} s of processor time; it "
                f"stopped in {where}",
            )
