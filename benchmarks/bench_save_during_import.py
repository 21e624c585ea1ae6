"""Quote saves during a big reference import: their waits, one transaction against staged.

    python benchmarks/bench_save_during_import.py [--banks 500] [--dir FOLDER]

Generates a backend workbook with the shared generator, reads it once, then
imports it in a child process twice into fresh stores while this process
saves a quote every 50 ms:
  - one-transaction: the rows written in ONE transaction (how imports were
    written before), saves waiting on its write lock;
  - staged: ``ReferenceRepository.import_data`` (short transactions under a
    hidden version id, revealed at the end).
Prints, for each, the import's duration and the median and slowest save
(failed saves counted). Results also go to benchmarks/results/save_during_import.json.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.results_file import save_results  # noqa: E402
from bng_desktop.core.errors import StoreError  # noqa: E402
from bng_desktop.core.model import ReferenceData  # noqa: E402
from bng_desktop.io.reference_workbook import read_reference_workbook  # noqa: E402
from bng_desktop.io.statutory import load_statutory_facts  # noqa: E402
from bng_desktop.settings import resolve_paths  # noqa: E402
from bng_desktop.store import QuoteRepository, ReferenceRepository, open_store  # noqa: E402
from bng_desktop.store.references import insert_version  # noqa: E402
from tests.factories import make_quote  # noqa: E402
from tests.shared_data import generate_reference  # noqa: E402

WAYS = ("one-transaction", "staged")


def import_in_child(way: str, data_dir: str, data: ReferenceData, ready: Any) -> None:
    with open_store(resolve_paths(data_dir)) as store:
        ready.set()
        if way == "staged":
            ReferenceRepository(store).import_data(data, "bench.xlsx")
        else:
            with store.transaction() as conn:
                insert_version(conn, data, "bench.xlsx", "")


def measure(way: str, folder: Path, data: ReferenceData) -> dict[str, Any]:
    paths = resolve_paths(folder / way)
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    with open_store(paths) as store:
        quotes = QuoteRepository(store)
        args = (way, str(paths.data_dir), data, ready)
        child = context.Process(target=import_in_child, args=args)
        child.start()
        ready.wait(timeout=120)
        started = time.perf_counter()
        waits, failed = [], 0
        while child.is_alive():
            began = time.perf_counter()
            try:
                quotes.save(make_quote(), client_name="Benchmark")
            except StoreError:
                failed += 1
            waits.append(time.perf_counter() - began)
            time.sleep(0.05)
        child.join()
        seconds = time.perf_counter() - started
    return {
        "import_s": round(seconds, 2),
        "saves": len(waits),
        "failed_saves": failed,
        "median_save_ms": round(statistics.median(waits) * 1000, 1),
        "slowest_save_ms": round(max(waits) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--banks", type=int, default=500)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        workbook, _, _ = generate_reference(folder, args.banks, 13)
        data = read_reference_workbook(workbook, load_statutory_facts())
        rows = sum(len(getattr(data, f)) for f in data.__dataclass_fields__ if f != "warnings")
        result: dict[str, Any] = {"banks": args.banks, "rows": rows}
        for way in WAYS:
            result[way] = measure(way, folder, data)
            print(f"{way}: {result[way]}")
    save_results("save_during_import", result)


if __name__ == "__main__":
    main()
