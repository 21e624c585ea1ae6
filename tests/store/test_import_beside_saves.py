"""A big reference import never keeps a quote save waiting: a 500-bank version
(the shared generator's workbook, about 125,000 rows) is imported by another
process while this one saves quotes into the same SQLite file.

Each save must succeed within a second. That bound is about lock waiting, not
speed: written in one transaction, the import held the write lock for
seconds and saves waited up to the 10 s busy timeout, or failed.
"""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from typing import Any

import pytest

from bng_desktop.core.model import ReferenceData
from bng_desktop.io.reference_workbook import read_reference_workbook
from bng_desktop.io.statutory import load_statutory_facts
from bng_desktop.settings import Paths, resolve_paths
from bng_desktop.store import QuoteRepository, ReferenceRepository, open_store
from tests.factories import make_quote
from tests.shared_data import generate_reference, needs_shared

pytestmark = [pytest.mark.slow, needs_shared]
BANKS = 500
SAVE_BOUND_S = 1.0


@pytest.fixture(scope="module")
def big_reference(tmp_path_factory: pytest.TempPathFactory) -> ReferenceData:
    workbook, _, _ = generate_reference(tmp_path_factory.mktemp("gen"), BANKS, 13)
    return read_reference_workbook(workbook, load_statutory_facts())


def import_in_child(data_dir: str, data: ReferenceData, started: Any, results: Any) -> None:
    """Import ``data``; set ``started`` once the first rows are committed."""

    def progress(fraction: float, message: str) -> None:
        if message.startswith("Stored "):
            started.set()

    with open_store(resolve_paths(data_dir)) as store:
        version = ReferenceRepository(store).import_data(data, "b500.xlsx", progress=progress)
    results.put((version.version_id, sum(version.row_counts.values())))


def test_a_save_during_a_500_bank_import_succeeds_within_a_second(
    big_reference: ReferenceData, paths: Paths
) -> None:
    rows = sum(len(getattr(big_reference, f)) for f in ("banks", "prices", "stock"))
    assert rows > 100_000, "the generator's 500 banks make a big version"
    with open_store(paths) as store:
        quotes, references = QuoteRepository(store), ReferenceRepository(store)
        context = multiprocessing.get_context("spawn")
        started, results = context.Event(), context.Queue()
        child = context.Process(
            target=import_in_child,
            args=(str(paths.data_dir), big_reference, started, results),
        )
        child.start()
        try:
            assert started.wait(timeout=300), "the import never began writing"
            latencies: list[float] = []
            seen_during = [references.list_versions()]  # a read waits for no writer
            while child.is_alive():
                began = time.perf_counter()
                saved = quotes.save(make_quote(), client_name=f"During import {len(latencies)}")
                latencies.append(time.perf_counter() - began)
                print(f"save during import: {latencies[-1] * 1000:.1f} ms")
                seen_during.append(references.list_versions())
                time.sleep(0.01)  # the import now writes for well under a second
            version_id, stored_rows = results.get(timeout=60)
        finally:
            child.join(timeout=60)
        assert child.exitcode == 0
        assert len(latencies) >= 5, "saves ran while the import was writing"
        assert max(latencies) < SAVE_BOUND_S, f"slowest save {max(latencies):.3f} s"
        hidden = [vs for vs in seen_during if version_id not in {v.version_id for v in vs}]
        assert hidden, "the version was visible while its rows were being written"
        shown = [v for vs in seen_during for v in vs if v.version_id == version_id]
        assert all(v.is_current for v in shown), "the version showed before its switch"
        assert references.current_version().version_id == version_id
        assert stored_rows >= rows
        assert len(quotes.search(limit=None)) == len(latencies)
        assert quotes.get(saved.reference).uuid == saved.uuid


def test_the_staged_rows_of_a_failed_import_are_gone(
    big_reference: ReferenceData, tmp_path: Path
) -> None:
    """An import that fails after its prices (most of its rows) were committed in
    short transactions: every one of them is deleted again."""

    def fail_after_prices(fraction: float, message: str) -> None:
        if message == "Storing trading rules":
            raise OSError("disk unplugged")

    with open_store(resolve_paths(tmp_path / "data")) as store:
        references = ReferenceRepository(store)
        with pytest.raises(OSError, match="disk unplugged"):
            references.import_data(big_reference, "b500.xlsx", progress=fail_after_prices)
        assert references.list_versions() == []
        with store.read() as conn:
            left = conn.exec_driver_sql("SELECT count(*) FROM ref_price").scalar()
            versions = conn.exec_driver_sql("SELECT count(*) FROM reference_version").scalar()
        assert (left, versions) == (0, 0)
