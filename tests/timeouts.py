"""A time limit that ends the search at a known point, and an instance whose
first stock round overdraws, so a time-limited quote is reproducible: stage
A's first relaxation (both lines on the cheap bank's one unit) costs less
than any legal allocation, and the time is up before the second round."""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from pathlib import Path

import pytest

from bng_desktop.core import solver
from bng_desktop.core.bands import Band, Tier
from bng_desktop.core.milp import Clock
from bng_desktop.core.model import DistinctivenessLevel, SrmRow, StockLine
from bng_desktop.core.reference import ReferenceSnapshot
from bng_desktop.io.reference_workbook import write_reference_workbook
from tests.core.engine_builders import (
    ADJACENT_BANK,
    BRACKEN,
    LOCAL_BANK,
    MODIFIED,
    prices_for,
    snapshot,
)

CHEAP, DEAR = 10_000, 25_000
DEMAND = ((MODIFIED, Fraction(1)), (BRACKEN, Fraction(1)))
RELAXATION_COST = 2 * CHEAP
"""Stage A's first round: both lines on the local bank's single unit."""


class FirstSolveOnly(Clock):
    """A clock whose time is up once the first solve has been given its time."""

    def __init__(self, limit: float):
        super().__init__(limit)
        self.asked = 0

    @property
    def remaining(self) -> float:
        self.asked += 1
        return self.limit if self.asked == 1 else 0.0


def time_up_after_the_first_solve(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(solver, "Clock", FirstSolveOnly)


def shared_stock_case() -> ReferenceSnapshot:
    """Two Low lines; the local bank has one unit at £10,000, the adjacent
    bank plenty at £25,000."""
    return snapshot(
        banks=(LOCAL_BANK, ADJACENT_BANK),
        stock=(
            StockLine("L-1", "L", MODIFIED, Fraction(1)),
            StockLine("A-1", "A", MODIFIED, Fraction(10)),
        ),
        prices=(*prices_for("L", MODIFIED, CHEAP), *prices_for("A", MODIFIED, DEAR)),
    )


def shared_stock_workbook(folder: Path) -> Path:
    """The case as a backend workbook, with the sheets a workbook must have besides."""
    data = dataclasses.replace(
        shared_stock_case().data,
        distinctiveness=tuple(DistinctivenessLevel(b.label, Fraction(2 * b)) for b in Band),
        srm=(
            SrmRow(Tier.LOCAL, Fraction(1)),
            SrmRow(Tier.ADJACENT, Fraction(3, 4)),
            SrmRow(Tier.FAR, Fraction(1, 2)),
        ),
    )
    return write_reference_workbook(data, folder / "reference.xlsx")
