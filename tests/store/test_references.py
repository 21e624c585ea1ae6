"""Reference versions: import, versions, load, snapshot cache."""

from __future__ import annotations

import dataclasses
import gc
from fractions import Fraction

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bng_desktop.collector_policy import FULL_COLLECTIONS_HELD
from bng_desktop.core.errors import StoreError
from bng_desktop.core.model import ReferenceData
from bng_desktop.core.reference import ReferenceSnapshot, VersionInfo, content_hash
from bng_desktop.store import ReferenceRepository, Store, open_store, staged_versions
from bng_desktop.store import references as store_references
from bng_desktop.store.tables import REFERENCE_TABLES
from tests.factories import tiny_reference
from tests.store.builders import rich_reference


def _row_counts(store: Store) -> dict[str, int]:
    tables = ["reference_version", *(t.name for t in REFERENCE_TABLES.values())]
    with store.read() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in tables}


def test_import_creates_a_current_version(references: ReferenceRepository) -> None:
    data = rich_reference()
    version = references.import_data(data, "workbook:backend.xlsx", "January prices")
    assert isinstance(version, VersionInfo)
    assert version.is_current
    assert version.content_hash == content_hash(data)
    assert (version.source, version.label) == ("workbook:backend.xlsx", "January prices")
    assert version.created_at.endswith("+00:00")
    assert version.row_counts["prices"] == len(data.prices)
    assert version.row_counts["stock"] == 3
    assert version.warnings == data.warnings
    assert references.current_version() == version
    assert references.list_versions() == [version]


def test_load_gives_back_exactly_what_was_imported(references: ReferenceRepository) -> None:
    data = rich_reference()
    version = references.import_data(data, "test")
    loaded = references.load_data(version.version_id)
    assert loaded == data
    assert content_hash(loaded) == version.content_hash


def test_long_decimals_survive_storage(references: ReferenceRepository) -> None:
    data = tiny_reference()
    long_value = 500 + Fraction(1, 2**26)
    stock = (dataclasses.replace(data.stock[0], quantity_available=long_value), *data.stock[1:])
    data = dataclasses.replace(data, stock=stock)
    version = references.import_data(data, "test")
    assert references.load_data(version.version_id) == data


def test_a_second_import_leaves_the_first_version_whole(
    references: ReferenceRepository,
) -> None:
    first_data = rich_reference("one")
    first = references.import_data(first_data, "test")
    second_data = dataclasses.replace(tiny_reference(), warnings=("second",))
    second = references.import_data(second_data, "test")

    assert second.version_id > first.version_id
    assert [v.version_id for v in references.list_versions()] == [
        second.version_id,
        first.version_id,
    ]
    assert [v.is_current for v in references.list_versions()] == [True, False]
    assert references.load_data(first.version_id) == first_data
    assert references.load_data(second.version_id) == second_data
    assert references.get_version(first.version_id).content_hash == first.content_hash


def test_a_constraint_failure_midway_writes_nothing(
    store: Store, references: ReferenceRepository
) -> None:
    before_version = references.import_data(tiny_reference(), "test")
    before = _row_counts(store)
    data = rich_reference()
    duplicated = dataclasses.replace(data, stock=(*data.stock, data.stock[0]))
    with pytest.raises(StoreError, match="nothing was written"):
        references.import_data(duplicated, "test")
    assert _row_counts(store) == before
    assert references.current_version() == before_version


def test_any_failure_midway_writes_nothing(
    store: Store, references: ReferenceRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every batch its own committed transaction; the failure comes after some."""
    monkeypatch.setattr(staged_versions, "LOCK_BUDGET_S", 0.0)
    monkeypatch.setattr(staged_versions, "YIELD_S", 0.0)
    before_version = references.import_data(tiny_reference(), "test")
    before = _row_counts(store)
    heard: list[str] = []

    def fail_at_prices(fraction: float, message: str) -> None:
        heard.append(message)
        if message == "Storing prices":
            raise OSError("power cut")

    with pytest.raises(OSError):
        references.import_data(rich_reference(), "test", progress=fail_at_prices)
    assert any(m.startswith("Stored ") for m in heard), "some rows were committed first"
    assert _row_counts(store) == before
    assert references.current_version() == before_version
    assert [v.version_id for v in references.list_versions()] == [before_version.version_id]


def test_only_one_version_can_be_current(store: Store, references: ReferenceRepository) -> None:
    references.import_data(tiny_reference(), "test")
    references.import_data(rich_reference(), "test")
    with pytest.raises(IntegrityError), store.transaction() as conn:
        conn.execute(text("UPDATE reference_version SET is_current = 1"))


def test_set_current_switches_versions(references: ReferenceRepository) -> None:
    first = references.import_data(tiny_reference(), "test")
    second = references.import_data(rich_reference(), "test")
    assert references.set_current(first.version_id).is_current
    assert references.current_version().version_id == first.version_id
    assert not references.get_version(second.version_id).is_current
    assert references.snapshot().info.version_id == first.version_id


def test_unknown_versions_are_named_in_the_error(references: ReferenceRepository) -> None:
    references.import_data(tiny_reference(), "test")
    with pytest.raises(StoreError, match=r"version 99 .*versions: 1"):
        references.set_current(99)
    with pytest.raises(StoreError, match="version 99"):
        references.load_data(99)


def test_snapshot_is_the_current_version_and_cached(
    store: Store, references: ReferenceRepository
) -> None:
    version = references.import_data(rich_reference(), "test")
    snapshot = references.snapshot()
    assert isinstance(snapshot, ReferenceSnapshot)
    assert snapshot.info == version.info()
    assert snapshot.data == rich_reference()
    assert references.snapshot() is snapshot
    assert references.snapshot(version.version_id) is snapshot
    with open_store(store.paths) as other:
        assert ReferenceRepository(other).snapshot() is snapshot


def test_snapshot_is_built_with_full_collections_held_and_restores_them(
    references: ReferenceRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    thresholds_while_built: list[tuple[int, int, int]] = []

    class Watched(ReferenceSnapshot):
        def __init__(self, data: ReferenceData, info: VersionInfo) -> None:
            thresholds_while_built.append(gc.get_threshold())
            super().__init__(data, info)

    monkeypatch.setattr(store_references, "ReferenceSnapshot", Watched)
    references.import_data(rich_reference(), "test")
    before = gc.get_threshold()
    snapshot = references.snapshot()
    assert [t[2] for t in thresholds_while_built] == [FULL_COLLECTIONS_HELD]
    assert gc.get_threshold()[:2] == before[:2]
    assert gc.get_threshold()[2] != FULL_COLLECTIONS_HELD
    assert gc.isenabled()
    assert snapshot.data == rich_reference()


def test_snapshots_of_different_versions_differ(references: ReferenceRepository) -> None:
    first = references.import_data(tiny_reference(), "test")
    second = references.import_data(rich_reference(), "test")
    assert references.snapshot(first.version_id).info.version_id == first.version_id
    assert references.snapshot().info.version_id == second.version_id
    assert references.snapshot(first.version_id) is not references.snapshot()


def test_snapshot_without_reference_data_says_what_to_do(
    references: ReferenceRepository,
) -> None:
    with pytest.raises(StoreError, match="import a backend workbook"):
        references.snapshot()


def test_ensure_reference_imports_only_on_first_run(references: ReferenceRepository) -> None:
    calls = []

    def loader() -> ReferenceData:
        calls.append(1)
        return tiny_reference()

    first = references.ensure_reference(loader)
    assert first is not None and first.source == "sample" and first.is_current
    assert references.ensure_reference(loader) is None
    assert calls == [1]


def test_deleting_a_version_cascades_to_its_rows(
    store: Store, references: ReferenceRepository
) -> None:
    version = references.import_data(rich_reference(), "test")
    with store.transaction() as conn:
        conn.execute(text("DELETE FROM reference_version WHERE id = :v"), {"v": version.version_id})
    assert set(_row_counts(store).values()) == {0}
