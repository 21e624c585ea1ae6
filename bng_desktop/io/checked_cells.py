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
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import compress, repeat
from operator import is_
from typing import Final

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
        self.check = check
        self.known: dict[object, object] = {}
        self.keys = _NUMBER_KEYS if numbers else _TEXT_KEYS

    def __call__(self, raw: object) -> object:
        if raw.__class__ not in self.keys:
            return RECHECK
        found = self.known.get(raw, RECHECK)
        if found is RECHECK and raw not in self.known:
            try:
                found = self.check(None if is_blank(raw) else raw)
            except ValueError:
                found = RECHECK
            self.known[raw] = found
        return found

    def all(self, raws: list[object]) -> list[object]:
        """``self(raw)`` of every raw value of a column, each distinct one checked once."""
        known = self.known
        if set(map(type, raws)) <= self.keys:
            for raw in set(raws).difference(known):
                self(raw)
            try:
                return list(map(known.__getitem__, raws))
            except (KeyError, TypeError):  # a value unequal to itself (NaN) has no entry
                pass
        return list(map(self, raws))


class CheckedRow:
    """The checked columns of a sheet, applied to its raw values column by column."""

    def __init__(self, *columns: CheckedColumn):
        self.columns = columns

    def all(self, raw_columns: list[list[object]]) -> list[list[object]]:
        """Each column of raw values as its checked column makes it, column by column."""
        return [column.all(raws) for column, raws in zip(self.columns, raw_columns, strict=True)]


def rows_to_recheck(columns: list[list[object]]) -> set[int]:
    """The positions of the rows with a RECHECK cell in any of ``columns``."""
    found: set[int] = set()
    for column in columns:
        found.update(compress(range(len(column)), map(is_, column, repeat(RECHECK))))
    return found
