"""Start, Version History and Headline Results: the version, the release and
per unit type the baseline, target and the metric's own figures.

Headline figures sit at fixed addresses in every 1.0.x release (DEFRA's own
reader uses them too); the labels beside them are checked first, so a sheet
laid out otherwise is refused rather than misread. Baseline and target decide
the Net Gain line: anything but a number there refuses the file. The metric's
own Unit Deficit, total net change and verdict are only reported: a flag or
error there becomes a warning and the figure is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ...core.bands import UnitType
from ...core.offsetting import MetricWarning
from . import refusals
from .cells import EMPTY, ERROR, FLAG, NUMBER, CellValue, classify, normalise_text
from .layout import (
    BASELINE_ROW,
    HEADLINE,
    HEADLINE_FLAG_CELLS,
    HEADLINE_LABELS,
    RELEASE,
    REQUIREMENT_ROW,
    START,
    START_TARGET_FLAG,
    STATUTORY_VERSION,
    TARGET_COLUMN,
    TOTAL_CHANGE_ROW,
    UNIT_TYPE_COLUMN,
    UNIT_WORDS,
    UNITS_REQUIRED_COLUMN,
    VALUE_COLUMN,
    VERDICT_CELL,
    VERSION_CELL,
)
from .worksheet import Grid, cell_ref

UNIT_TYPES = (UnitType.AREA, UnitType.HEDGEROW, UnitType.WATERCOURSE)


@dataclass(frozen=True)
class HeadlineFigures:
    """One unit type's row of Headline Results."""

    baseline: Fraction
    target: Fraction
    total_net_change: Fraction | None
    units_required: Fraction | None
    unit_deficit: Fraction | None


def read_version(start: Grid) -> tuple[str, list[MetricWarning]]:
    """Start!D8 as the metric means it; refuses anything below the statutory 4.1."""
    raw = start.ref(VERSION_CELL)
    value = classify(raw)
    if value.kind == EMPTY:
        raise refusals.unsupported_version(
            "an earlier metric (3.0 or 3.1: Start!D8 is empty)", None
        )
    if value.kind != NUMBER or value.number is None:
        raise refusals.unsupported_version(f"not a known metric (Start!D8 reads {raw!r})", raw)
    version = f"{round(float(value.number), 6):g}"
    if value.number < Fraction(STATUTORY_VERSION) - Fraction(1, 10**6):
        shown = version if "." in version else f"{version}.0"
        raise refusals.unsupported_version(f"metric {shown}", raw)
    warnings = []
    if round(float(value.number), 6) > float(STATUTORY_VERSION):
        warnings.append(
            MetricWarning(
                f"Start!D8 says metric {version}, newer than the statutory metric "
                f"{STATUTORY_VERSION} this reader was checked against: check the figures"
            )
        )
    return version, warnings


def read_release(history: Grid | None) -> str | None:
    """The last "Version 1.0.x" in column B of Version History (None without the sheet)."""
    if history is None:
        return None
    release = None
    for _, value in history.column(2):
        match = RELEASE.match(str(value))
        if match:
            release = match.group(1)
    return release


def start_warnings(start: Grid) -> list[MetricWarning]:
    flag = start.ref(START_TARGET_FLAG)
    if isinstance(flag, str) and flag.strip():
        return [MetricWarning(f"the metric flags {START}!{START_TARGET_FLAG}: {flag.strip()!r}")]
    return []


def check_headline_layout(grid: Grid) -> None:
    """The labels beside the figures read is what the statutory metric has there."""
    for ref, texts in HEADLINE_LABELS.items():
        _expect(grid, ref, normalise_text(grid.ref(ref) or ""), texts, prefix=True)
    for i, unit_type in enumerate(UNIT_TYPES):
        for row, column in (
            (BASELINE_ROW + i, UNIT_TYPE_COLUMN),
            (TOTAL_CHANGE_ROW + i, UNIT_TYPE_COLUMN),
            (REQUIREMENT_ROW + i, 2),
        ):
            ref = cell_ref(row, column)
            _expect(grid, ref, normalise_text(grid.at(row, column) or ""), UNIT_WORDS[unit_type])


def _expect(grid: Grid, ref: str, text: str, texts: tuple[str, ...], prefix: bool = False) -> None:
    ok = any(text.startswith(t) for t in texts) if prefix else text in texts
    if not ok:
        wanted = " or ".join(f"'{t}'" for t in texts)
        raise refusals.layout(
            grid.sheet, f"{ref} reads {text!r} where the metric has {wanted}", ref
        )


def required_empty(grid: Grid) -> list[tuple[int, int]]:
    """The baseline and target cells that are empty (a calculated metric has numbers there)."""
    cells = [(BASELINE_ROW + i, VALUE_COLUMN) for i in range(3)]
    cells += [(REQUIREMENT_ROW + i, TARGET_COLUMN) for i in range(3)]
    return [(row, column) for row, column in cells if grid.at(row, column) is None]


def read_figures(grid: Grid) -> tuple[dict[UnitType, HeadlineFigures], list[MetricWarning]]:
    """Per unit type: baseline and target (required), the metric's own figures (reported)."""
    figures: dict[UnitType, HeadlineFigures] = {}
    warnings: list[MetricWarning] = []
    for i, unit_type in enumerate(UNIT_TYPES):
        baseline = _required(grid, BASELINE_ROW + i, VALUE_COLUMN, "an on-site baseline")
        target = _required(grid, REQUIREMENT_ROW + i, TARGET_COLUMN, "a target fraction")
        if target > 1:
            ref = cell_ref(REQUIREMENT_ROW + i, TARGET_COLUMN)
            raise refusals.bad_value(grid.sheet, ref, float(target), "a target of at most 100%")
        reported = [
            _reported(grid, row, column, what, warnings)
            for row, column, what in (
                (TOTAL_CHANGE_ROW + i, VALUE_COLUMN, "total net unit change"),
                (REQUIREMENT_ROW + i, UNITS_REQUIRED_COLUMN, "units required"),
                (REQUIREMENT_ROW + i, VALUE_COLUMN, "Unit Deficit"),
            )
        ]
        figures[unit_type] = HeadlineFigures(baseline, target, *reported)
    return figures, warnings


def read_verdict(grid: Grid) -> tuple[str | None, list[MetricWarning]]:
    """F55, the metric's "Trading rules satisfied?" as written; and its input flags."""
    warnings = [
        MetricWarning(f"the metric flags {HEADLINE}!{ref}: {text.strip()!r}")
        for ref in HEADLINE_FLAG_CELLS
        if isinstance(text := grid.ref(ref), str) and text.strip()
    ]
    value = classify(grid.ref(VERDICT_CELL))
    if value.kind in (EMPTY, ERROR):
        if value.kind == ERROR:
            warnings.append(MetricWarning(f"{HEADLINE}!{VERDICT_CELL} shows {value.text}"))
        return None, warnings
    return value.text, warnings


def _required(grid: Grid, row: int, column: int, what: str) -> Fraction:
    ref = cell_ref(row, column)
    value = classify(grid.at(row, column))
    if value.kind == ERROR:
        raise refusals.error_cells(grid.sheet, [(ref, value.text)])
    if value.kind == FLAG:
        raise refusals.metric_flag(grid.sheet, ref, value.text, what)
    if value.kind != NUMBER or value.number is None or value.number < 0:
        raise refusals.bad_value(grid.sheet, ref, value.raw, what, value.problem)
    return value.number


def _reported(
    grid: Grid, row: int, column: int, what: str, warnings: list[MetricWarning]
) -> Fraction | None:
    ref = cell_ref(row, column)
    value: CellValue = classify(grid.at(row, column))
    if value.kind == NUMBER:
        return value.number
    if value.kind != EMPTY:
        warnings.append(
            MetricWarning(f"{HEADLINE}!{ref} ({what}) reads {value.text!r}; left out of the report")
        )
    return None
