"""Demand files: ``habitat_name,units_required``, one line per demand line.

Every problem is reported with the file, its line and column, what was found
and what to type instead (``demand.csv line 3, units_required: found '1,5' —
use a point for decimals: 1.5``); nothing is quoted unless every line reads.
Units go through the product's one number reader. A file is bounded before it
is read (size, lines, field length), so no file can make the reader spin.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..core.errors import DemandError, Place, Problem
from ..core.exact import fraction_text
from ..core.model import DemandLine
from ..core.number_input import POSITIVE, NumberInputError, read_number
from .text_cells import original_text, safe_text

COLUMNS = ("habitat_name", "units_required")
MAX_LINES = 10_000
MAX_BYTES = 4 * 2**20
"""A demand file of 10,000 lines is well under a megabyte; more is not a demand file."""
MAX_FIELD = 2_000
"""No habitat name or number is longer; a longer field is refused, not read."""


def read_demand_csv(path: str | Path) -> tuple[DemandLine, ...]:
    """Read and check a demand file; every problem is reported with its line."""
    path = Path(path)
    text = _text(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return _read(reader, path.name)
    except csv.Error as exc:
        raise DemandError(
            f"{path.name} line {reader.line_num}: not readable as CSV ({exc}); nothing was quoted"
        ) from None


def _text(path: Path) -> str:
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DemandError(
                f"{name} is {size / 2**20:,.1f} MB: too large to be a demand file "
                f"(at most {MAX_BYTES // 2**20} MB); nothing was quoted"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise DemandError(f"Cannot read the demand file {name}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DemandError(
            f"{name} is not UTF-8 text (byte {exc.start + 1} cannot be read): "
            "save it as CSV UTF-8; nothing was quoted"
        ) from None


def _delimiter(text: str) -> str:
    """A comma, or a semicolon where the header uses one (as Excel saves CSV in
    countries that write decimals with a comma)."""
    header = text.split("\n", 1)[0]
    return ";" if ";" in header and "," not in header else ","


def _read(reader: Iterator[list[str]], name: str) -> tuple[DemandLine, ...]:
    header = [cell.strip().lower() for cell in next(reader, [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise DemandError(
            f"{name}: the demand file needs the columns {', '.join(COLUMNS)}",
            [_problem(name, 1, c, None, "this column in the header row") for c in missing],
        )
    at = {column: header.index(column) for column in COLUMNS}
    lines: list[DemandLine] = []
    problems: list[Problem] = []
    line_number = getattr(reader, "line_num", 1)
    for cells in reader:
        first_line, line_number = line_number + 1, getattr(reader, "line_num", line_number + 1)
        name_cell, units_cell = (
            cells[at[c]].strip() if at[c] < len(cells) else "" for c in COLUMNS
        )
        name_cell = original_text(name_cell).strip()
        if not name_cell and not units_cell:
            continue
        if any(cell.strip() for cell in cells[len(header) :]):
            problems.append(_too_many_values(name, first_line, cells, len(header)))
            continue
        if len(lines) >= MAX_LINES:
            raise DemandError(f"{name}: more than {MAX_LINES:,} demand lines; split the file")
        line = _line(name, first_line, name_cell, units_cell, problems)
        if line is not None:
            lines.append(line)
    if problems:
        raise DemandError(f"{name}: {len(problems)} problem(s); nothing was quoted", problems)
    if not lines:
        raise DemandError(f"{name}: the demand file has no lines")
    return tuple(lines)


def _line(
    name: str, number: int, habitat: str, units: str, problems: list[Problem]
) -> DemandLine | None:
    ok = True
    if not habitat:
        problems.append(_problem(name, number, "habitat_name", None, "a habitat name"))
        ok = False
    elif len(habitat) > MAX_FIELD:
        problems.append(
            _problem(
                name, number, "habitat_name", habitat, f"a name of at most {MAX_FIELD} characters"
            )
        )
        ok = False
    try:
        value = read_number(units, POSITIVE)
    except NumberInputError as refused:
        problems.append(
            _problem(name, number, "units_required", units, POSITIVE.expected, refused.problem)
        )
        return None
    return DemandLine(habitat, value) if ok else None


def _too_many_values(name: str, line: int, cells: list[str], expected: int) -> Problem:
    return _problem(
        name,
        line,
        None,
        ",".join(cells),
        f"{expected} values, as the header names",
        f"{len(cells)} values where the header names {expected}: a number with a decimal "
        "comma? use a point for decimals (or quote the number)",
    )


def _problem(
    name: str, line: int, column: str | None, value: object, expected: str, hint: str = ""
) -> Problem:
    return Problem(name, line, column, value, expected, hint=hint, place=Place.LINE)


def write_demand_csv(lines: Iterable[DemandLine], path: str | Path) -> Path:
    """A demand file people can open safely: a name that would read as a formula
    in a spreadsheet is written as text (see ``text_cells``)."""
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for line in lines:
            writer.writerow([safe_text(line.habitat_name), fraction_text(line.units)])
    return path
