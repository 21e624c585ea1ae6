"""How each kind of reference row maps to its table, both ways.

Reading is the hot path (a 200-bank version holds ~45,000 price rows), so
each kind carries a SELECT compiled once from its table (run on the DBAPI
cursor, about twice as fast as SQLAlchemy result rows at this size), and its
decoder takes plain tuples in column order, looks enums up in dicts and
parses each distinct number text once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from itertools import repeat
from operator import attrgetter
from typing import Any

from sqlalchemy import Table, bindparam, select
from sqlalchemy.dialects import sqlite

from ..core.bands import Band, ContractSize, Tier, UnitType
from ..core.exact import fraction_text, to_fraction
from ..core.made_once import made_once
from ..core.model import (
    Bank,
    DistinctivenessLevel,
    Habitat,
    PriceRow,
    SrmRow,
    StockLine,
    TradingRule,
)
from ..core.price_table import PRICE_COLUMNS, PriceTable
from .tables import REFERENCE_TABLES


@dataclass(frozen=True)
class RowKind:
    """One ReferenceData field: its table, columns, and the two conversions."""

    field: str
    table: Table
    columns: tuple[str, ...]
    encode: Callable[[Any], tuple]
    decode: Callable[[tuple], Any]
    select_sql: str
    """SELECT the columns of one version (one ``?`` parameter), in insertion order."""
    insert_sql: str
    """INSERT one row: version_id then the columns, as ``?`` parameters."""
    decode_all: Callable[[Iterable[tuple]], tuple] | None = field(default=None, repr=False)
    """Many rows at once, where a kind has a faster way than ``decode`` row by row."""
    encode_all: Callable[[tuple], list[list]] | None = field(default=None, repr=False)
    """``encode`` of many rows at once, field by field (a list per column),
    where a kind has a faster way."""

    def decode_rows(self, rows: Iterable[tuple]) -> tuple:
        """Every row decoded, in the order given."""
        if self.decode_all is not None:
            return self.decode_all(rows)
        return tuple(map(self.decode, rows))

    def to_params(self, version_id: int, records: tuple) -> list[dict[str, Any]]:
        names = ("version_id", *self.columns)
        return [dict(zip(names, (version_id, *self.encode(r)), strict=True)) for r in records]

    def to_values(self, version_id: int, records: tuple) -> list[tuple]:
        """The rows for ``insert_sql``, in its parameter order."""
        if self.encode_all is not None:
            fields = self.encode_all(records)
            return list(zip(repeat(version_id, len(records)), *fields, strict=True))
        return [(version_id, *self.encode(r)) for r in records]


@lru_cache(maxsize=1 << 16)
def _fraction(text: str) -> Fraction:
    return to_fraction(text)


def _opt_fraction(text: str | None) -> Fraction | None:
    return None if text is None else _fraction(text)


def _opt_text(value: Fraction | None) -> str | None:
    return None if value is None else fraction_text(value)


_BANDS = {band.label: band for band in Band}
_UNIT_TYPES = {u.value: u for u in UnitType}
_TIERS = {t.value: t for t in Tier}
_SIZES = {s.value: s for s in ContractSize}
_TIER_VALUES = {t: t.value for t in Tier}
_SIZE_VALUES = {s: s.value for s in ContractSize}


def _bank(r: Bank) -> tuple:
    return (r.bank_id, r.name, r.lpa, r.nca, r.postcode, r.address, r.lat, r.lon)


def _habitat(r: Habitat) -> tuple:
    return (
        r.name,
        r.unit_type.value,
        r.band.label,
        r.broad_habitat,
        r.trading_broad_habitat,
        r.irreplaceable,
    )


def _habitat_back(v: tuple) -> Habitat:
    return Habitat(v[0], _UNIT_TYPES[v[1]], _BANDS[v[2]], v[3], v[4], bool(v[5]))


def _stock(r: StockLine) -> tuple:
    return (
        r.stock_id,
        r.bank_id,
        r.habitat_name,
        fraction_text(r.quantity_available),
        _opt_text(r.available_excl_quotes),
        _opt_text(r.quoted),
    )


def _stock_back(v: tuple) -> StockLine:
    return StockLine(v[0], v[1], v[2], _fraction(v[3]), _opt_fraction(v[4]), _opt_fraction(v[5]))


def _stock_rows(rows: Iterable[tuple]) -> tuple[StockLine, ...]:
    """``_stock_back`` over many rows, without a call per row (thousands at national scale)."""
    number = _fraction
    return tuple(
        [
            StockLine(
                stock_id,
                bank_id,
                habitat,
                number(available),
                None if excluding is None else number(excluding),
                None if quoted is None else number(quoted),
            )
            for stock_id, bank_id, habitat, available, excluding, quoted in rows
        ]
    )


def _price(r: PriceRow) -> tuple:
    return (
        r.bank_id,
        r.habitat_name,
        r.contract_size.value,
        r.tier.value,
        fraction_text(r.price),
        r.broader_type,
        r.distinctiveness_name,
        r.bank_name,
    )


def _stock_all(rows: tuple[StockLine, ...]) -> list[list]:
    """``_stock`` of every row, as columns, each distinct number written once."""
    return [
        _field(rows, "stock_id"),
        _field(rows, "bank_id"),
        _field(rows, "habitat_name"),
        made_once(_field(rows, "quantity_available"), fraction_text),
        made_once(_field(rows, "available_excl_quotes"), _opt_text),
        made_once(_field(rows, "quoted"), _opt_text),
    ]


def _price_all(rows: tuple[PriceRow, ...] | PriceTable) -> list[list]:
    """``_price`` of every row, as columns: a 1,000-bank version has 225,000
    (a PriceTable's written from its codes, each distinct price once)."""
    if isinstance(rows, PriceTable):
        prices = [fraction_text(value) for value in rows.values]
        return [
            list(map((prices if name == "price" else rows.words).__getitem__, codes.tolist()))
            for name, codes in zip(PRICE_COLUMNS, rows.codes, strict=True)
        ]
    return [
        _field(rows, "bank_id"),
        _field(rows, "habitat_name"),
        list(map(_SIZE_VALUES.__getitem__, _field(rows, "contract_size"))),
        list(map(_TIER_VALUES.__getitem__, _field(rows, "tier"))),
        made_once(_field(rows, "price"), fraction_text),
        _field(rows, "broader_type"),
        _field(rows, "distinctiveness_name"),
        _field(rows, "bank_name"),
    ]


def _field(rows: tuple, name: str) -> list:
    return list(map(attrgetter(name), rows))


def _price_back(v: tuple) -> PriceRow:
    return PriceRow(v[0], v[1], _SIZES[v[2]], _TIERS[v[3]], _fraction(v[4]), v[5], v[6], v[7])


def _price_rows(rows: Iterable[tuple]) -> tuple[PriceRow, ...]:
    """``_price_back`` over many rows, without a call per row: a 1,000-bank
    version holds ~225,000 price rows, and the per-row call was a third of
    loading them."""
    sizes, tiers, number = _SIZES, _TIERS, _fraction
    return tuple(
        [
            PriceRow(bank, habitat, sizes[size], tiers[tier], number(price), broader, level, name)
            for bank, habitat, size, tier, price, broader, level, name in rows
        ]
    )


def _rule(r: TradingRule) -> tuple:
    band = None if r.min_band is None else r.min_band.label
    return (r.demand_habitat, r.allowed_supply_habitat, band, r.companion_habitat)


def _rule_back(v: tuple) -> TradingRule:
    return TradingRule(v[0], v[1], None if v[2] is None else _BANDS[v[2]], v[3])


def _kind(
    field: str,
    columns: str,
    encode: Callable,
    decode: Callable,
    decode_all: Callable[[Iterable[tuple]], tuple] | None = None,
    encode_all: Callable[[tuple], list[list]] | None = None,
) -> RowKind:
    table = REFERENCE_TABLES[field]
    names = tuple(columns.split())
    stmt = (
        select(*(table.c[name] for name in names))
        .where(table.c.version_id == bindparam("version_id"))
        .order_by(table.c.id)
    )
    sql = stmt.compile(dialect=sqlite.dialect()).string
    insert_sql = (
        f"INSERT INTO {table.name} (version_id, {', '.join(names)}) "
        f"VALUES ({', '.join('?' * (len(names) + 1))})"
    )
    return RowKind(field, table, names, encode, decode, sql, insert_sql, decode_all, encode_all)


ROW_KINDS: tuple[RowKind, ...] = (
    _kind(
        "banks",
        "bank_id name lpa nca postcode address lat lon",
        _bank,
        lambda v: Bank(*v),
    ),
    _kind(
        "habitats",
        "name unit_type band broad_habitat trading_broad_habitat irreplaceable",
        _habitat,
        _habitat_back,
    ),
    _kind(
        "stock",
        "stock_id bank_id habitat_name quantity_available available_excl_quotes quoted",
        _stock,
        _stock_back,
        _stock_rows,
        _stock_all,
    ),
    _kind(
        "prices",
        "bank_id habitat_name contract_size tier price broader_type distinctiveness_name bank_name",
        _price,
        _price_back,
        _price_rows,
        _price_all,
    ),
    _kind(
        "trading_rules",
        "demand_habitat allowed_supply_habitat min_band companion_habitat",
        _rule,
        _rule_back,
    ),
    _kind(
        "distinctiveness",
        "name level_value",
        lambda r: (r.name, fraction_text(r.level_value)),
        lambda v: DistinctivenessLevel(v[0], _fraction(v[1])),
    ),
    _kind(
        "srm",
        "tier multiplier",
        lambda r: (r.tier.value, fraction_text(r.multiplier)),
        lambda v: SrmRow(_TIERS[v[0]], _fraction(v[1])),
    ),
    _kind("lpa_neighbours", "place_a place_b", tuple, tuple),
    _kind("nca_neighbours", "place_a place_b", tuple, tuple),
    _kind("policy", "key value", tuple, tuple),
)
