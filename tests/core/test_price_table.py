"""PriceTable: price rows as columns, and the cheapest-price lookups quotes read."""

from __future__ import annotations

import pickle
from collections import defaultdict
from dataclasses import astuple, replace
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bng_desktop.core.bands import ContractSize, Tier
from bng_desktop.core.coded_column import CodedColumn
from bng_desktop.core.model import PriceRow
from bng_desktop.core.price_table import PRICE_COLUMNS, PriceTable, lexical_order
from bng_desktop.core.reference import ReferenceSnapshot, VersionInfo, content_hash
from tests.factories import tiny_reference

BANKS = ("B1", "B2", "B3")
HABITATS = ("Heathland", "Grassland - Modified grassland", "Native hedgerow", "Woodland")
PRICES = (
    F(15000),
    F(1, 3),
    F(2, 3),
    F("52.45"),
    F(10**30 + 1, 7),
    F(0),
    F(15000),
    F(1, 10**41 + 3),
)

price_rows = st.builds(
    PriceRow,
    st.sampled_from(BANKS),
    st.sampled_from(HABITATS),
    st.sampled_from(tuple(ContractSize)),
    st.sampled_from(tuple(Tier)),
    st.sampled_from(PRICES),
    st.sampled_from(("", "Grassland", "Heathland")),
    st.sampled_from(("", "Low", "Medium")),
    st.sampled_from(("", "Bank One")),
)


def _cheapest(rows: tuple[PriceRow, ...]) -> dict[tuple, F]:
    """What a quote reads, worked out row by row."""
    cheapest: dict[tuple, F] = {}
    for p in rows:
        key = (p.bank_id, p.tier, p.contract_size, p.habitat_name)
        if key not in cheapest or p.price < cheapest[key]:
            cheapest[key] = p.price
    return cheapest


def _cheapest_first(rows: tuple[PriceRow, ...]) -> dict[tuple, tuple[tuple[F, str], ...]]:
    groups: dict[tuple, list[tuple[F, str]]] = defaultdict(list)
    for (bank, tier, size, habitat), price in _cheapest(rows).items():
        groups[(bank, tier, size)].append((price, habitat))
    return {key: tuple(sorted(rows)) for key, rows in groups.items()}


@settings(max_examples=200, deadline=None)
@given(st.lists(price_rows, max_size=60).map(tuple))
def test_a_table_holds_its_rows_and_their_cheapest_prices(rows: tuple[PriceRow, ...]) -> None:
    table = PriceTable.of(rows)
    assert len(table) == len(rows)
    assert table == rows
    assert tuple(table) == rows
    assert dict(table.cheapest) == _cheapest(rows)
    assert dict(table.cheapest_first) == _cheapest_first(rows)
    assert table.sizes == frozenset(p.contract_size for p in rows)


@settings(max_examples=200, deadline=None)
@given(st.lists(price_rows, max_size=60).map(tuple))
def test_a_table_in_price_order_is_the_table_of_the_rows_sorted(rows: tuple[PriceRow, ...]) -> None:
    """Made from columns, it is the table ``of`` makes of the rows in price
    order (bank, habitat, size, tier, price, the rest; equal rows as given),
    words numbered alike, so it packs to the same bytes."""
    columns = [[getattr(p, name) for p in rows] for name in PRICE_COLUMNS]
    table, read_at = PriceTable.in_price_order(columns)

    def place(n: int) -> tuple:
        p = rows[n]
        size, tier = p.contract_size.rank, p.tier.rank
        return (p.bank_id, p.habitat_name, size, tier, p.price, *astuple(p)[5:], n)

    expected = sorted(range(len(rows)), key=place)
    assert read_at.tolist() == expected
    made = PriceTable.of(rows[n] for n in expected)
    assert (table.words, table.values) == (made.words, made.values)
    assert table.codes.dtype == made.codes.dtype and (table.codes == made.codes).all()
    places = {(p.bank_id, p.habitat_name, p.contract_size, p.tier) for p in rows}
    assert table.repeated_places() == len(rows) - len(places)


def _coded_with_spares(column: list, spare: object) -> CodedColumn:
    """``column`` coded so that equal values stand under two codes (a copy of
    each value for the rows from the middle on) and a value no row uses."""
    coded = CodedColumn.of(column)
    values = [*coded.values, *(_copy(v) for v in coded.values), spare]
    codes = coded.codes.copy()
    codes[len(codes) // 2 :] += len(coded.values)
    return CodedColumn(codes, values)


def _copy(value: object) -> object:
    """An equal value that is another object where the type allows it."""
    if isinstance(value, F):
        return F(value.numerator, value.denominator)
    if type(value) is str:
        return "".join(list(value))
    return value


@settings(max_examples=200, deadline=None)
@given(st.lists(price_rows, min_size=1, max_size=60).map(tuple))
def test_a_table_in_price_order_reads_coded_columns_as_their_values(
    rows: tuple[PriceRow, ...],
) -> None:
    """Columns coded with one value under two codes, and a value no row uses,
    make the table their values make."""
    columns = [[getattr(p, name) for p in rows] for name in PRICE_COLUMNS]
    spares = ("B9", "Zzz", ContractSize.LARGE, Tier.FAR, F(1, 999), "Zzz", "Zzz", "Zzz")
    coded = [_coded_with_spares(c, s) for c, s in zip(columns, spares, strict=True)]
    table, read_at = PriceTable.in_price_order(coded)
    plain, plain_read_at = PriceTable.in_price_order(columns)
    assert read_at.tolist() == plain_read_at.tolist()
    assert (table.words, table.values) == (plain.words, plain.values)
    assert table.codes.dtype == plain.codes.dtype and (table.codes == plain.codes).all()


@settings(max_examples=200, deadline=None)
@given(st.lists(price_rows, max_size=60).map(tuple), st.booleans())
def test_a_table_hashes_as_its_rows(rows: tuple[PriceRow, ...], words_twice: bool) -> None:
    """The content hash writes a table's rows from its codes, sorted by their
    texts; a table naming one text by two codes (its words repeated) too."""
    table = PriceTable.of(rows)
    if words_twice and rows:
        twice = np.array(table.codes, dtype=np.int64)
        twice[[0, 1, 5, 6, 7], len(rows) // 2 :] += len(table.words)
        table = PriceTable(table.words * 2, table.values, twice.astype(np.uint16))
    data = tiny_reference()
    as_rows = content_hash(replace(data, prices=rows))
    assert content_hash(replace(data, prices=table)) == as_rows


def test_a_table_is_pickled_as_its_columns() -> None:
    """As when a ReferenceData is handed to another process."""
    rows = tuple(PriceRow(b, h, ContractSize.SMALL, Tier.LOCAL, p) for b, h, p in _SOME)
    table = PriceTable.of(rows)
    back = pickle.loads(pickle.dumps(table))
    assert back == rows and back.words == table.words and back.values == table.values
    assert dict(back.cheapest) == _cheapest(rows)


_SOME = (("B1", "Heathland", F(3)), ("B2", "Woodland", F(1, 3)), ("B1", "Woodland", F(2)))


@pytest.mark.parametrize("largest", [1, 3, 1000, 2**40])
def test_rows_are_ordered_by_their_keys_as_lexsort_orders_them(largest: int) -> None:
    """Keys folded into one sort, or into several when they cannot share 64 bits."""
    rng = np.random.default_rng(largest)
    keys = [rng.integers(0, largest, 500, endpoint=True) for _ in range(5)]
    assert lexical_order(keys).tolist() == np.lexsort(keys[::-1]).tolist()


def test_lookups_answer_like_a_mapping_of_the_rows() -> None:
    rows = (
        PriceRow("B1", "Heathland", ContractSize.SMALL, Tier.LOCAL, F(300)),
        PriceRow("B1", "Heathland", ContractSize.SMALL, Tier.LOCAL, F(200)),
        PriceRow("B1", "Woodland", ContractSize.SMALL, Tier.LOCAL, F(200)),
        PriceRow("B1", "Heathland", ContractSize.SMALL, Tier.FAR, F(1, 3)),
    )
    cheapest = PriceTable.of(rows).cheapest
    assert cheapest.get(("B1", Tier.LOCAL, ContractSize.SMALL, "Heathland")) == F(200)
    assert cheapest[("B1", Tier.FAR, ContractSize.SMALL, "Heathland")] == F(1, 3)
    assert cheapest.get(("B1", Tier.LOCAL, ContractSize.LARGE, "Heathland")) is None
    assert cheapest.get(("B2", Tier.LOCAL, ContractSize.SMALL, "Heathland"), F(-1)) == F(-1)
    assert ("B1", Tier.LOCAL, ContractSize.SMALL, "Woodland") in cheapest
    with pytest.raises(KeyError):
        cheapest[("B1", Tier.LOCAL, ContractSize.SMALL, "Nowhere")]
    assert len(cheapest) == 3
    rows_at = PriceTable.of(rows).cheapest_first
    assert rows_at[("B1", Tier.LOCAL, ContractSize.SMALL)] == (
        (F(200), "Heathland"),
        (F(200), "Woodland"),
    )
    assert rows_at.get(("B1", Tier.ADJACENT, ContractSize.SMALL), ()) == ()


def test_rows_come_back_one_by_one_and_in_slices() -> None:
    rows = tiny_reference().prices
    table = PriceTable.of(rows)
    assert table[0] == rows[0]
    assert table[-1] == rows[-1]
    assert table[2:5] == rows[2:5]
    assert PriceTable.of(table) is table
    assert hash(table) == hash(rows)
    assert PriceTable.of(()) == ()


def test_a_snapshot_prices_from_rows_as_it_does_from_a_table() -> None:
    data = tiny_reference()
    info = VersionInfo(1, "hash")
    from_rows = ReferenceSnapshot(data, info)
    from_table = ReferenceSnapshot(replace(data, prices=PriceTable.of(data.prices)), info)
    assert dict(from_rows.prices) == dict(from_table.prices) == _cheapest(data.prices)
    assert from_rows.sizes_present == from_table.sizes_present == frozenset(ContractSize)


def test_codes_naming_no_tier_or_size_are_refused() -> None:
    table = PriceTable.of(tiny_reference().prices)
    codes = np.array(table.codes)
    tier = PRICE_COLUMNS.index("tier")
    codes[tier] = table.words.index("B1")
    with pytest.raises(ValueError, match="valid Tier"):
        PriceTable(table.words, table.values, codes)


def test_codes_out_of_range_and_unordered_prices_are_refused() -> None:
    table = PriceTable.of(tiny_reference().prices)
    codes = np.array(table.codes)
    codes[PRICE_COLUMNS.index("price")] = len(table.values)
    with pytest.raises(ValueError, match="out of range"):
        PriceTable(table.words, table.values, codes)
    with pytest.raises(ValueError, match="ascending"):
        PriceTable(table.words, table.values[::-1], table.codes)
