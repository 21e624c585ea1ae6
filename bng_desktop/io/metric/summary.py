"""A trading summary sheet → the habitat rows of one unit type.

Blocks are found by their title rows ("High Distinctiveness" ...), the header
row within two rows below, columns by their header texts; habitat rows run
until column B is empty. What was found is checked against the layout before
a single figure is trusted: each header in its statutory column, each block
once and in order, each catalogue habitat in the block of its band, the
project-wide change equal to on-site + off-site, and the rows adding up to
the block's total row. Any disagreement refuses the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from ...core.bands import Band, UnitType
from ...core.catalogue import StatutoryFacts, fold
from ...core.errors import MetricError
from ...core.model import Habitat
from ...core.offsetting import MetricRow
from . import refusals
from .cells import EMPTY, ERROR, NUMBER, CellValue, classify, normalise_text
from .layout import (
    BAND_BY_TITLE,
    BAND_TITLE,
    HEADER_SEARCH_ROWS,
    LABEL_HEADER,
    TOTAL_SEARCH_ROWS,
    SummaryLayout,
)
from .worksheet import Grid, cell_ref

TOLERANCE = Fraction(1, 10**6)
"""Cross-checks between the workbook's own figures allow for float rounding."""
LABEL_ALIASES = {
    fold("Woodland and forest - Felled/Replacement for felled woodland"): (
        "Woodland and forest - Felled"
    ),
    fold("Woodland and forest - Replacement for felled woodland"): "Woodland and forest - Felled",
}


@dataclass
class _Reading:
    """Rows read so far and the error cells met on the way (all named at the end)."""

    grid: Grid
    layout: SummaryLayout
    facts: StatutoryFacts
    rows: list[MetricRow] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


def read_summary(grid: Grid, layout: SummaryLayout, facts: StatutoryFacts) -> tuple[MetricRow, ...]:
    """Every habitat row of the summary, in sheet order (zero rows included)."""
    reading = _Reading(grid, layout, facts)
    titles = band_titles(grid, layout)
    stops = [row for _, row in titles[1:]] + [layout.max_row + 1]
    for (band, title_row), stop in zip(titles, stops, strict=True):
        header = _header_row(grid, layout, band, title_row, stop)
        check_headers(grid, layout, band, header)
        _read_block(reading, band, header, stop)
    if reading.errors:
        raise refusals.error_cells(grid.sheet, reading.errors)
    _check_unique(grid, reading.rows)
    return tuple(reading.rows)


def band_titles(grid: Grid, layout: SummaryLayout) -> list[tuple[Band, int]]:
    """(band, title row) of each block, top to bottom, checked against the layout."""
    found: list[tuple[Band, int]] = []
    for row, value in grid.column(layout.label_column):
        match = BAND_TITLE.match(normalise_text(value))
        if match:
            found.append((BAND_BY_TITLE[match.group(1)], row))
    bands = tuple(band for band, _ in found)
    if bands != layout.bands:
        seen = ", ".join(b.label for b in bands) or "none"
        wanted = ", ".join(b.label for b in layout.bands)
        raise refusals.layout(
            grid.sheet, f"its distinctiveness blocks are {seen}; the metric has {wanted}"
        )
    return found


def _header_row(grid: Grid, layout: SummaryLayout, band: Band, title: int, stop: int) -> int:
    row = _find_header(grid, layout, title, stop)
    if row is None:
        raise refusals.layout(
            grid.sheet,
            f"no 'Habitat group' header within {HEADER_SEARCH_ROWS} rows below the "
            f"{band.label} title (row {title})",
            cell_ref(title, layout.label_column),
        )
    return row


def _find_header(grid: Grid, layout: SummaryLayout, title: int, stop: int) -> int | None:
    for row in range(title + 1, min(title + HEADER_SEARCH_ROWS, stop - 1) + 1):
        if normalise_text(grid.at(row, layout.label_column) or "") == LABEL_HEADER:
            return row
    return None


def empty_changes(grid: Grid, layout: SummaryLayout) -> list[tuple[int, int]]:
    """Cells a calculated metric never leaves empty but ``grid`` has empty: each
    block's first label and the project-wide change of every labelled row.
    (A layout this cannot follow is left to ``read_summary`` to refuse.)"""
    try:
        titles = band_titles(grid, layout)
    except MetricError:
        return []
    empty: list[tuple[int, int]] = []
    stops = [row for _, row in titles[1:]] + [layout.max_row + 1]
    for (_, title), stop in zip(titles, stops, strict=True):
        header = _find_header(grid, layout, title, stop)
        if header is None:
            continue
        if grid.at(header + 1, layout.label_column) is None:
            empty.append((header + 1, layout.label_column))
        row = header + 1
        while row < stop and grid.at(row, layout.label_column) is not None:
            if grid.at(row, layout.project_wide_column) is None:
                empty.append((row, layout.project_wide_column))
            row += 1
    return empty


def check_headers(grid: Grid, layout: SummaryLayout, band: Band, row: int) -> None:
    """Each header text in its statutory column, and nowhere else in the row."""
    columns: dict[str, list[int]] = {}
    for column in range(1, layout.max_column + 1):
        text = normalise_text(grid.at(row, column) or "")
        columns.setdefault(text, []).append(column)
    for text, expected in layout.headers().items():
        where = columns.get(text, [])
        if where != [expected]:
            found = ", ".join(cell_ref(row, c) for c in where) or "nowhere"
            raise refusals.layout(
                grid.sheet,
                f"the {band.label} block's '{text}' header is at {found}; the metric has it "
                f"at {cell_ref(row, expected)}",
                cell_ref(row, expected),
            )


def _read_block(reading: _Reading, band: Band, header: int, stop: int) -> None:
    """Habitat rows until column B is empty, then the total row; between that and
    the next block's title column B must be empty (a row out there is a row missed)."""
    grid, layout = reading.grid, reading.layout
    first = len(reading.rows)
    row = header + 1
    while row < stop and grid.at(row, layout.label_column) is not None:
        found = _habitat_row(reading, band, row)
        if found is not None:
            reading.rows.append(found)
        row += 1
    if row == header + 1:
        raise refusals.layout(grid.sheet, f"the {band.label} block has no habitat rows")
    if reading.errors:
        return
    total = _check_total(reading, band, reading.rows[first:], row, stop)
    if stop <= layout.max_row:
        _check_gap(grid, layout, band, total + 1, stop)


def _habitat_row(reading: _Reading, band: Band, row: int) -> MetricRow | None:
    grid, layout = reading.grid, reading.layout
    label = grid.at(row, layout.label_column)
    ref = cell_ref(row, layout.project_wide_column)
    if not isinstance(label, str):
        raise refusals.bad_value(grid.sheet, cell_ref(row, layout.label_column), label, "a habitat")
    value = classify(grid.at(row, layout.project_wide_column))
    if value.kind == ERROR:
        reading.errors.append((ref, value.text))
        return None
    change = _units(grid.sheet, ref, value)
    _check_sum(grid, layout, row, change)
    habitat = _habitat(reading, band, row, label.strip(), change)
    if habitat is None and layout.unit_type is UnitType.AREA:
        return None
    broad = grid.at(row, layout.broad_column) if layout.broad_column else ""
    return MetricRow(label.strip(), band, change, habitat, str(broad or "").strip(), ref)


def _units(sheet: str, ref: str, value: CellValue) -> Fraction:
    if value.kind == EMPTY:
        return Fraction(0)
    if value.kind != NUMBER or value.number is None:
        raise refusals.bad_value(sheet, ref, value.raw, "a number of units", value.problem)
    return value.number


def _check_sum(grid: Grid, layout: SummaryLayout, row: int, change: Fraction) -> None:
    """Project-wide = on-site + off-site: a value read from the wrong column fails this."""
    if change == 0:
        return
    parts = [classify(grid.at(row, c)) for c in (layout.on_site_column, layout.off_site_column)]
    if any(p.kind not in (EMPTY, NUMBER) for p in parts):
        return
    total = sum((p.number or Fraction(0) for p in parts), Fraction(0))
    if abs(total - change) > TOLERANCE:
        on, off = (cell_ref(row, c) for c in (layout.on_site_column, layout.off_site_column))
        raise refusals.layout(
            grid.sheet,
            f"{cell_ref(row, layout.project_wide_column)} (project-wide, {float(change):g}) is "
            f"not {on} + {off} ({float(total):g})",
            cell_ref(row, layout.project_wide_column),
        )


def _habitat(
    reading: _Reading, band: Band, row: int, label: str, change: Fraction
) -> Habitat | None:
    """The catalogue habitat of a row, checked against the block it sits in."""
    grid, layout = reading.grid, reading.layout
    name = LABEL_ALIASES.get(fold(label), label)
    habitat = reading.facts.habitat(name)
    ref = cell_ref(row, layout.label_column)
    if habitat is None:
        if change != 0 and layout.unit_type is UnitType.AREA:
            raise refusals.unknown_habitat(grid.sheet, ref, label)
        return None
    if change != 0 and (habitat.unit_type is not layout.unit_type or habitat.band is not band):
        raise refusals.layout(
            grid.sheet,
            f"{ref} {label!r} is listed under {band.label} distinctiveness, but the statutory "
            f"habitat list has it as {habitat.unit_type.value} {habitat.band.label}",
            ref,
        )
    if change != 0 and layout.broad_column:
        broad = grid.at(row, layout.broad_column)
        if fold(str(broad or "")) != fold(habitat.broad_habitat):
            where = cell_ref(row, layout.broad_column)
            raise refusals.layout(
                grid.sheet, f"{where} reads {broad!r}, not {label!r}'s broad habitat", where
            )
    return habitat


def _check_total(
    reading: _Reading, band: Band, rows: list[MetricRow], after: int, stop: int
) -> int:
    """The block's total row, checked against the sum of its rows; its row number."""
    grid, layout = reading.grid, reading.layout
    for row in range(after, min(after + TOTAL_SEARCH_ROWS, stop)):
        value = classify(grid.at(row, layout.project_wide_column))
        if grid.at(row, layout.label_column) is None and value.kind == NUMBER:
            total, shown = sum((r.change for r in rows), Fraction(0)), value.number or 0
            if abs(total - shown) > TOLERANCE:
                ref = cell_ref(row, layout.project_wide_column)
                raise refusals.layout(
                    grid.sheet,
                    f"the {band.label} block's rows add up to {float(total):g} but its total "
                    f"{ref} reads {float(shown):g}: a row may be hidden from the reader",
                    ref,
                )
            return row
    ref = cell_ref(after, layout.project_wide_column)
    raise refusals.layout(grid.sheet, f"the {band.label} block has no total row at {ref}", ref)


def _check_gap(grid: Grid, layout: SummaryLayout, band: Band, start: int, stop: int) -> None:
    for row in range(start, stop):
        value = grid.at(row, layout.label_column)
        if value is not None:
            ref = cell_ref(row, layout.label_column)
            raise refusals.layout(
                grid.sheet,
                f"{ref} reads {value!r}, below the {band.label} block's total and outside "
                "any block",
                ref,
            )


def _check_unique(grid: Grid, rows: list[MetricRow]) -> None:
    seen: dict[str, str] = {}
    for row in rows:
        key = fold(row.name)
        if key in seen:
            raise refusals.layout(
                grid.sheet, f"{row.label!r} is listed twice ({seen[key]}, {row.cell})"
            )
        seen[key] = row.cell
