"""Price packs: each version's price rows stored once more as columns, which
is what a snapshot loads; versions without one load from their rows."""

from __future__ import annotations

import dataclasses
import logging
from fractions import Fraction as F

import pytest
from sqlalchemy import func, select, text

from bng_desktop.core.bands import ContractSize, Tier
from bng_desktop.core.model import PriceRow, StockLine
from bng_desktop.core.price_table import PriceTable
from bng_desktop.core.result import Quote
from bng_desktop.store import ReferenceRepository, Store
from bng_desktop.store import references as store_references
from bng_desktop.store.price_pack import pack, read_pack, unpack
from bng_desktop.store.tables import PRICE_PACK_TABLE
from tests.core.engine_builders import CEREAL, MODIFIED, NEUTRAL, prices_for, snapshot
from tests.core.engine_builders import quote as quote_on
from tests.store.builders import rich_reference

LINES = ((MODIFIED, "0.6"), (CEREAL, "0.3"), (NEUTRAL, "1.25"))


@pytest.fixture(autouse=True)
def _cold_snapshots() -> None:
    store_references.forget_snapshots()


def _priced_reference():
    """Three banks (local, adjacent, far), exact and proxy prices, thirds included."""
    banks = ("L", "A", "F")
    stock = tuple(
        StockLine(f"{bank}-{n}", bank, habitat, F(2))
        for bank in banks
        for n, habitat in enumerate((MODIFIED, CEREAL, NEUTRAL))
    )
    prices = (
        *prices_for("L", MODIFIED, 10_000),
        *prices_for("L", NEUTRAL, F(70_001, 3)),
        *prices_for("A", CEREAL, "9999.99"),
        *prices_for("A", MODIFIED, 12_500, sizes=(ContractSize.SMALL,)),
        *prices_for("F", NEUTRAL, 18_000, tiers=(Tier.FAR,)),
        *prices_for("F", CEREAL, 8_000),
    )
    return snapshot(stock=stock, prices=prices).data


def _drop_packs(store: Store) -> None:
    """As a store written before packs existed."""
    with store.transaction() as conn:
        conn.execute(PRICE_PACK_TABLE.delete())


def _same_quote(left: Quote, right: Quote) -> None:
    assert left.lines == right.lines
    assert left.totals == right.totals
    assert (left.contract_size, left.pricing_size) == (right.contract_size, right.pricing_size)


def test_pack_round_trip_is_exact() -> None:
    rows = (
        PriceRow("B1", "Heathland", ContractSize.SMALL, Tier.LOCAL, F(1, 3), "Heath", "High", "B"),
        PriceRow("B1", "Heathland", ContractSize.LARGE, Tier.FAR, F(10**40 + 1, 2**70)),
        PriceRow("B2", "Woodland", ContractSize.SMALL, Tier.LOCAL, F("52.45"), "", "", "Bé"),
    )
    table = unpack(pack(PriceTable.of(rows)))
    assert table == rows
    assert [r.price for r in table] == [r.price for r in rows]


def test_a_pack_of_many_distinct_texts_keeps_them_all() -> None:
    rows = tuple(
        PriceRow(f"B{n}", "Heathland", ContractSize.SMALL, Tier.LOCAL, F(n)) for n in range(70_000)
    )
    table = PriceTable.of(rows)
    assert table.codes.dtype.itemsize == 4
    assert unpack(pack(table)) == rows


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[:-2],
        lambda b: b[:4] + b"[" + b[5:],
        lambda b: (len(b) * 2).to_bytes(4, "little") + b[4:],
        lambda b: b.replace(b"<u2", b"<f8"),
    ],
    ids=["truncated", "header not JSON", "header length wrong", "unknown dtype"],
)
def test_a_damaged_pack_is_refused(damage) -> None:
    packed = pack(PriceTable.of(rich_reference().prices))
    with pytest.raises(ValueError):
        unpack(damage(packed))


def test_an_import_stores_its_prices_packed(references: ReferenceRepository, store: Store) -> None:
    data = rich_reference()
    version = references.import_data(data, "test")
    with store.read() as conn:
        assert read_pack(conn, version.version_id) == data.prices
    loaded = references.snapshot(version.version_id)
    assert isinstance(loaded.data.prices, PriceTable)
    assert loaded.data == data
    assert references.load_data(version.version_id).prices == data.prices


def test_the_first_run_sample_is_packed(references: ReferenceRepository, store: Store) -> None:
    references.ensure_reference(rich_reference)
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(PRICE_PACK_TABLE)).scalar() == 1
    assert isinstance(references.snapshot().data.prices, PriceTable)


def test_quotes_on_a_packed_snapshot_match_those_on_its_rows(
    references: ReferenceRepository, store: Store
) -> None:
    data = _priced_reference()
    version = references.import_data(data, "test")
    packed = references.snapshot(version.version_id)
    _drop_packs(store)
    store_references.forget_snapshots()
    from_rows = references.snapshot(version.version_id)
    assert not isinstance(from_rows.data.prices, PriceTable)
    in_memory = snapshot(
        banks=data.banks, stock=data.stock, prices=data.prices, habitats=data.habitats
    )
    expected = quote_on(in_memory, LINES)
    assert expected.lines
    for loaded in (packed, from_rows):
        assert dict(loaded.prices) == dict(in_memory.prices)
        assert dict(loaded.price_rows_at) == dict(in_memory.price_rows_at)
        _same_quote(quote_on(loaded, LINES), expected)


def test_a_version_without_a_pack_loads_from_its_rows(
    references: ReferenceRepository, store: Store
) -> None:
    data = rich_reference()
    version = references.import_data(data, "test")
    _drop_packs(store)
    assert references.snapshot(version.version_id).data == data


def test_a_damaged_pack_is_left_for_the_rows(
    references: ReferenceRepository, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    data = rich_reference()
    version = references.import_data(data, "test")
    with store.transaction() as conn:
        conn.execute(text("UPDATE ref_price_pack SET pack = substr(pack, 1, 40)"))
    with caplog.at_level(logging.WARNING, logger="bng_desktop.store.price_pack"):
        loaded = references.snapshot(version.version_id)
    assert loaded.data == data
    assert "not used" in caplog.text


def test_a_pack_goes_with_its_version(references: ReferenceRepository, store: Store) -> None:
    data = rich_reference()
    references.import_data(data, "test")
    changed = dataclasses.replace(data, prices=data.prices[:1])
    second = references.import_data(changed, "test")
    with store.read() as conn:
        assert read_pack(conn, second.version_id) == changed.prices
    with store.transaction() as conn:
        conn.execute(text("DELETE FROM reference_version WHERE id = :v"), {"v": second.version_id})
    with store.read() as conn:
        assert read_pack(conn, second.version_id) is None
