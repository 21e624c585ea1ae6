"""PriceTable: the price rows of one reference version held as columns.

A 1,000-bank version has ~225,000 price rows. As records they took most of a
snapshot's load and memory; here each row is eight small integers (numpy
columns), codes into the version's distinct texts (``words``) and distinct
prices (``values``, exact, cheapest first, so comparing two codes compares
the prices). A quote asks for the cheapest price per (bank, tier, size,
habitat) at one size: ``cheapest`` and ``cheapest_first`` answer from one
sort of the columns, done the first time a quote asks, and build the entries
of a (bank, tier, size) group only when that group is first looked up.

A PriceTable is a sequence of PriceRow too (equal to the tuple of its rows),
so a ReferenceData may hold one where it holds a tuple of rows.
"""

from __future__ import annotations

import math
import operator
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from itertools import islice, pairwise
from operator import attrgetter
from typing import Any, overload

import numpy as np

from .bands import ContractSize, Tier
from .coded_column import CodedColumn
from .model import PriceRow

PRICE_COLUMNS = (
    "bank_id",
    "habitat_name",
    "contract_size",
    "tier",
    "price",
    "broader_type",
    "distinctiveness_name",
    "bank_name",
)
"""The columns of ``PriceTable.codes``, in order (PriceRow's fields)."""
_PRICE = PRICE_COLUMNS.index("price")
_ENUM_COLUMNS = ("contract_size", "tier")
_TIERS = tuple(Tier)
_SIZES = tuple(ContractSize)

GroupKey = tuple[str, Tier, ContractSize]
"""(bank id, tier, contract size)"""


class PriceTable(Sequence[PriceRow]):
    """Price rows as columns of codes. Immutable."""

    def __init__(self, words: Sequence[str], values: Sequence[Fraction], codes: np.ndarray):
        """``codes`` has one row per column of PRICE_COLUMNS and one column per
        price row: the price column holds indexes into ``values`` (ascending,
        distinct), the others indexes into ``words``. ValueError when a size
        or tier code names no ContractSize or Tier, or a code is out of range."""
        self.words = tuple(words)
        self.values = tuple(values)
        self.codes = codes
        self.codes.flags.writeable = False
        _check(self)
        self._lock = threading.Lock()
        self._index: _CheapestIndex | None = None

    @classmethod
    def of(cls, rows: Iterable[PriceRow]) -> PriceTable:
        """The table of ``rows`` (itself when already one)."""
        if isinstance(rows, PriceTable):
            return rows
        rows = tuple(rows)
        if not rows:
            return cls((), (), np.zeros((len(PRICE_COLUMNS), 0), dtype=np.uint16))
        words: list[str] = []
        coded = []
        for name in PRICE_COLUMNS:
            column = list(map(attrgetter(name), rows))
            if name == "price":
                values, price_codes = _price_codes(column)
                coded.append(price_codes)
            elif name in _ENUM_COLUMNS:
                coded.append(_enum_codes(column, words))
            else:
                distinct = {text: len(words) + n for n, text in enumerate(dict.fromkeys(column))}
                words.extend(distinct)
                coded.append(list(map(distinct.__getitem__, column)))
        dtype = np.uint16 if max(len(words), len(values)) <= 1 << 16 else np.uint32
        return cls(words, values, np.array(coded, dtype=dtype))

    @classmethod
    def in_price_order(
        cls, columns: Sequence[Sequence[Any] | CodedColumn]
    ) -> tuple[PriceTable, np.ndarray]:
        """The table of the rows whose fields are ``columns`` (one per
        PRICE_COLUMNS, each a sequence of values or coded), ordered by bank,
        habitat, contract size (smallest first), tier (local first), price and
        the other fields, equal rows in the order given; and, for each row of
        it, its place in ``columns``. The same table as ``of`` makes of the rows
        in that order, made column by column (a 1,000-bank workbook has 225,000
        rows) from the codes of each column's distinct values."""
        given = [c if isinstance(c, CodedColumn) else CodedColumn.of(c) for c in columns]
        if not len(given[0]):
            return cls.of(()), np.zeros(0, dtype=np.intp)
        coded = list(map(_column_codes, PRICE_COLUMNS, given))
        order = lexical_order([keys[codes] for codes, _, keys in coded])
        words: list[str] = []
        rows = []
        for name, (codes, distinct, _) in zip(PRICE_COLUMNS, coded, strict=True):
            if name == "price":
                rows.append(codes[order])
                continue
            renumbered, first_seen = _first_seen(codes[order])
            rows.append(renumbered + len(words))
            words.extend(_word(distinct[c]) for c in first_seen.tolist())
        values = coded[_PRICE][1]
        dtype = np.uint16 if max(len(words), len(values)) <= 1 << 16 else np.uint32
        return cls(words, values, np.array(rows, dtype=dtype)), order

    def repeated_places(self) -> int:
        """How many rows repeat a bank, habitat, contract size and tier of another."""
        place = self.codes[:4].astype(np.int64)
        ordered = place[:, lexical_order(list(place))]
        return int(np.count_nonzero((ordered[:, 1:] == ordered[:, :-1]).all(axis=0)))

    def __reduce__(self) -> tuple[type[PriceTable], tuple[Any, ...]]:
        """Pickled as its columns (its lock and index are made anew)."""
        return PriceTable, (self.words, self.values, self.codes)

    def __len__(self) -> int:
        return int(self.codes.shape[1])

    @overload
    def __getitem__(self, index: int) -> PriceRow: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[PriceRow, ...]: ...

    def __getitem__(self, index: int | slice) -> PriceRow | tuple[PriceRow, ...]:
        if isinstance(index, slice):
            return self._rows(self.codes[:, index])
        return self._rows(self.codes[:, [index]])[0]

    def __iter__(self) -> Iterator[PriceRow]:
        return iter(self._rows(self.codes))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PriceTable):
            return self is other or self.rows() == other.rows()
        if isinstance(other, tuple):
            return self.rows() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.rows())

    def __repr__(self) -> str:
        return f"PriceTable({len(self)} rows)"

    def rows(self) -> tuple[PriceRow, ...]:
        """Every row as a record, in order."""
        return self._rows(self.codes)

    def _rows(self, codes: np.ndarray) -> tuple[PriceRow, ...]:
        words, values = self.words, self.values
        sizes = {w: ContractSize(w) for w in {words[c] for c in codes[2].tolist()}}
        tiers = {w: Tier(w) for w in {words[c] for c in codes[3].tolist()}}
        return tuple(
            [
                PriceRow(
                    words[bank],
                    words[habitat],
                    sizes[words[size]],
                    tiers[words[tier]],
                    values[price],
                    words[broader],
                    words[level],
                    words[name],
                )
                for bank, habitat, size, tier, price, broader, level, name in zip(
                    *codes.tolist(), strict=True
                )
            ]
        )

    @property
    def sizes(self) -> frozenset[ContractSize]:
        """The contract sizes some row is priced at."""
        return frozenset(ContractSize(self.words[c]) for c in np.unique(self.codes[2]).tolist())

    @property
    def cheapest(self) -> CheapestPrices:
        """(bank, tier, size, habitat) -> the cheapest price of its rows."""
        return CheapestPrices(self._cheapest_index())

    @property
    def cheapest_first(self) -> CheapestFirst:
        """(bank, tier, size) -> ((price, habitat), ...) cheapest first, then by name."""
        return CheapestFirst(self._cheapest_index())

    def _cheapest_index(self) -> _CheapestIndex:
        with self._lock:
            if self._index is None:
                self._index = _CheapestIndex(self)
            return self._index


def lexical_order(keys: Sequence[np.ndarray]) -> np.ndarray:
    """The stable order of rows by ``keys`` (columns of ranks ≥ 0, the first
    deciding first): as ``np.lexsort`` of them reversed, with the columns
    folded into as few 64-bit keys as hold them (one sort, not one per column)."""
    folded: list[np.ndarray] = []
    key, room = None, 1
    for column in keys:
        size = int(column.max(initial=0)) + 1
        if key is None or room * size >= 1 << 62:
            if key is not None:
                folded.append(key)
            key, room = column.astype(np.int64), size
        else:
            key, room = key * size + column, room * size
    if key is not None:
        folded.append(key)
    if len(folded) == 1:
        return np.argsort(folded[0], kind="stable")
    return np.lexsort(folded[::-1])


def _column_codes(name: str, column: CodedColumn) -> tuple[np.ndarray, list[Any], np.ndarray]:
    """A column's codes into its distinct values (prices: ascending, so codes
    compare as prices do), the distinct values, and each code's sort key."""
    if name == "price":
        codes, prices = column.distinct(Fraction.as_integer_ratio)
        values, places = _price_codes(prices)
        return np.array(places, dtype=np.int64)[codes], values, np.arange(len(values))
    if name in _ENUM_COLUMNS:
        codes, members = column.distinct(id)
        return codes, members, np.array([member.rank for member in members])
    codes, distinct = column.distinct()
    keys = np.empty(len(distinct), dtype=np.int64)
    keys[sorted(range(len(distinct)), key=distinct.__getitem__)] = np.arange(len(distinct))
    return codes, distinct, keys


def _used(codes: np.ndarray) -> np.ndarray:
    """The distinct codes of a column, ascending (by counting: codes are small)."""
    return np.flatnonzero(np.bincount(codes))


def _first_seen(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``codes`` renumbered 0, 1, ... in the order each first appears, and
    the old code of each new one."""
    first = np.full(int(codes.max()) + 1, len(codes))
    np.minimum.at(first, codes, np.arange(len(codes)))
    old = np.flatnonzero(first < len(codes))
    old = old[np.argsort(first[old])]
    new = np.empty(len(first), dtype=np.int64)
    new[old] = np.arange(len(old))
    return new[codes], old


def _word(value: str | Tier | ContractSize) -> str:
    return value.value if isinstance(value, Tier | ContractSize) else value


def _enum_codes(members: list[Tier] | list[ContractSize], words: list[str]) -> list[int]:
    """Each member's place in ``words`` (its value added there when new).
    Members are told apart by identity: an enum member hashes slowly."""
    by_id = dict(zip(map(id, members), members, strict=True))
    place = {key: len(words) + n for n, key in enumerate(by_id)}
    words.extend(member.value for member in by_id.values())
    return list(map(place.__getitem__, map(id, members)))


def _price_codes(prices: list[Fraction]) -> tuple[list[Fraction], list[int]]:
    """The distinct prices, ascending, and each price's place among them.

    A Fraction hashes slowly (a modular inverse), so prices are told apart
    by their (numerator, denominator), and rows sharing a price object (as
    rows read from the store do) have it looked at once."""
    by_id = dict(zip(map(id, prices), prices, strict=True))
    ratio_of_id = dict(zip(by_id, map(Fraction.as_integer_ratio, by_id.values()), strict=True))
    distinct = dict(zip(ratio_of_id.values(), by_id.values(), strict=True))
    scaled = _scaled(list(distinct))
    if scaled is None:
        values = sorted(distinct.values())
    else:
        values = [value for _, value in sorted(zip(scaled, distinct.values(), strict=True))]
    place = {value.as_integer_ratio(): n for n, value in enumerate(values)}
    code_of_id = {key: place[ratio] for key, ratio in ratio_of_id.items()}
    return values, list(map(code_of_id.__getitem__, map(id, prices)))


_MAX_SCALE = 10**40
"""The largest common denominator ``_scaled`` works with."""


def _scaled(ratios: list[tuple[int, int]]) -> list[int] | None:
    """Exact numbers (as numerator, denominator) as whole multiples of their
    common denominator, so they compare as integers do (a Fraction compares
    in Python code); None when that denominator passes _MAX_SCALE."""
    common = 1
    for denominator in {d for _, d in ratios}:
        common = math.lcm(common, denominator)
        if common > _MAX_SCALE:
            return None
    return [n * (common // d) for n, d in ratios]


def _check(table: PriceTable) -> None:
    codes = table.codes
    if codes.ndim != 2 or codes.shape[0] != len(PRICE_COLUMNS):
        raise ValueError(f"price codes of shape {codes.shape} are not {len(PRICE_COLUMNS)} columns")
    if not codes.shape[1]:
        return
    ratios = [value.as_integer_ratio() for value in table.values]
    scaled = _scaled(ratios)
    if scaled is None:
        ascending = all(a < b for a, b in pairwise(table.values))
    else:
        ascending = all(map(operator.lt, scaled, islice(scaled, 1, None)))
    if not ascending:
        raise ValueError("the distinct prices are not in ascending order")
    highest = codes.max(axis=1).tolist()
    if highest.pop(_PRICE) >= len(table.values) or max(highest) >= len(table.words):
        raise ValueError("a price code is out of range")
    for column, kind in ((2, ContractSize), (3, Tier)):
        for c in _used(codes[column]).tolist():
            kind(table.words[c])  # ValueError when the text is not a member


class _CheapestIndex:
    """The cheapest price per (bank, tier, size, habitat), grouped by (bank,
    tier, size): one sort of the columns, then each group's entries made the
    first time it is looked up (a quote looks up one size, one tier a bank)."""

    def __init__(self, table: PriceTable):
        self.words, self.values = table.words, table.values
        codes = table.codes.astype(np.int64)
        bank, habitat, price = codes[0], codes[1], codes[_PRICE]
        tier = _ranks(table.words, _TIERS)[codes[3]]
        size = _ranks(table.words, _SIZES)[codes[2]]
        group = (bank * len(_TIERS) + tier) * len(_SIZES) + size
        order = np.lexsort((price, habitat, group))
        group, habitat, price = group[order], habitat[order], price[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = (group[1:] != group[:-1]) | (habitat[1:] != habitat[:-1])
        group, self.habitat, self.price = group[first], habitat[first], price[first]
        self.groups = _group_spans(group, self.words)
        self.size = len(group)
        self._by_habitat: dict[GroupKey, dict[str, Fraction]] = {}
        self._sorted: dict[GroupKey, tuple[tuple[Fraction, str], ...]] = {}

    def by_habitat(self, key: GroupKey) -> dict[str, Fraction] | None:
        found = self._by_habitat.get(key)
        if found is None:
            rows = self._group_rows(key)
            if rows is None:
                return None
            found = {self.words[h]: self.values[p] for h, p in rows}
            self._by_habitat[key] = found
        return found

    def cheapest_first(self, key: GroupKey) -> tuple[tuple[Fraction, str], ...] | None:
        found = self._sorted.get(key)
        if found is None:
            rows = self._group_rows(key)
            if rows is None:
                return None
            ranked = sorted((p, self.words[h]) for h, p in rows)
            found = tuple((self.values[p], name) for p, name in ranked)
            self._sorted[key] = found
        return found

    def _group_rows(self, key: GroupKey) -> list[tuple[int, int]] | None:
        """(habitat code, price code) of each row of one group; None: no such group."""
        span = self.groups.get(key)
        if span is None:
            return None
        habitats, prices = self.habitat[span[0] : span[1]], self.price[span[0] : span[1]]
        return list(zip(habitats.tolist(), prices.tolist(), strict=True))


def _group_spans(group: np.ndarray, words: tuple[str, ...]) -> dict[GroupKey, tuple[int, int]]:
    """Where each run of equal (sorted) group numbers starts and stops, by group."""
    if not len(group):
        return {}
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    stops = np.r_[starts[1:], len(group)]
    per_bank = len(_TIERS) * len(_SIZES)
    return {
        (
            words[key // per_bank],
            _TIERS[key // len(_SIZES) % len(_TIERS)],
            _SIZES[key % len(_SIZES)],
        ): (start, stop)
        for key, start, stop in zip(
            group[starts].tolist(), starts.tolist(), stops.tolist(), strict=True
        )
    }


def _ranks(words: tuple[str, ...], members: tuple[Any, ...]) -> np.ndarray:
    """Each word's place among ``members`` (by value), 0 for other words."""
    place = {member.value: n for n, member in enumerate(members)}
    return np.array([place.get(w, 0) for w in words], dtype=np.int64)


class CheapestPrices(Mapping[tuple[str, Tier, ContractSize, str], Fraction]):
    """(bank, tier, size, habitat) -> the cheapest price of a PriceTable's rows."""

    def __init__(self, index: _CheapestIndex):
        self._index = index

    def get(self, key: tuple[str, Tier, ContractSize, str], default: Any = None) -> Any:
        found = self._index.by_habitat(key[:3])
        return default if found is None else found.get(key[3], default)

    def __getitem__(self, key: tuple[str, Tier, ContractSize, str]) -> Fraction:
        found = self._index.by_habitat(key[:3])
        if found is None:
            raise KeyError(key)
        return found[key[3]]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and len(key) == 4 and self.get(key) is not None

    def __iter__(self) -> Iterator[tuple[str, Tier, ContractSize, str]]:
        for group in self._index.groups:
            for habitat in self._index.by_habitat(group) or ():
                yield (*group, habitat)

    def __len__(self) -> int:
        return self._index.size


class CheapestFirst(Mapping[GroupKey, tuple[tuple[Fraction, str], ...]]):
    """(bank, tier, size) -> the cheapest price of each habitat there, cheapest
    first, then by habitat name; each group sorted the first time it is asked for."""

    def __init__(self, index: _CheapestIndex):
        self._index = index

    def get(self, key: GroupKey, default: Any = None) -> Any:
        found = self._index.cheapest_first(key)
        return default if found is None else found

    def __getitem__(self, key: GroupKey) -> tuple[tuple[Fraction, str], ...]:
        found = self._index.cheapest_first(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._index.groups

    def __iter__(self) -> Iterator[GroupKey]:
        return iter(self._index.groups)

    def __len__(self) -> int:
        return len(self._index.groups)
