"""The cost of a durable quote save: median ms per save, synchronous=NORMAL against FULL.

    python benchmarks/bench_durable_save.py [--saves 200] [--rounds 5] [--dir FOLDER]

Saves the same quote into a fresh local store, in rounds that alternate the
two levels (so disk and machine load affect both alike): NORMAL is how saves
committed before (the write-ahead log flushed only at checkpoints), FULL is
how they commit now (flushed before every COMMIT returns). ``--dir`` puts the
store on the disk to measure (default: the system's temporary folder).
Results also go to benchmarks/results/durable_save.json.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.results_file import save_results  # noqa: E402
from bng_desktop.settings import resolve_paths  # noqa: E402
from bng_desktop.store import QuoteRepository, open_store  # noqa: E402
from bng_desktop.store import quotes as quotes_module  # noqa: E402
from bng_desktop.store.sqlite import Durability  # noqa: E402
from tests.factories import make_quote  # noqa: E402


def time_saves(repo: QuoteRepository, durability: Durability, saves: int) -> list[float]:
    quote = make_quote()
    times = []
    with mock.patch.object(quotes_module, "SAVE_DURABILITY", durability):
        for _ in range(saves):
            started = time.perf_counter()
            repo.save(quote, client_name="Benchmark")
            times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=200, help="saves per round and level")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    times: dict[Durability, list[float]] = {Durability.NORMAL: [], Durability.FULL: []}
    with (
        tempfile.TemporaryDirectory(dir=args.dir) as tmp,
        open_store(resolve_paths(Path(tmp) / "data")) as store,
    ):
        repo = QuoteRepository(store)
        time_saves(repo, Durability.NORMAL, 20)  # warm up: caches, pool, first pages
        for _ in range(args.rounds):
            for durability in times:
                times[durability] += time_saves(repo, durability, args.saves)
    result = {
        "saves_per_level": args.saves * args.rounds,
        **{
            f"{level.value.lower()}_{name}_ms": round(fn(values) * 1000, 3)
            for level, values in times.items()
            for name, fn in (("median", statistics.median), ("p95", _p95))
        },
    }
    print(
        f"{result['saves_per_level']} saves per level: median "
        f"{result['normal_median_ms']} ms (NORMAL, before) -> "
        f"{result['full_median_ms']} ms (FULL, now); p95 "
        f"{result['normal_p95_ms']} -> {result['full_p95_ms']} ms"
    )
    save_results("durable_save", result)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


if __name__ == "__main__":
    main()
