"""Read a developer's statutory metric workbook into a ``MetricWorkbook``.

The order of the checks is the order of METRIC.md's refusals: a hostile or
damaged package first (archive.py; while reading, budget.py bounds the cells
read and the time), then the version (Start!D8 empty or below
4.1 is "unsupported-version" even when sheets are missing too), then the
sheets a metric must have ("not-a-metric"), then calculated values, layout,
error cells and values. Either the whole workbook is read or an error is
raised: there is no partial result.
"""

from __future__ import annotations

from ...core.bands import UnitType
from ...core.catalogue import StatutoryFacts
from ...core.errors import QuoteCancelled
from ...core.metric import MetricWorkbook
from ...core.offsetting import Ledger, MetricWarning
from ...core.progress import CancelToken, ProgressCallback, no_progress
from . import refusals
from .archive import MetricFile
from .budget import ReadBudget
from .headline import (
    HeadlineFigures,
    check_headline_layout,
    read_figures,
    read_release,
    read_verdict,
    read_version,
    required_empty,
    start_warnings,
)
from .layout import (
    HEADLINE,
    HEADLINE_MAX_COLUMN,
    HEADLINE_MAX_ROW,
    KNOWN_RELEASES,
    METRIC_3_SUMMARY,
    REQUIRED_SHEETS,
    START,
    SUMMARIES,
    VERSION_HISTORY,
    SummaryLayout,
)
from .sheets import MetricBook, open_book
from .summary import empty_changes, read_summary
from .worksheet import Grid, cell_ref

SMALL_SHEET = (40, 12)
"""Rows and columns read of Start and Version History."""


def read_metric_workbook(
    file: MetricFile,
    facts: StatutoryFacts,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    budget: ReadBudget | None = None,
) -> MetricWorkbook:
    """The facts of a checked metric file, or a MetricError saying why not.

    The work is bounded by ``budget`` (by default budget.py's bounds)."""
    with open_book(file, budget) as book:
        _step(progress, cancel, 0.15, "Reading the version")
        version, warnings = _version(book)
        titles = _required_titles(book)
        _step(progress, cancel, 0.25, "Reading Headline Results")
        headline = book.grid(titles[HEADLINE], HEADLINE_MAX_ROW, HEADLINE_MAX_COLUMN)
        _check_cached(headline, HEADLINE, required_empty(headline))
        check_headline_layout(headline)
        figures, figure_warnings = read_figures(headline)
        verdict, verdict_warnings = read_verdict(headline)
        ledgers = []
        for n, layout in enumerate(SUMMARIES):
            _step(progress, cancel, 0.35 + 0.15 * n, f"Reading '{layout.sheet}'")
            ledgers.append(_ledger(book, titles[layout.sheet], layout, figures, facts))
        release = read_release(_optional_grid(book, VERSION_HISTORY))
        if release is not None and release not in KNOWN_RELEASES:
            warnings.append(
                MetricWarning(
                    f"release {release} is newer than the releases this "
                    "reader was checked against (up to 1.0.4)"
                )
            )
    return MetricWorkbook(
        metric_version=version,
        release=release,
        saved_by=file.saved_by,
        ledgers=tuple(ledgers),
        trading_rules_satisfied=verdict,
        warnings=tuple(warnings + figure_warnings + verdict_warnings),
    )


def _step(
    progress: ProgressCallback, cancel: CancelToken | None, fraction: float, text: str
) -> None:
    if cancel is not None and cancel.cancelled:
        raise QuoteCancelled("The metric import was cancelled; nothing was imported.")
    progress("read", fraction, text)


def _version(book: MetricBook) -> tuple[str, list[MetricWarning]]:
    title = book.title(START)
    if title is None:
        return "", []  # no Start sheet: refused as not-a-metric with the other missing sheets
    start = book.grid(title, *SMALL_SHEET)
    version, warnings = read_version(start)
    return version, warnings + start_warnings(start)


def _required_titles(book: MetricBook) -> dict[str, str]:
    titles = {START: book.title(START), HEADLINE: book.title(HEADLINE)}
    for layout in SUMMARIES:
        titles[layout.sheet] = book.title(*layout.aliases)
    missing = [name for name in REQUIRED_SHEETS if titles[name] is None]
    if missing:
        if book.title(METRIC_3_SUMMARY) is not None and titles[START] is not None:
            raise refusals.unsupported_version("metric 3.x (one 'Trading Summary' sheet)", None)
        raise refusals.missing_sheets(book.file.name, missing)
    return {name: title for name, title in titles.items() if title is not None}


def _check_cached(grid: Grid, sheet: str, empty: list[tuple[int, int]]) -> None:
    """Cells the import needs that are empty but hold a formula: the workbook was
    never calculated (written by a program, METRIC.md), so nothing can be read."""
    uncached = [cell for cell in empty if cell in grid.formulas]
    if uncached:
        raise refusals.no_cached_values(sheet, cell_ref(*uncached[0]))


def _ledger(
    book: MetricBook,
    title: str,
    layout: SummaryLayout,
    figures: dict[UnitType, HeadlineFigures],
    facts: StatutoryFacts,
) -> Ledger:
    grid = book.grid(title, layout.max_row, layout.max_column)
    _check_cached(grid, layout.sheet, empty_changes(grid, layout))
    rows = read_summary(grid, layout, facts)
    headline = figures[layout.unit_type]
    return Ledger(
        unit_type=layout.unit_type,
        bands=layout.bands,
        rows=rows,
        baseline=headline.baseline,
        target=headline.target,
        total_net_change=headline.total_net_change,
        metric_units_required=headline.units_required,
        metric_unit_deficit=headline.unit_deficit,
    )


def _optional_grid(book: MetricBook, name: str) -> Grid | None:
    title = book.title(name)
    return book.grid(title, *SMALL_SHEET) if title is not None else None
