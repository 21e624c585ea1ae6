"""Team sync speed against a real PostgreSQL: pull a 200-bank version, push 1,000 quotes.

    python benchmarks/bench_sync.py [--runs 5] [--banks 200] [--quotes 1000]

Creates a throwaway database on the server of BNG_TEST_PG_URL (default
postgres on 127.0.0.1:5432), migrates it, publishes a generated backend
workbook (the shared generator), then times, as medians over the runs:
  - pull: a fresh desktop's fetch of the version and its ONE local
    transaction that stages it and makes it current (``bng sync`` as a whole);
  - push: 1,000 quotes saved offline, sent in batches and confirmed locally
    (the central quote tables emptied between runs).
The database is dropped at the end. Results also go to benchmarks/results/sync.json.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, text  # noqa: E402

from benchmarks.results_file import save_results  # noqa: E402
from bng_desktop.sync.migrate import upgrade_schema  # noqa: E402
from bng_desktop.sync.push import Sender, push_outbox  # noqa: E402
from bng_desktop.workspace import Workspace  # noqa: E402
from tests.factories import make_quote  # noqa: E402
from tests.shared_data import generate_reference  # noqa: E402
from tests.sync.conftest import server_url, throwaway_database, url_text  # noqa: E402


def median_ms(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 1)


def bench_pull(folder: Path, url: str, runs: int) -> tuple[list[float], int]:
    times, rows = [], 0
    for n in range(runs):
        with Workspace.open(folder / f"pull-{n}") as workspace:
            started = time.perf_counter()
            report = workspace.sync.sync(url)
            times.append(time.perf_counter() - started)
            assert report.ok and report.versions, report.error
            rows = sum(report.versions[0][1].row_counts.values())
    return times, rows


def bench_push(folder: Path, url: str, runs: int, quotes: int) -> list[float]:
    engine = create_engine(url)
    times = []
    quote = make_quote()
    try:
        for n in range(runs):
            with engine.begin() as conn:
                conn.execute(text("TRUNCATE quote, quote_line"))
            with Workspace.open(folder / f"push-{n}") as workspace:
                for _ in range(quotes):
                    workspace.quotes.save(quote, client_name="Benchmark")
                started = time.perf_counter()
                pushed = push_outbox(engine, workspace.store, Sender(f"bench-{n}", "bench"))
                times.append(time.perf_counter() - started)
                assert pushed.quotes == quotes
    finally:
        engine.dispose()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--banks", type=int, default=200)
    parser.add_argument("--quotes", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, throwaway_database(server_url()) as database:
        folder = Path(tmp)
        url = url_text(database)
        engine = create_engine(database)
        upgrade_schema(engine)
        engine.dispose()
        workbook, _, _ = generate_reference(folder, args.banks, 3, 0)
        with Workspace.open(folder / "admin") as admin:
            started = time.perf_counter()
            admin.sync.publish_workbook(workbook, url=url)
            publish_s = time.perf_counter() - started
        pulls, rows = bench_pull(folder, url, args.runs)
        pushes = bench_push(folder, url, args.runs, args.quotes)
    result = {
        "runs": args.runs,
        "banks": args.banks,
        "rows": rows,
        "publish_ms": round(publish_s * 1000, 1),
        "pull_ms": median_ms(pulls),
        "quotes": args.quotes,
        "push_ms": median_ms(pushes),
    }
    print(
        f"publish {args.banks} banks ({rows} rows, validation included): "
        f"{result['publish_ms']} ms | pull (fetch + one local transaction): "
        f"{result['pull_ms']} ms | push {args.quotes} quotes: {result['push_ms']} ms "
        f"(medians of {args.runs})"
    )
    save_results("sync", result)


if __name__ == "__main__":
    main()
