"""The backend reference workbook (legacy-optimiser-spec.md §1): read, validate, write.

Reading validates every row of every sheet and reports every problem at once
(sheet, Excel row, column, what was expected); nothing is imported unless the
whole workbook is sound. Writing produces the same layout, so an exported
workbook imports back to the same content hash.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from ..core.catalogue import StatutoryFacts
from ..core.errors import Problem, ReferenceDataError
from ..core.model import ReferenceData
from ..core.reference import srm_sheet_warnings
from ..core.tiers import normalise_place
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
from .sheet_table import SheetSpec, SheetTable, find_sheets, open_workbook, read_table, sheet_key

__all__ = ["read_reference_workbook", "write_reference_workbook"]


def read_reference_workbook(path: str | Path, facts: StatutoryFacts) -> ReferenceData:
    """Read and validate a backend workbook.

    Raises ReferenceDataError listing every problem found; returns plain,
    sorted rows with the non-fatal observations in ``warnings``.
    """
    path = Path(path)
    problems: list[Problem] = []
    workbook = open_workbook(path)
    try:
        tables = _read_tables(workbook, path, problems)
    finally:
        workbook.close()
    data = _build(tables, facts, problems)
    if data is None:
        count = _count(problems, "problem")
        raise ReferenceDataError(
            f"{path.name}: {count}; nothing was imported", _in_sheet_order(problems)
        )
    return data


def _in_sheet_order(problems: list[Problem]) -> list[Problem]:
    """Problems by sheet (in the workbook's usual order), then by row."""
    rank = {sheet_key(spec.name): i for i, spec in enumerate(SHEETS)}
    return sorted(problems, key=lambda p: (rank.get(sheet_key(p.sheet), len(rank)), p.row or 0))


def _read_tables(workbook: Workbook, path: Path, problems: list[Problem]) -> dict[str, SheetTable]:
    """The known sheets that are present, keyed by spec name; others are ignored."""
    titles = find_sheets(workbook)
    tables: dict[str, SheetTable] = {}
    for spec in SHEETS:
        title = titles.get(sheet_key(spec.name))
        if title is None:
            if spec.required:
                problems.append(Problem(spec.name, None, None, None, f"a sheet named {spec.name}"))
            continue
        try:
            table = read_table(workbook[title], spec, problems)
        except ReferenceDataError as exc:
            raise ReferenceDataError(f"{path.name}: {exc.summary}", exc.problems) from None
        if table.empty and not spec.required:
            continue
        if spec.required and not table.rows:
            problems.append(
                Problem(title, 2, None, None, "at least one row of data below the header")
            )
        tables[spec.name] = table
    return tables


def _usable(tables: dict[str, SheetTable], spec: SheetSpec) -> SheetTable | None:
    """The sheet's table when every required column was found, else None."""
    table = tables.get(spec.name)
    if table is None:
        return None
    if all(table.has(c.name) for c in spec.columns if c.required):
        return table
    return None


def _build(
    tables: dict[str, SheetTable], facts: StatutoryFacts, problems: list[Problem]
) -> ReferenceData | None:
    """Parse every usable sheet; cross-sheet checks are skipped where a sheet is unusable."""
    banks = parse_banks(_usable(tables, BANKS), problems)
    catalogue = parse_catalogue(_usable(tables, CATALOGUE), facts, problems)
    stock = parse_stock(_usable(tables, STOCK), banks, catalogue, problems)
    prices, price_warnings = parse_prices(_usable(tables, PRICING), banks, catalogue, problems)
    rules = parse_trading_rules(_usable(tables, TRADING_RULES), catalogue, problems)
    levels = parse_levels(_usable(tables, LEVELS), problems)
    srm = parse_srm(_usable(tables, SRM), problems)
    policy = parse_policy(_usable(tables, POLICY), problems)
    if LPA_NEIGHBOURS.name in tables:
        lpa_pairs = parse_pairs(_usable(tables, LPA_NEIGHBOURS), problems)
    else:
        lpa_pairs = facts.lpa_neighbours
    nca_pairs = parse_pairs(_usable(tables, NCA_NEIGHBOURS), problems)
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
    warnings = (*srm_sheet_warnings(data), *price_warnings, *location_warnings(data, facts))
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
