"""The scale targets: every size, with seeds 1–3, each instance in its own
process so peak memory is that instance's own.

    python benchmarks/bench_scale.py [--sizes 20x10,200x30,500x50,1000x100] [--seeds 1,2,3]
                                     [--time-limit SECONDS]

Per instance: reference import of the generated workbook (wall), a cold
snapshot load, a warm quote (the second of two; CPU and wall time, whether
proven cheapest, the number of lines the generator gave) and the process's
peak resident memory. Medians over the seeds per size. Results also go to
benchmarks/results/scale.json. Targets (issue: scale): warm quote 20×10
≤ 20 ms, 200×30 ≤ 500 ms, 500×50 ≤ 2 s, 1,000×100 ≤ 10 s; snapshot of the
1,000-bank version ≤ 300 ms; its import ≤ 3 s; peak ≤ 600 MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.results_file import save_results  # noqa: E402
from bng_desktop.collector_policy import tune_collector  # noqa: E402
from bng_desktop.core.policy import Policy  # noqa: E402


def one_instance(banks: int, lines: int, seed: int, time_limit: str | None = None) -> dict:
    from bng_desktop.core.quote import make_quote
    from bng_desktop.core.result import QuoteRequest
    from bng_desktop.store.references import forget_snapshots
    from bng_desktop.workspace import Workspace
    from tests.shared_data import generate_reference, read_demand_csv, read_site_json

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        workbook, demand_csv, site_json = generate_reference(folder, banks, seed, lines)
        with Workspace.open(folder / "store") as workspace:
            started = time.perf_counter()
            version = workspace.import_reference(workbook)
            imported = time.perf_counter() - started
            forget_snapshots()
            started = time.perf_counter()
            snapshot = workspace.references.snapshot(version.version_id)
            loaded = time.perf_counter() - started
            demand = read_demand_csv(demand_csv)
            request = workspace.prepare(
                QuoteRequest(read_site_json(site_json), demand, policy(time_limit)), snapshot
            )
            make_quote(snapshot, request)
            cpu, wall = time.process_time(), time.perf_counter()
            quote = make_quote(snapshot, request)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {
        "banks": banks,
        "seed": seed,
        "demand_lines": len(demand),
        "import_s": round(imported, 3),
        "snapshot_ms": round(loaded * 1000, 1),
        "quote_cpu_ms": round(cpu * 1000, 1),
        "quote_wall_ms": round(wall * 1000, 1),
        "proven": quote.solver.optimal,
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def policy(time_limit: str | None) -> Policy:
    """The default policy, with the solver's time limit given on the command line."""
    if time_limit is None:
        return Policy()
    return Policy(time_limit_seconds=Fraction(time_limit))


def in_child(banks: int, lines: int, seed: int, time_limit: str | None) -> dict:
    limit = [] if time_limit is None else ["--time-limit", time_limit]
    done = subprocess.run(
        [sys.executable, __file__, "--one", f"{banks}x{lines}x{seed}", *limit],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20x10,200x30,500x50,1000x100")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--time-limit", help="the policy's solver time limit, seconds")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    tune_collector()  # the CLI's and the app's own setting
    if args.one:
        banks, lines, seed = (int(n) for n in args.one.split("x"))
        print(json.dumps(one_instance(banks, lines, seed, args.time_limit)))
        return
    seeds = [int(s) for s in args.seeds.split(",")]
    summary = []
    for size in args.sizes.split(","):
        banks, lines = (int(n) for n in size.split("x"))
        runs = [in_child(banks, lines, seed, args.time_limit) for seed in seeds]
        row = {
            "size": size,
            "lines_given": [r["demand_lines"] for r in runs],
            "proven": all(r["proven"] for r in runs),
            **{
                key: statistics.median(r[key] for r in runs)
                for key in ("import_s", "snapshot_ms", "quote_cpu_ms", "quote_wall_ms", "peak_mb")
            },
        }
        summary.append({**row, "runs": runs})
        print(
            f"{size:>9} lines {row['lines_given']} | import {row['import_s']} s | snapshot "
            f"{row['snapshot_ms']} ms | quote {row['quote_cpu_ms']} ms CPU, "
            f"{row['quote_wall_ms']} ms wall | {'proven' if row['proven'] else 'NOT proven'} | "
            f"peak {row['peak_mb']} MB",
            flush=True,
        )
    save_results("scale", {"seeds": seeds, "results": summary})


if __name__ == "__main__":
    main()
