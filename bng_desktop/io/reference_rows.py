"""Row-by-row validation of the main sheets: Banks, HabitatCatalog, Stock, Pricing, TradingRules.

Every parser reads all rows of its sheet and records every problem it finds;
cross-sheet checks (a Stock row naming a bank) are made against every key the
other sheet lists, valid or not, so one bad cell is reported once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Generic, TypeVar

import numpy as np

from ..core.bands import Band, ContractSize, Tier, UnitType
from ..core.catalogue import StatutoryFacts, resolve_habitat
from ..core.catalogue import fold as catalogue_fold
from ..core.coded_column import CodedColumn
from ..core.errors import Problem
from ..core.model import Bank, Habitat, PriceRow, StockLine, TradingRule, net_gain_unit_type
from ..core.number_input import NOT_NEGATIVE, POSITIVE, NumberRule
from ..core.price_table import PRICE_COLUMNS, PriceTable
from .checked_cells import (
    RECHECK,
    CheckedColumn,
    CheckedRow,
    coded_rows_to_recheck,
    rows_to_recheck,
)
from .reference_sheets import (
    BAND_EXPECTED,
    BANK_EXPECTED,
    FLAG_EXPECTED,
    HABITAT_EXPECTED,
    SIZE_EXPECTED,
    TIER_EXPECTED,
    UNIT_TYPE_EXPECTED,
)
from .sheet_table import RowCells, SheetTable, cell_number, cell_text
from .statutory import LINEAR_GROUP

T = TypeVar("T")
_WATER_WORDS = re.compile(r"watercourse|river|stream|canal|ditch|culvert")
_FLAGS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
fold = lru_cache(maxsize=8192)(catalogue_fold)
"""The catalogue's name key, memoised: tens of thousands of rows repeat a few hundred names."""


@dataclass
class Parsed(Generic[T]):
    """Valid records by key, and every key the sheet lists (None: sheet unusable)."""

    records: dict[str, T] = field(default_factory=dict)
    known: set[str] | None = None


def parse_flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    try:
        return _FLAGS[cell_text(value).lower()]
    except KeyError:
        raise ValueError(f"{value!r} is not true or false") from None


def _band_label(value: object) -> str:
    return Band.parse(value).label


def derived_unit_type(name: str, facts: StatutoryFacts) -> UnitType:
    """The ledger of a catalogue row without an UmbrellaType: the statutory
    list's when it knows the habitat (so "Watercourse footprint" stays area),
    else the legacy keyword rule."""
    known = facts.habitat(name)
    if known is not None:
        return known.unit_type
    text = name.lower()
    if "hedgerow" in text or "line of trees" in text:
        return UnitType.HEDGEROW
    if _WATER_WORDS.search(text) or text.strip() == "priority habitat":
        return UnitType.WATERCOURSE
    return UnitType.AREA


# ---------------------------------------------------------------- Banks


def parse_banks(table: SheetTable | None, problems: list[Problem]) -> Parsed[Bank]:
    parsed: Parsed[Bank] = Parsed()
    if table is None:
        return parsed
    parsed.known, seen = set(), {}
    for row in table.cells(problems):
        bank_id = row.text("bank_id", required="a bank_id")
        if bank_id and row.once("bank_id", bank_id, bank_id, seen):
            parsed.known.add(bank_id)
        lat = _coordinate(row, "lat", 90)
        lon = _coordinate(row, "lon", 180)
        if row.ok:
            parsed.records[bank_id] = Bank(
                bank_id=bank_id,
                name=row.text("bank_name"),
                lpa=row.text("lpa_name"),
                nca=row.text("nca_name"),
                postcode=row.text("postcode"),
                address=row.text("address"),
                lat=lat,
                lon=lon,
            )
    return parsed


def _coordinate(row: RowCells, column: str, limit: int) -> float | None:
    degrees = NumberRule(minimum=-limit, maximum=limit)
    value = row.checked_number(column, degrees, required=False)
    return None if value is None else float(value)


def _bank_ref(row: RowCells, banks: Parsed[Bank]) -> str:
    bank_id = row.text("bank_id", required=BANK_EXPECTED)
    if bank_id and banks.known is not None and bank_id not in banks.known:
        row.report("bank_id", bank_id, BANK_EXPECTED)
    return bank_id


# ---------------------------------------------------------------- HabitatCatalog


def parse_catalogue(
    table: SheetTable | None, facts: StatutoryFacts, problems: list[Problem]
) -> Parsed[Habitat]:
    """Catalogue rows keyed by fold(name), completed from the statutory facts."""
    parsed: Parsed[Habitat] = Parsed()
    if table is None:
        return parsed
    parsed.known, seen = set(), {}
    for row in table.cells(problems):
        name = row.text("habitat_name", required="a habitat_name")
        if name and row.once("habitat_name", name, fold(name), seen):
            parsed.known.add(fold(name))
        band = row.parsed("distinctiveness_name", Band.parse, BAND_EXPECTED)
        unit_type = row.parsed(
            "UmbrellaType", UnitType.parse, UNIT_TYPE_EXPECTED, required=False
        ) or derived_unit_type(name, facts)
        irreplaceable = row.parsed("irreplaceable", parse_flag, FLAG_EXPECTED, required=False)
        broad = _broad_habitat(row, name, unit_type, facts)
        if row.ok and band is not None:
            parsed.records[fold(name)] = resolve_habitat(
                name,
                unit_type,
                band,
                broad,
                row.text("trading_broad_habitat") or None,
                irreplaceable,
                facts,
            )
    return parsed


def _broad_habitat(row: RowCells, name: str, unit_type: UnitType, facts: StatutoryFacts) -> str:
    """The broader_type; when blank, the statutory list's (or Hedgerow/Watercourse)."""
    broad = row.text("broader_type")
    if broad:
        return broad
    known = facts.habitat(name)
    if known is not None:
        return known.broad_habitat
    if unit_type in LINEAR_GROUP:
        return LINEAR_GROUP[unit_type]
    row.report("broader_type", None, "a broad habitat such as Grassland; the cell is blank")
    return ""


def _habitat_ref(
    row: RowCells, column: str, catalogue: Parsed[Habitat], *, required: bool = True
) -> Habitat | None:
    """The catalogue habitat a cell names (case- and space-insensitive)."""
    name = row.text(column, required=HABITAT_EXPECTED if required else "")
    if not name or catalogue.known is None:
        return None
    key = fold(name)
    if key not in catalogue.known:
        row.report(column, name, HABITAT_EXPECTED)
        return None
    return catalogue.records.get(key)


# ---------------------------------------------------------------- Stock


def parse_stock(
    table: SheetTable | None,
    banks: Parsed[Bank],
    catalogue: Parsed[Habitat],
    problems: list[Problem],
) -> tuple[StockLine, ...]:
    if table is None:
        return ()
    lines, seen = [], {}
    checked = CheckedRow(
        _bank_column(banks),
        _habitat_column(catalogue),
        CheckedColumn(_required_text),
        _number_column(NOT_NEGATIVE, required=True),
        _number_column(NOT_NEGATIVE, required=False),
        _number_column(NOT_NEGATIVE, required=False),
    )
    columns = checked.all(table.columns(_STOCK_COLUMNS))
    recheck = rows_to_recheck(columns)
    for position, ((number, values), cells) in enumerate(
        zip(table.numbered_rows(), zip(*columns, strict=True), strict=True)
    ):
        bank_id, habitat, stock_id, quantity, excl_quotes, quoted = cells
        if position in recheck or stock_id in seen:
            line = _stock_line(RowCells(table, number, values, problems), banks, catalogue, seen)
            if line is not None:
                lines.append(line)
            continue
        seen[stock_id] = number
        lines.append(StockLine(stock_id, bank_id, habitat, quantity, excl_quotes, quoted))
    return tuple(sorted(lines, key=lambda s: s.stock_id))


_STOCK_COLUMNS = (
    "bank_id",
    "habitat_name",
    "stock_id",
    "quantity_available",
    "available_excl_quotes",
    "quoted",
)


def _stock_line(
    row: RowCells, banks: Parsed[Bank], catalogue: Parsed[Habitat], seen: dict
) -> StockLine | None:
    bank_id = _bank_ref(row, banks)
    habitat = _habitat_ref(row, "habitat_name", catalogue)
    stock_id = row.text("stock_id", required="a stock_id")
    if stock_id:
        row.once("stock_id", stock_id, stock_id, seen)
    quantity = row.number("quantity_available")
    excl_quotes = row.number("available_excl_quotes", required=False)
    quoted = row.number("quoted", required=False)
    if row.ok and habitat is not None and quantity is not None:
        return StockLine(stock_id, bank_id, habitat.name, quantity, excl_quotes, quoted)
    return None


# ------------------------------------------------- the long sheets, each distinct cell once


def _bank_column(banks: Parsed[Bank]) -> CheckedColumn:
    """What ``_bank_ref`` takes without a problem."""

    def check(raw: object) -> object:
        bank_id = cell_text(raw)
        if not bank_id or (banks.known is not None and bank_id not in banks.known):
            return RECHECK
        return bank_id

    return CheckedColumn(check)


def _habitat_column(catalogue: Parsed[Habitat]) -> CheckedColumn:
    """The name of the catalogue habitat ``_habitat_ref`` finds without a problem."""

    def check(raw: object) -> object:
        name = cell_text(raw)
        if not name or catalogue.known is None or fold(name) not in catalogue.known:
            return RECHECK
        found = catalogue.records.get(fold(name))
        return RECHECK if found is None else found.name

    return CheckedColumn(check)


def _required_text(raw: object) -> object:
    return cell_text(raw) or RECHECK


def _number_column(rule: NumberRule, *, required: bool) -> CheckedColumn:
    """What ``RowCells.checked_number`` reads without a problem."""

    def check(raw: object) -> object:
        if raw is None:
            return RECHECK if required else None
        return cell_number(raw, rule)

    return CheckedColumn(check, numbers=True)


def _parsed_column(parse: Callable[[object], T], *, required: bool = True) -> CheckedColumn:
    """What ``RowCells.parsed`` makes of a cell without a problem."""

    def check(raw: object) -> object:
        if raw is None:
            return RECHECK if required else None
        return parse(raw)

    return CheckedColumn(check)


# ---------------------------------------------------------------- Pricing


def parse_prices(
    table: SheetTable | None,
    banks: Parsed[Bank],
    catalogue: Parsed[Habitat],
    problems: list[Problem],
) -> tuple[PriceTable | tuple[()], tuple[str, ...]]:
    """Price rows (as columns, in price order: PriceTable.in_price_order), and
    warnings about rows that disagree with the catalogue. Each column is
    checked at once, each distinct cell once; a row holding a cell the
    column cannot take alone is checked cell by cell (``_price_row``)."""
    if table is None:
        return (), ()
    checked = CheckedRow(
        _bank_column(banks),
        _habitat_column(catalogue),
        _parsed_column(ContractSize.parse),
        _parsed_column(Tier.parse),
        _number_column(POSITIVE, required=True),
        CheckedColumn(cell_text),
        CheckedColumn(_band_label_or_blank),
        CheckedColumn(cell_text),
    )
    columns = checked.coded(table.columns(PRICE_COLUMNS))
    columns, numbers = _rechecked(
        table, columns, coded_rows_to_recheck(columns), (banks, catalogue, problems)
    )
    if table.on_checked is not None:
        table.on_checked(len(table.rows))
    prices, read_at = PriceTable.in_price_order(columns)
    disagreements = _disagreements(prices, read_at, numbers, catalogue)
    return prices, _price_warnings(table.title, prices.repeated_places(), disagreements)


def _band_label_or_blank(value: object) -> str:
    return "" if value is None else _band_label(value)


def _rechecked(
    table: SheetTable,
    columns: list[CodedColumn],
    recheck: list[int],
    against: tuple[Parsed[Bank], Parsed[Habitat], list[Problem]],
) -> tuple[list[CodedColumn], list[int]]:
    """The columns and row numbers with each row of ``recheck`` checked cell by
    cell: its fields as ``_price_row`` reads them, or left out when it reports."""
    banks, catalogue, problems = against
    left_out = []
    for position in recheck:
        number, values = table.rows[position]
        price = _price_row(RowCells(table, number, values, problems), banks, catalogue)
        if price is None:
            left_out.append(position)
            continue
        for column, name in zip(columns, PRICE_COLUMNS, strict=True):
            column.put(position, getattr(price, name))
    numbers = [number for number, _ in table.rows]
    if not left_out:
        return columns, numbers
    kept = sorted(set(range(len(numbers))).difference(left_out))
    return [column.without(left_out) for column in columns], list(map(numbers.__getitem__, kept))


def _price_row(row: RowCells, banks: Parsed[Bank], catalogue: Parsed[Habitat]) -> PriceRow | None:
    bank_id = _bank_ref(row, banks)
    habitat = _habitat_ref(row, "habitat_name", catalogue)
    size = row.parsed("contract_size", ContractSize.parse, SIZE_EXPECTED)
    tier = row.parsed("tier", Tier.parse, TIER_EXPECTED)
    price = row.number("price", positive=True)
    band = row.parsed("distinctiveness_name", _band_label, BAND_EXPECTED, required=False)
    if not row.ok or habitat is None or size is None or tier is None or price is None:
        return None
    return PriceRow(
        bank_id=bank_id,
        habitat_name=habitat.name,
        contract_size=size,
        tier=tier,
        price=price,
        broader_type=row.text("broader_type"),
        distinctiveness_name=band or "",
        bank_name=row.text("bank_name"),
    )


def _disagreements(
    prices: PriceTable, read_at: np.ndarray, numbers: list[int], catalogue: Parsed[Habitat]
) -> tuple[int, list[str]]:
    """How many rows give a broader_type or distinctiveness_name other than the
    catalogue's, and the first three of them (in the order read) in words:
    judged once per distinct (habitat, broader_type, distinctiveness_name)."""
    words, codes = prices.words, prices.codes.astype(np.int64)
    habitat, broader, band = codes[1], codes[5], codes[6]
    key = (habitat * len(words) + broader) * len(words) + band
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    said = [
        _disagreement(
            words[broader[row]], words[band[row]], catalogue.records[fold(words[habitat[row]])]
        )
        for row in first.tolist()
    ]
    place = np.empty(len(read_at), dtype=np.intp)
    place[read_at] = np.arange(len(read_at))
    said_of_row = inverse.reshape(-1)[place]
    found = np.flatnonzero(np.array([bool(text) for text in said], dtype=bool)[said_of_row])
    examples = [
        f"row {numbers[row]} {words[habitat[place[row]]]!r}: {said[said_of_row[row]]}"
        for row in found[:3].tolist()
    ]
    return len(found), examples


def _disagreement(broader_type: str, distinctiveness_name: str, habitat: Habitat) -> str:
    parts = []
    if broader_type and fold(broader_type) != fold(habitat.broad_habitat):
        parts.append(f"broader_type {broader_type!r}, catalogue {habitat.broad_habitat!r}")
    if distinctiveness_name and distinctiveness_name != habitat.band.label:
        parts.append(
            f"distinctiveness_name {distinctiveness_name!r}, catalogue {habitat.band.label!r}"
        )
    return "; ".join(parts)


def _price_warnings(
    title: str, repeats: int, disagreements: tuple[int, list[str]]
) -> tuple[str, ...]:
    """``disagreements``: how many rows disagree with the catalogue, and examples."""
    warnings = []
    count, shown = disagreements
    if count:
        examples = "; ".join(shown)
        warnings.append(
            f"{title}: {count} row(s) give a broader_type or distinctiveness_name "
            f"that differs from HabitatCatalog (e.g. {examples}); the catalogue decides which "
            "trades are legal"
        )
    if repeats:
        warnings.append(
            f"{title}: {repeats} row(s) repeat a bank, habitat, contract size and tier already "
            "priced; the cheapest price is used"
        )
    return tuple(warnings)


# ---------------------------------------------------------------- TradingRules


def parse_trading_rules(
    table: SheetTable | None, catalogue: Parsed[Habitat], problems: list[Problem]
) -> tuple[tuple[TradingRule, ...], tuple[str, ...]]:
    """The rules, and a warning for rows naming a Net Gain line (skipped: a rule
    cannot apply to one, Net Gain lines trade by unit type alone)."""
    if table is None:
        return (), ()
    rules, seen, net_gain = [], {}, []
    for row in table.cells(problems):
        named = _net_gain_named(row)
        if named:
            net_gain.append(f"row {row.excel_row} {named!r}")
            continue
        demand = _habitat_ref(row, "demand_habitat", catalogue)
        supply = _habitat_ref(row, "allowed_supply_habitat", catalogue)
        min_band = row.parsed("min_distinctiveness_name", Band.parse, BAND_EXPECTED, required=False)
        companion = _habitat_ref(row, "companion_habitat", catalogue, required=False)
        if demand is None or supply is None:
            continue
        if supply.unit_type != demand.unit_type:
            row.report(
                "allowed_supply_habitat",
                supply.name,
                f"a {demand.unit_type.value} habitat like the demand habitat "
                f"{demand.name!r} (units of different types never trade)",
            )
        pair = (demand.name, supply.name)
        what = "a demand_habitat and allowed_supply_habitat pair"
        if row.once("allowed_supply_habitat", supply.name, pair, seen, what) and row.ok:
            rules.append(
                TradingRule(demand.name, supply.name, min_band, companion.name if companion else "")
            )
    ordered = tuple(sorted(rules, key=lambda r: (r.demand_habitat, r.allowed_supply_habitat)))
    return ordered, _net_gain_warning(table.title, net_gain)


_RULE_HABITATS = ("demand_habitat", "allowed_supply_habitat", "companion_habitat")


def _net_gain_named(row: RowCells) -> str:
    """The Net Gain line a TradingRules row names in any habitat column, or ""."""
    for column in _RULE_HABITATS:
        name = cell_text(row.raw(column))
        if name and net_gain_unit_type(name) is not None:
            return name
    return ""


def _net_gain_warning(title: str, rows: list[str]) -> tuple[str, ...]:
    if not rows:
        return ()
    shown = "; ".join(rows[:5]) + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")
    return (
        f"{title}: {len(rows)} row(s) name a Net Gain line ({shown}); a trading rule cannot "
        "apply to one (Net Gain lines are met by any habitat of their unit type), so these "
        "rows were skipped",
    )
