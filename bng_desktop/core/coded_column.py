"""A long column held as codes into its values, each value made once.

A 1,000-bank Pricing sheet's 225,000 rows hold a thousand bank ids, a few
hundred habitat names and some thousands of prices. A column is checked once
per distinct cell; keeping each row as the code of what its cell made lets
the price table sort and number the rows from the codes, without looking
every cell up a second time.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class CodedColumn:
    """Row ``i`` holds ``values[codes[i]]``. A value may stand under more than
    one code (equal cells typed differently), and some values no row uses."""

    codes: np.ndarray
    values: list[Any]

    @classmethod
    def of(cls, column: Sequence[Any]) -> CodedColumn:
        """The column's values coded by identity (equal objects are told apart
        only when they are the same object)."""
        by_id = dict(zip(map(id, column), column, strict=True))
        place = {key: n for n, key in enumerate(by_id)}
        codes = np.fromiter(map(place.__getitem__, map(id, column)), np.int64, len(column))
        return cls(codes, list(by_id.values()))

    def __len__(self) -> int:
        return len(self.codes)

    def put(self, row: int, value: Any) -> None:
        """Row ``row`` holds ``value`` from now on."""
        self.codes[row] = len(self.values)
        self.values.append(value)

    def without(self, rows: Sequence[int]) -> CodedColumn:
        """The column with ``rows`` left out, the others in order."""
        return CodedColumn(np.delete(self.codes, list(rows)), self.values)

    def distinct(
        self, key: Callable[[Any], Hashable] | None = None
    ) -> tuple[np.ndarray, list[Any]]:
        """Each row's code into the distinct values rows use (told apart by
        ``key``, by the values themselves when None), and those values in the
        order of their first code."""
        used = np.flatnonzero(np.bincount(self.codes, minlength=len(self.values)))
        place: dict[Hashable, int] = {}
        distinct: list[Any] = []
        renumbered = np.zeros(len(self.values), dtype=np.int64)
        for code in used.tolist():
            value = self.values[code]
            found = place.setdefault(value if key is None else key(value), len(distinct))
            if found == len(distinct):
                distinct.append(value)
            renumbered[code] = found
        return renumbered[self.codes], distinct
