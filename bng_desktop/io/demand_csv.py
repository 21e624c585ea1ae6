"""Demand files: ``habitat_name,units_required``, one line per demand line."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from ..core.errors import DemandError, Problem
from ..core.exact import fraction_text, to_fraction
from ..core.model import DemandLine

COLUMNS = ("habitat_name", "units_required")
MAX_LINES = 10_000


def read_demand_csv(path: str | Path) -> tuple[DemandLine, ...]:
    """Read and check a demand file; every problem is reported with its row."""
    path = Path(path)
    sheet = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DemandError(f"Cannot read the demand file {sheet}: {exc}") from exc
    reader = csv.DictReader(text.splitlines())
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise DemandError(
            f"{sheet}: the demand file needs the columns {', '.join(COLUMNS)}",
            [Problem(sheet, 1, c, None, "this column in the header row") for c in missing],
        )
    return _lines(reader, sheet)


def _lines(reader: csv.DictReader, sheet: str) -> tuple[DemandLine, ...]:
    lines: list[DemandLine] = []
    problems: list[Problem] = []
    for row_number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        name, units = row.get("habitat_name", ""), row.get("units_required", "")
        if not name and not units:
            continue
        if len(lines) >= MAX_LINES:
            raise DemandError(f"{sheet}: more than {MAX_LINES} demand lines; split the file")
        if not name:
            problems.append(Problem(sheet, row_number, "habitat_name", name, "a habitat name"))
        try:
            value = to_fraction(units)
        except (TypeError, ValueError):
            problems.append(Problem(sheet, row_number, "units_required", units, "a number"))
            continue
        if value <= 0:
            problems.append(
                Problem(sheet, row_number, "units_required", units, "a number of units above 0")
            )
        lines.append(DemandLine(name, value))
    if problems:
        raise DemandError(f"{sheet}: {len(problems)} problem(s); nothing was quoted", problems)
    if not lines:
        raise DemandError(f"{sheet}: the demand file has no lines")
    return tuple(lines)


def write_demand_csv(lines: Iterable[DemandLine], path: str | Path) -> Path:
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for line in lines:
            writer.writerow([line.habitat_name, fraction_text(line.units)])
    return path
