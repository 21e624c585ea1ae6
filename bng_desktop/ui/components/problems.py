"""A refused workbook's problems as a table: sheet, row, column, value, problem."""

from __future__ import annotations

from nicegui import ui

from ...core.errors import ReferenceDataError

PROBLEM_COLUMNS = [
    {"name": c, "label": c.capitalize(), "field": c, "align": "left"}
    for c in ("sheet", "row", "column", "value", "problem")
]


def problems_table(error: ReferenceDataError, *, heading: str, marker: str) -> None:
    rows = [
        {
            "id": n,
            "sheet": p.sheet,
            "row": p.row,
            "column": p.column or "",
            "value": "" if p.value is None else str(p.value),
            "problem": p.expected,
        }
        for n, p in enumerate(error.problems)
    ]
    ui.label(f"{heading}: {error.summary}").classes("text-negative font-medium")
    if rows:
        ui.table(columns=PROBLEM_COLUMNS, rows=rows, row_key="id", pagination=20).props(
            "dense flat"
        ).classes("w-full").mark(marker)
