"""A small good reference workbook and edits to it, for the reference-workbook tests."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from bng_desktop.core.bands import Band, ContractSize, Tier
from bng_desktop.core.errors import ReferenceDataError
from bng_desktop.core.model import (
    Bank,
    DistinctivenessLevel,
    PriceRow,
    ReferenceData,
    SrmRow,
    StockLine,
    TradingRule,
)
from bng_desktop.io.reference_workbook import read_reference_workbook


def small_data(facts) -> ReferenceData:
    """Two banks, five catalogue habitats (one of each ledger and more), one rule."""
    names = (
        "Ditches",
        "Grassland - Modified grassland",
        "Grassland - Other neutral grassland",
        "Heathland and shrub - Mixed scrub",
        "Native hedgerow",
    )
    stock = (
        StockLine("B1-S1", "B1", "Grassland - Other neutral grassland", Fraction(10)),
        StockLine("B1-S2", "B1", "Native hedgerow", Fraction(3), Fraction(3), Fraction(1, 2)),
        StockLine("B2-S1", "B2", "Heathland and shrub - Mixed scrub", Fraction("5.25")),
    )
    prices = tuple(
        PriceRow(s.bank_id, s.habitat_name, ContractSize.SMALL, tier, Fraction(price))
        for s, base in zip(stock, (20000, 18000, 25000), strict=True)
        for tier, price in ((Tier.LOCAL, base), (Tier.FAR, base * 2))
    )
    return ReferenceData(
        banks=(
            Bank("B1", "Bank One", "Winchester", "South Downs"),
            Bank("B2", "Bank Two", "Cornwall", "Bodmin Moor", lat=50.5, lon=-4.6),
        ),
        habitats=tuple(facts.habitat(n) for n in names),
        stock=stock,
        prices=prices,
        trading_rules=(
            TradingRule("Grassland - Modified grassland", "Heathland and shrub - Mixed scrub"),
        ),
        distinctiveness=tuple(DistinctivenessLevel(b.label, Fraction(2 * b)) for b in Band),
        srm=(
            SrmRow(Tier.LOCAL, Fraction(1)),
            SrmRow(Tier.ADJACENT, Fraction(3, 4)),
            SrmRow(Tier.FAR, Fraction(1, 2)),
        ),
        lpa_neighbours=(("East Hampshire", "Winchester"),),
        policy=(("bank_cap_small", "2"), ("split_lines", "false")),
    )


def edited(path: Path, *edits: Callable[[openpyxl.Workbook], None]) -> Path:
    workbook = openpyxl.load_workbook(path)
    for edit in edits:
        edit(workbook)
    out = path.with_name("edited.xlsx")
    workbook.save(out)
    return out


def set_cell(sheet: str, row: int, column: str, value) -> Callable:
    def edit(workbook):
        worksheet = workbook[sheet]
        headers = [c.value for c in worksheet[1]]
        worksheet.cell(row=row, column=headers.index(column) + 1).value = value

    return edit


def add_row(sheet: str, **values) -> Callable:
    def edit(workbook):
        worksheet = workbook[sheet]
        worksheet.append([values.get(c.value) for c in worksheet[1]])

    return edit


def drop_sheet(sheet: str) -> Callable:
    def edit(workbook):
        del workbook[sheet]

    return edit


def drop_column(sheet: str, column: str) -> Callable:
    def edit(workbook):
        worksheet = workbook[sheet]
        headers = [c.value for c in worksheet[1]]
        worksheet.delete_cols(headers.index(column) + 1)

    return edit


def drop_rows(sheet: str) -> Callable:
    def edit(workbook):
        worksheet = workbook[sheet]
        worksheet.delete_rows(2, worksheet.max_row)

    return edit


def problems_of(path: Path, facts):
    with pytest.raises(ReferenceDataError) as caught:
        read_reference_workbook(path, facts)
    return caught.value
