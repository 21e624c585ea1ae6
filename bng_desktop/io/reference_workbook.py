"""The backend reference workbook (legacy-optimiser-spec.md §1): read, validate, write.

Reading validates every row of every sheet and reports every problem at once
(sheet, Excel row, column, what was expected); nothing is imported unless the
whole workbook is sound. Writing produces the same layout, so an exported
workbook imports back to the same content hash.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from ..core.catalogue import StatutoryFacts
from ..core.errors import Problem, ReferenceDataError
from ..core.model import ReferenceData
from ..core.progress import ImportStage, ProgressCallback, StageReport, no_progress, stage_reporter
from ..core.reference import srm_sheet_warnings
from ..core.tiers import normalise_place
from .plain_workbook import PlainWorkbook, SheetRead
from .reference_rows import (
    parse_banks,
    parse_catalogue,
    parse_prices,
    parse_stock,
    parse_trading_rules,
)
from .reference_settings import parse_levels, parse_pairs, parse_policy, parse_srm
from .reference_sheets import (
    BANKS,
    CATALOGUE,
    LEVELS,
    LPA_NEIGHBOURS,
    NCA_NEIGHBOURS,
    POLICY,
    PRICING,
    SHEETS,
    SRM,
    STOCK,
    TRADING_RULES,
)
from .reference_writer import write_sheets
from .sheet_table import (
    UNREADABLE,
    SheetSpec,
    SheetTable,
    expected_rows,
    find_sheets,
    open_workbook,
    read_table,
    sheet_key,
    unreadable_cell,
)

__all__ = ["read_reference_workbook", "write_reference_workbook"]
log = logging.getLogger(__name__)


def read_reference_workbook(
    path: str | Path, facts: StatutoryFacts, *, progress: ProgressCallback = no_progress
) -> ReferenceData:
    """Read and validate a backend workbook.

    Raises ReferenceDataError listing every problem found; returns plain,
    sorted rows with the non-fatal observations in ``warnings``. Progress is
    reported in the stages READING (sheet by sheet, row by row) and CHECKING
    (sheet by sheet), as fractions of a whole import.
    """
    path = Path(path)
    problems: list[Problem] = []
    reading = stage_reporter(progress, ImportStage.READING)
    reading(0.0, f"Opening {path.name}")
    workbook = open_workbook(path, _parsing(reading))
    try:
        tables = _read_tables(workbook, path, problems, reading)
    except UNREADABLE as exc:
        log.info("%s could not be read", path.name, exc_info=True)
        _, why = unreadable_cell(exc)
        raise ReferenceDataError(
            f"{path.name} cannot be read: {why}; nothing was imported"
        ) from None
    finally:
        workbook.close()
    checking = _Checking(tables, stage_reporter(progress, ImportStage.CHECKING))
    data = _build(checking, facts, problems)
    if data is None:
        count = _count(problems, "problem")
        raise ReferenceDataError(
            f"{path.name}: {count}; nothing was imported", _in_sheet_order(problems)
        )
    return data


def _parsing(reading: StageReport) -> SheetRead:
    """What a plain workbook's parse tells of each sheet, as reading progress."""

    def heard(title: str, share: float, rows: int) -> None:
        message = f"Reading sheet {title}: {rows:,} rows" if rows else f"Reading sheet {title}"
        reading(PARSING_SHARE * share, message)

    return heard


def _in_sheet_order(problems: list[Problem]) -> list[Problem]:
    """Problems by sheet (in the workbook's usual order), then by row."""
    rank = {sheet_key(spec.name): i for i, spec in enumerate(SHEETS)}
    return sorted(problems, key=lambda p: (rank.get(sheet_key(p.sheet), len(rank)), p.row or 0))


def _read_tables(
    workbook: Workbook | PlainWorkbook, path: Path, problems: list[Problem], report: StageReport
) -> dict[str, SheetTable]:
    """The known sheets that are present, keyed by spec name; others are ignored."""
    titles = find_sheets(workbook)
    present = [title for spec in SHEETS if (title := titles.get(sheet_key(spec.name)))]
    expected = {title: expected_rows(workbook[title]) for title in present}
    parsed = PARSING_SHARE if isinstance(workbook, PlainWorkbook) else 0.0
    done = _RowsRead(report, sum(expected.values()), parsed)
    tables: dict[str, SheetTable] = {}
    for spec in SHEETS:
        title = titles.get(sheet_key(spec.name))
        if title is None:
            if spec.required:
                problems.append(Problem(spec.name, None, None, None, f"a sheet named {spec.name}"))
            continue
        try:
            table = read_table(
                workbook[title], spec, problems, done.on_sheet(title, expected[title])
            )
            done.finish_sheet(title, expected[title], len(table.rows))
        except ReferenceDataError as exc:
            raise ReferenceDataError(f"{path.name}: {exc.summary}", exc.problems) from None
        if table.empty and not spec.required:
            continue
        if spec.required and not table.rows:
            problems.append(
                Problem(title, 2, None, None, "at least one row of data below the header")
            )
        tables[spec.name] = table
    done.finish()
    return tables


PARSING_SHARE = 0.8
"""Of the reading stage, the share a plain workbook's parse takes (its rows
are then handed over from memory, quickly)."""


class _RowsRead:
    """Reading progress across sheets, by rows (each sheet's recorded size an estimate)."""

    def __init__(self, report: StageReport, total: int, start: float = 0.0):
        self.report = lambda fraction, message: report(start + (1 - start) * fraction, message)
        self.total = max(1, total)
        self.before = 0
        self.sheets = self.rows = 0

    def on_sheet(self, title: str, expected: int) -> Callable[[int], None]:
        self.report(self.before / self.total, f"Reading sheet {title}")

        def rows_read(count: int) -> None:
            fraction = min(self.before + count, self.total) / self.total
            self.report(fraction, f"Reading sheet {title}: {count:,} of about {expected:,} rows")

        return rows_read

    def finish_sheet(self, title: str, expected: int, found: int) -> None:
        self.before += expected
        self.sheets += 1
        self.rows += found
        self.report(self.before / self.total, f"Read sheet {title}: {found:,} rows")

    def finish(self) -> None:
        sheets = f"{self.sheets} sheet{'s' if self.sheets != 1 else ''}"
        self.report(1.0, f"Read {self.rows:,} rows from {sheets}")


class _Checking:
    """The tables read, handed to the checks one sheet at a time with progress."""

    def __init__(self, tables: dict[str, SheetTable], report: StageReport):
        self.tables = tables
        self.report = report
        self.total = max(1, sum(len(t.rows) for t in tables.values()))
        self.checked = 0

    def __contains__(self, name: str) -> bool:
        return name in self.tables

    def usable(self, spec: SheetSpec) -> SheetTable | None:
        """The sheet's table when every required column was found, else None."""
        table = self.tables.get(spec.name)
        if table is None:
            return None
        before, size = self.checked, len(table.rows)
        self.report(before / self.total, f"Checking sheet {table.title}: {size:,} rows")
        self.checked += size

        def rows_checked(count: int) -> None:
            message = f"Checking sheet {table.title}: {count:,} of {size:,} rows"
            self.report((before + count) / self.total, message)

        table.on_checked = rows_checked
        if all(table.has(c.name) for c in spec.columns if c.required):
            return table
        return None

    def done(self, problems: list[Problem]) -> None:
        found = f"{_count(problems, 'problem')} found" if problems else "no problems found"
        self.report(1.0, f"Checked {self.total:,} rows: {found}")


def _build(
    tables: _Checking, facts: StatutoryFacts, problems: list[Problem]
) -> ReferenceData | None:
    """Parse every usable sheet; cross-sheet checks are skipped where a sheet is unusable."""
    banks = parse_banks(tables.usable(BANKS), problems)
    catalogue = parse_catalogue(tables.usable(CATALOGUE), facts, problems)
    stock = parse_stock(tables.usable(STOCK), banks, catalogue, problems)
    prices, price_warnings = parse_prices(tables.usable(PRICING), banks, catalogue, problems)
    rules, rule_warnings = parse_trading_rules(tables.usable(TRADING_RULES), catalogue, problems)
    levels = parse_levels(tables.usable(LEVELS), problems)
    srm = parse_srm(tables.usable(SRM), problems)
    policy = parse_policy(tables.usable(POLICY), problems)
    if LPA_NEIGHBOURS.name in tables:
        lpa_pairs = parse_pairs(tables.usable(LPA_NEIGHBOURS), problems)
    else:
        lpa_pairs = facts.lpa_neighbours
    nca_pairs = parse_pairs(tables.usable(NCA_NEIGHBOURS), problems)
    tables.done(problems)
    if problems:
        return None
    data = ReferenceData(
        banks=tuple(sorted(banks.records.values(), key=lambda b: b.bank_id)),
        habitats=tuple(sorted(catalogue.records.values(), key=lambda h: h.name)),
        stock=stock,
        prices=prices,
        trading_rules=rules,
        distinctiveness=levels,
        srm=srm,
        lpa_neighbours=lpa_pairs,
        nca_neighbours=nca_pairs,
        policy=policy,
    )
    warnings = (
        *srm_sheet_warnings(data),
        *price_warnings,
        *rule_warnings,
        *location_warnings(data, facts),
    )
    return dataclasses.replace(data, warnings=tuple(warnings))


def location_warnings(data: ReferenceData, facts: StatutoryFacts) -> tuple[str, ...]:
    """Banks that cannot be placed, or whose district name is not a known one."""
    warnings = []
    unplaced = [b.bank_id for b in data.banks if not (b.lpa.strip() or b.nca.strip())]
    if unplaced:
        warnings.append(
            f"Banks: {_count(unplaced, 'bank')} ({_examples(unplaced)}) with neither lpa_name "
            "nor nca_name will be priced as far until located"
        )
    districts = {normalise_place(name) for name in facts.districts}
    unknown = [
        f"{b.bank_id} {b.lpa!r}"
        for b in data.banks
        if b.lpa.strip() and districts and normalise_place(b.lpa) not in districts
    ]
    if unknown:
        warnings.append(
            f"Banks: {_count(unknown, 'bank')} ({_examples(unknown)}) with an lpa_name that is "
            "not a district in the bundled ONS list; their neighbours cannot be found, so they "
            "are only ever local or far on the LPA axis"
        )
    return tuple(warnings)


def _count(items: Sequence[object], noun: str) -> str:
    return f"{len(items)} {noun}{'s' if len(items) != 1 else ''}"


def _examples(items: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def write_reference_workbook(
    data: ReferenceData, path: str | Path, *, about: Sequence[str] = ()
) -> Path:
    """Write ``data`` in the legacy layout (plus Policy and neighbour sheets).

    ``about`` lines, when given, go on a first sheet named "About", which the
    reader ignores.
    """
    path = Path(path)
    write_sheets(data, path, about)
    return path
