"""A refused workbook's problems as a table: where (sheet, row, column), what
was found there, and what was expected instead."""

from __future__ import annotations

from nicegui import ui

from ...core.errors import SHOWN_LENGTH, Problem, ReferenceDataError, shown_value

PROBLEM_COLUMNS = [
    {"name": "sheet", "label": "Sheet", "field": "sheet", "align": "left"},
    {"name": "row", "label": "Row", "field": "row", "align": "right"},
    {"name": "column", "label": "Column", "field": "column", "align": "left"},
    {"name": "found", "label": "Found", "field": "found", "align": "left"},
    {"name": "expected", "label": "Expected", "field": "expected", "align": "left"},
]
NOTHING = "—"


def found_text(problem: Problem) -> str:
    """What the cell held, as the admin would recognise it: the problem's own
    wording of it where it has one, else its value."""
    said = getattr(problem, "found", None)
    if isinstance(said, str):
        return said or NOTHING
    if problem.value is None:
        return NOTHING
    if isinstance(problem.value, int) or len(text := str(problem.value)) > SHOWN_LENGTH:
        return shown_value(problem.value)  # a 10,000-digit value, cut to its ends
    return repr(text) if text.strip() != text or not text else text


def expected_text(problem: Problem) -> str:
    """What the cell should hold, with the reader's advice where it gives some."""
    hint = getattr(problem, "hint", "")
    return f"{problem.expected} — {hint}" if hint else problem.expected


PAGE = 20
"""Problems shown a page at a time; fewer fit on one, with no page controls."""


def problems_table(
    error: ReferenceDataError, *, heading: str, marker: str, place: str = "Sheet"
) -> None:
    """``place`` heads the first column: a workbook's sheet, or a CSV's file."""
    rows = [
        {
            "id": n,
            "sheet": p.sheet,
            "row": p.row if p.row is not None else NOTHING,
            "column": p.column or NOTHING,
            "found": found_text(p),
            "expected": expected_text(p),
        }
        for n, p in enumerate(error.problems)
    ]
    ui.label(f"{heading}: {error.summary}").classes("text-negative font-medium")
    if rows:
        columns = [dict(PROBLEM_COLUMNS[0], label=place), *PROBLEM_COLUMNS[1:]]
        props = "dense flat wrap-cells" + (" hide-bottom" if len(rows) <= PAGE else "")
        ui.table(columns=columns, rows=rows, row_key="id", pagination=PAGE).props(props).classes(
            "w-full"
        ).mark(marker)
