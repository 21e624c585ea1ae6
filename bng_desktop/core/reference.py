"""ReferenceSnapshot: one reference version, immutable and indexed for quoting."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import typing
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from functools import cache, cached_property, partial
from json.encoder import encode_basestring
from operator import attrgetter
from types import MappingProxyType

import numpy as np

from .bands import Band, ContractSize, Tier, UnitType
from .catalogue import fold
from .exact import fraction_text
from .made_once import made_once
from .model import Bank, Habitat, ReferenceData, StockLine, TradingRule
from .policy import Policy, policy_from_stored
from .price_table import (
    PRICE_COLUMNS,
    CheapestFirst,
    CheapestPrices,
    PriceTable,
    lexical_order,
)
from .tiers import STOCK_PER_UNIT, normalise_place

T = typing.TypeVar("T")

PriceKey = tuple[str, Tier, ContractSize, str]
"""(bank_id, tier, contract size, habitat name)"""


HASH_EXCLUDED = frozenset({"warnings"})
"""ReferenceData fields left out of the content hash: the import warnings
describe the workbook a version was read from, not the data quoted on."""


def content_hash(data: ReferenceData) -> str:
    """SHA-256 of a canonical text of every row: the identity of the data,
    independent of row order in the workbook and of how numbers were typed.

    Every field of every record counts (``dataclasses.fields``), so a field
    added to a record is hashed without anyone listing it here. The text is
    the JSON of {field: its canonical rows, sorted} (keys sorted, no spaces,
    not ASCII-escaped), hashed field by field as it is written."""
    digest = hashlib.sha256(b"{")
    names = sorted(f.name for f in dataclasses.fields(data) if f.name not in HASH_EXCLUDED)
    for n, name in enumerate(names):
        rows = getattr(data, name)
        if isinstance(rows, PriceTable):
            text = _price_rows_json(rows)
        else:
            text = _json(sorted(_canonical_rows(rows)))
        digest.update(f"{',' if n else ''}{_json(name)}:{text}".encode())
    digest.update(b"}")
    return digest.hexdigest()


_json = partial(json.dumps, separators=(",", ":"), ensure_ascii=False)


def _price_rows_json(table: PriceTable) -> str:
    """The JSON of a price table's rows as ``_canonical_row`` writes them
    (every field is text: enums by value, prices by ``fraction_text``),
    sorted. Each distinct text is written as JSON (as ``json.dumps`` writes
    a string when not escaping to ASCII) and ranked once; the rows
    are put in order by their ranks in one sort of the columns and written
    by joining the texts, not 225,000 lists compared and encoded one by one."""
    if not len(table):
        return "[]"
    price_texts = [fraction_text(value) for value in table.values]
    written_words = list(map(encode_basestring, table.words))
    written_prices = list(map(encode_basestring, price_texts))
    codes = table.codes.astype(np.intp)
    ranks = []
    for name, column in zip(PRICE_COLUMNS, codes, strict=True):
        texts = price_texts if name == "price" else table.words
        used = np.flatnonzero(np.bincount(column, minlength=len(texts))).tolist()
        order = {text: n for n, text in enumerate(sorted({texts[c] for c in used}))}
        rank = np.zeros(len(texts), dtype=np.int64)
        rank[used] = [order[texts[c]] for c in used]
        ranks.append(rank[column])
    rows = lexical_order(ranks)
    width = len(PRICE_COLUMNS)
    parts: list[str] = [""] * (len(table) * width)
    for k, (name, column) in enumerate(zip(PRICE_COLUMNS, codes, strict=True)):
        texts = written_prices if name == "price" else written_words
        before, after = ("[" if k == 0 else ""), ("]," if k == width - 1 else ",")
        written = [before + text + after for text in texts]
        parts[k::width] = map(written.__getitem__, column[rows].tolist())
    return "[" + "".join(parts)[:-1] + "]"


def _canonical_rows(rows: Sequence[object]) -> Iterable[typing.Any]:
    """Every row as ``_canonical_row`` writes it (JSON writes a tuple as it
    writes a list), made column by column for a field of records of one type:
    a call per value cost most of hashing a 1,000-bank version. The rows of
    one field compare alike, so they sort."""
    kinds = set(map(type, rows))
    if len(kinds) != 1:
        return map(_canonical_row, rows)
    (kind,) = kinds
    if issubclass(kind, tuple) or not dataclasses.is_dataclass(kind):
        return map(_canonical_row, rows)
    _, blanks = _layout(kind)
    columns = [tuple(map(attrgetter(f.name), rows)) for f in dataclasses.fields(kind)]
    return zip(*map(_canonical_column, columns, blanks), strict=True)


def _canonical_column(column: tuple[object, ...], blank: str | None) -> Sequence[object]:
    """One field's values as ``_canonical_row`` writes them, each distinct value
    (by identity: the reader shares equal cells' values) written once."""
    kinds = set(map(type, column))
    if kinds == {str}:
        return column
    if len(kinds) == 1 and type(None) not in kinds:
        form = _canonical_form(kinds.pop())
        if form is not fraction_text:
            return list(map(form, column))
    return made_once(column, partial(_canonical_value_or, blank))


def _canonical_value_or(blank: str | None, value: object) -> object:
    """``_canonical_row``'s writing of one value of a field whose blank is ``blank``."""
    if value.__class__ is str:
        return value
    return blank if value is None else _canonical_form(type(value))(value)


def _canonical_row(row: object) -> list[object]:
    """A record as its field values in declaration order; a plain tuple as is."""
    if isinstance(row, tuple):
        return list(row)
    if not dataclasses.is_dataclass(row) or isinstance(row, type):
        raise TypeError(f"a reference row is a record or a tuple, not {row!r}")
    values, blanks = _layout(type(row))
    return [
        value
        if value.__class__ is str
        else blank
        if value is None
        else _canonical_form(type(value))(value)
        for value, blank in zip(values(row), blanks, strict=True)
    ]


def _canonical_value(value: object) -> object:
    """Exact numbers as the text ``fraction_text`` writes, bands by their label,
    other enums by value, the rest (text, flags, floats) as they are."""
    return _canonical_form(type(value))(value)


_FORMS: dict[type, Callable[[object], object]] = {}


def _canonical_form(kind: type) -> Callable[[object], object]:
    """How ``_canonical_value`` writes a value of type ``kind``, worked out once per type."""
    form = _FORMS.get(kind)
    if form is None:
        form = _FORMS[kind] = _form_of(kind)
    return form


def _form_of(kind: type) -> Callable[[object], object]:
    """An enum's members are looked up in a table: reading ``.value`` is slow."""
    if issubclass(kind, Fraction):
        return typing.cast(Callable[[object], object], fraction_text)
    table: dict[object, object] = {}
    if issubclass(kind, Band):
        table = {band: band.label for band in kind}
    elif issubclass(kind, Enum):
        table = {member: member.value for member in kind}
    if table:
        return table.__getitem__
    return _as_is


def _as_is(value: object) -> object:
    return value


@cache
def _layout(
    record: type,
) -> tuple[Callable[[object], tuple[object, ...]], tuple[str | None, ...]]:
    """A record's field values at once (in declaration order), and what each
    writes when absent: JSON null for a float field (coordinates), else ""
    (a blank cell)."""
    hints = typing.get_type_hints(record)
    names = tuple(f.name for f in dataclasses.fields(record))
    floats = {name for name in names if float in (hints[name], *typing.get_args(hints[name]))}
    values = attrgetter(*names) if len(names) > 1 else _one(attrgetter(*names))
    return values, tuple(None if name in floats else "" for name in names)


def _one(get: Callable[[object], object]) -> Callable[[object], tuple[object, ...]]:
    return lambda row: (get(row),)


@dataclass(frozen=True)
class VersionInfo:
    version_id: int
    content_hash: str
    source: str = ""
    created_at: str = ""
    label: str = ""
    geography: str = ""
    """Digest of the bank locations resolved after import ("" when none);
    they are not part of ``content_hash``, which identifies the imported rows."""

    @property
    def quote_identity(self) -> str:
        """What a quote's result depends on: the rows, and any resolved geography."""
        return f"{self.content_hash}+{self.geography}" if self.geography else self.content_hash


class ReferenceSnapshot:
    """Indexes over one reference version. Never mutated after construction."""

    def __init__(self, data: ReferenceData, info: VersionInfo):
        self.data = data
        self.info = info
        self.habitats: MappingProxyType[str, Habitat] = MappingProxyType(
            {h.name: h for h in data.habitats}
        )
        self._habitat_by_fold = {fold(h.name): h for h in data.habitats}
        self.banks: MappingProxyType[str, Bank] = MappingProxyType(
            {b.bank_id: b for b in data.banks}
        )
        self.stock: MappingProxyType[str, StockLine] = MappingProxyType(
            {s.stock_id: s for s in data.stock}
        )
        stock_by_type: dict[UnitType, list[StockLine]] = defaultdict(list)
        for s in sorted(data.stock, key=lambda s: s.stock_id):
            stock_by_type[self.habitats[s.habitat_name].unit_type].append(s)
        self.stock_by_unit_type = {t: tuple(v) for t, v in stock_by_type.items()}
        self._derived: dict[Hashable, object] = {}

    def derived(self, key: Hashable, build: Callable[[], T]) -> T:
        """A value worked out from this version and ``key`` alone, built the
        first time a quote asks and kept for every later quote on the version
        (what the value depends on besides the version is all in ``key``).
        The value must never be changed by whoever gets it."""
        if key not in self._derived:
            self._derived.setdefault(key, build())
        return typing.cast(T, self._derived[key])

    @cached_property
    def price_table(self) -> PriceTable:
        """The price rows as columns (as loaded from the store, or made from the rows)."""
        return PriceTable.of(self.data.prices)

    @cached_property
    def prices(self) -> CheapestPrices:
        """The cheapest price per (bank, tier, size, habitat). Indexed when a
        quote first asks (~225,000 rows at national scale), not when the
        snapshot is loaded; shared by snapshots of the same price table."""
        return self.price_table.cheapest

    @cached_property
    def price_rows_at(self) -> CheapestFirst:
        """(bank, tier, size) -> ((price, habitat), ...) cheapest first: for proxies."""
        return self.price_table.cheapest_first

    @cached_property
    def sizes_present(self) -> frozenset[ContractSize]:
        return self.price_table.sizes

    @cached_property
    def trading_rules(self) -> MappingProxyType[str, tuple[TradingRule, ...]]:
        rules: dict[str, list[TradingRule]] = defaultdict(list)
        for r in self.data.trading_rules:
            rules[r.demand_habitat].append(r)
        return MappingProxyType({k: tuple(v) for k, v in rules.items()})

    @cached_property
    def bank_total_stock(self) -> MappingProxyType[str, Fraction]:
        totals: dict[str, Fraction] = defaultdict(Fraction)
        for s in self.data.stock:
            totals[s.bank_id] += s.quantity_available
        return MappingProxyType(dict(totals))

    @cached_property
    def stock_by_habitat(self) -> MappingProxyType[str, tuple[StockLine, ...]]:
        """Stock lines by habitat name, by stock id within each."""
        index: dict[str, list[StockLine]] = defaultdict(list)
        for lines in self.stock_by_unit_type.values():
            for s in lines:
                index[s.habitat_name].append(s)
        return MappingProxyType({k: tuple(v) for k, v in index.items()})

    @cached_property
    def default_policy(self) -> Policy:
        return policy_from_stored(dict(self.data.policy))

    @cached_property
    def lpa_neighbours(self) -> MappingProxyType[str, tuple[str, ...]]:
        return _neighbour_index(self.data.lpa_neighbours)

    @cached_property
    def nca_neighbours(self) -> MappingProxyType[str, tuple[str, ...]]:
        return _neighbour_index(self.data.nca_neighbours)

    @cached_property
    def srm_warnings(self) -> tuple[str, ...]:
        return srm_sheet_warnings(self.data)

    def habitat(self, name: str) -> Habitat | None:
        """Exact name first, then case- and space-insensitive."""
        return self.habitats.get(name) or self._habitat_by_fold.get(fold(name))

    def neighbours_of_lpa(self, lpa: str) -> tuple[str, ...]:
        return self.lpa_neighbours.get(normalise_place(lpa), ())

    def neighbours_of_nca(self, nca: str) -> tuple[str, ...]:
        return self.nca_neighbours.get(normalise_place(nca), ())


def _neighbour_index(pairs: tuple[tuple[str, str], ...]) -> MappingProxyType:
    index: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        index[normalise_place(a)].add(b)
        index[normalise_place(b)].add(a)
    return MappingProxyType({k: tuple(sorted(v)) for k, v in index.items()})


def srm_sheet_warnings(data: ReferenceData) -> tuple[str, ...]:
    """The SRM sheet is informational. It may hold the statutory multipliers
    (1, 0.75, 0.5) or their reciprocals (1, 1.333, 2); say so when it holds
    neither."""
    warnings = []
    for row in data.srm:
        per_unit = STOCK_PER_UNIT[row.tier]
        ok = abs(row.multiplier - 1 / per_unit) < Fraction(1, 100) or abs(
            row.multiplier - per_unit
        ) < Fraction(1, 100)
        if not ok:
            warnings.append(
                f"SRM sheet: {row.tier.value} is {float(row.multiplier):g}, which is neither the "
                f"statutory multiplier {float(1 / per_unit):g} nor its reciprocal "
                f"{float(per_unit):g}; the statutory factors are used"
            )
    return tuple(warnings)
