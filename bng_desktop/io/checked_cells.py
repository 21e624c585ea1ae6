"""Each distinct cell of a column checked once, for the long sheets.

A 1,000-bank Pricing sheet has 225,000 rows but only a thousand bank ids, a
few hundred habitat names, four sizes, three tiers and some thousands of
prices. Checking a row cell by cell (``RowCells``) costs tens of
microseconds; looking each cell up among the values already checked costs
a fraction of one. A :class:`CheckedColumn` remembers, for each distinct raw
value, what the row-by-row check makes of it when it finds nothing wrong;
a value it would report (or cannot judge alone) is remembered as
:data:`RECHECK`, and a row holding one is checked by ``RowCells`` as before,
so every problem is still reported by the same code, in the same words.
A long column can be had as codes into what its distinct values made
(:class:`CodedColumn`), which the price table sorts and numbers as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import compress, repeat
from operator import is_
from typing import Final

import numpy as np

from ..core.coded_column import CodedColumn
from .sheet_table import is_blank

RECHECK: Final = object()
"""What a column makes of a value the row-by-row check must see."""

_NUMBER_KEYS = frozenset({str, int, float, type(None)})
"""Raw types a number column remembers: equal values always read alike there
(1 and 1.0 are the same number; a flag never gets this far, see ``looked_up``)."""
_TEXT_KEYS = frozenset({str, type(None)})
"""A text column remembers text only: 1 and 1.0 would share an entry but read
as "1" and "1.0"."""


class CheckedColumn:
    """``check(raw)`` (raw None for a blank cell) gives the value, or raises
    ValueError (or returns RECHECK) where the row-by-row check would report."""

    def __init__(self, check: Callable[[object], object], *, numbers: bool = False):
        self.known = _Checked(check)
        self.keys = _NUMBER_KEYS if numbers else _TEXT_KEYS

    def __call__(self, raw: object) -> object:
        return self.known.made[self.code(raw)]

    def code(self, raw: object) -> int:
        """The code of what ``raw`` makes (RECHECK_CODE for RECHECK)."""
        if raw.__class__ not in self.keys:
            return RECHECK_CODE
        return self.known[raw]

    def all(self, raws: list[object]) -> list[object]:
        """``self(raw)`` of every raw value of a column, each distinct one checked once."""
        return list(map(self.known.made.__getitem__, self._codes(raws)))

    def coded(self, raws: list[object]) -> CodedColumn:
        """``all(raws)`` as codes into what the column made: one look-up per cell."""
        codes = np.fromiter(self._codes(raws), np.int64, len(raws))
        return CodedColumn(codes, list(self.known.made))

    def _codes(self, raws: list[object]) -> Iterator[int]:
        if set(map(type, raws)) <= self.keys:
            return map(self.known.__getitem__, raws)
        return map(self.code, raws)


RECHECK_CODE: Final = 0
"""The code of RECHECK in every checked column."""


class _Checked(dict[object, int]):
    """Each raw value a column has met, with the code of what its check made
    of it (in ``made``); a value not met yet is checked when first looked up."""

    def __init__(self, check: Callable[[object], object]):
        super().__init__()
        self.check = check
        self.made: list[object] = [RECHECK]

    def __missing__(self, raw: object) -> int:
        try:
            found = self.check(None if is_blank(raw) else raw)
        except ValueError:
            found = RECHECK
        code = RECHECK_CODE
        if found is not RECHECK:
            code = len(self.made)
            self.made.append(found)
        self[raw] = code
        return code


class CheckedRow:
    """The checked columns of a sheet, applied to its raw values column by column."""

    def __init__(self, *columns: CheckedColumn):
        self.columns = columns

    def all(self, raw_columns: list[list[object]]) -> list[list[object]]:
        """Each column of raw values as its checked column makes it, column by column."""
        return [column.all(raws) for column, raws in zip(self.columns, raw_columns, strict=True)]

    def coded(self, raw_columns: list[list[object]]) -> list[CodedColumn]:
        """``all(raw_columns)``, each column as codes into what its checked column made."""
        return [column.coded(raws) for column, raws in zip(self.columns, raw_columns, strict=True)]


def rows_to_recheck(columns: list[list[object]]) -> set[int]:
    """The positions of the rows with a RECHECK cell in any of ``columns``."""
    found: set[int] = set()
    for column in columns:
        found.update(compress(range(len(column)), map(is_, column, repeat(RECHECK))))
    return found


def coded_rows_to_recheck(columns: list[CodedColumn]) -> list[int]:
    """The positions of the rows with a RECHECK cell in any of ``columns``, ascending."""
    flagged = np.zeros(len(columns[0]) if columns else 0, dtype=bool)
    for column in columns:
        flagged |= column.codes == RECHECK_CODE
    return np.flatnonzero(flagged).tolist()
