"""Saved quotes to export, in a real store: one typed by hand (with a promoter),
one from a developer's metric workbook (the shared generator's), and how the
Excel Quote sheet shows its table, to compare the other documents with."""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from pathlib import Path

import openpyxl

from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.policy import Promoter
from bng_desktop.core.result import QuoteRequest
from bng_desktop.metric_import import apply_metric
from bng_desktop.store import SavedQuote
from bng_desktop.workspace import Workspace
from tests.metric.generated import Spec, generate

SITE = Site(lpa="Winchester", nca="South Downs", label="Land at Bushfield Camp")
DEMAND = (
    DemandLine("Grassland - Modified grassland", Fraction(3, 2)),
    DemandLine("Heathland and shrub - Mixed scrub", Fraction(3, 5)),
    DemandLine("Grassland - Other neutral grassland", Fraction(9, 20)),
    DemandLine("Net Gain (area)", Fraction(4, 5)),
    DemandLine("Native hedgerow", Fraction(3, 10)),
)
CLIENT = "Acme <Homes> & Sons"
SHEET_TABLE_FIRST_ROW = 8
"""The Quote sheet's first row under the two header rows (6 and 7)."""


def typed_quote(workspace: Workspace, *, promoter: str = "Arbtech") -> SavedQuote:
    request = QuoteRequest(SITE, DEMAND)
    policy = workspace.snapshot().default_policy
    if promoter:
        request = dataclasses.replace(
            request, policy=dataclasses.replace(policy, promoter=Promoter(promoter))
        )
    quote = workspace.quote(request, use_cache=False)
    return workspace.save_quote(quote, client_name=CLIENT, author="jo@consultants.example")


def metric_workbook(folder: Path) -> Path:
    """One workbook of the shared generator (metric 4.1, a site with surplus)."""
    spec = Spec("1.0.3", 14)
    return generate(folder, [spec])[spec].workbook


def metric_quote(workspace: Workspace, workbook: Path) -> SavedQuote:
    imported = workspace.import_metric(workbook)
    quote = workspace.quote(apply_metric(QuoteRequest(SITE, ()), imported), use_cache=False)
    return workspace.save_quote(quote, client_name="Brook Estates")


def sheet_rows(workbook: Path | object) -> list[list[str]]:
    """The Quote sheet's table as the sheet shows it, down to the VAT note: each
    row's non-empty cells, numbers in the cells' number formats (units 0.00#,
    money £#,##0)."""
    book = openpyxl.load_workbook(workbook, data_only=True)
    sheet = book["Quote"]
    rows = []
    for cells in sheet.iter_rows(min_row=SHEET_TABLE_FIRST_ROW):
        shown = [_shown(cell) for cell in cells if cell.value is not None]
        if shown and shown[0].startswith("All prices exclude"):
            break  # the notes under the table
        if shown:
            rows.append(shown)
    return rows


def _shown(cell) -> str:
    value = cell.value
    if isinstance(value, str):
        return value
    if cell.number_format.startswith("£"):
        return f"£{value:,.0f}" if value >= 0 else f"-£{-value:,.0f}"
    text = f"{value:.3f}"
    return text[:-1] if text.endswith("0") else text
