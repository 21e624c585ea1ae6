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


def problems_table(error: ReferenceDataError, *, heading: str, marker: str) -> None:
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
        ui.table(columns=PROBLEM_COLUMNS, rows=rows, row_key="id", pagination=20).props(
            "dense flat wrap-cells"
        ).classes("w-full").mark(marker)
