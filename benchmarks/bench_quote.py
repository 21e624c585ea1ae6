"""Quote speed on generated instances: snapshot load, option building, solve.

    python benchmarks/bench_quote.py [--runs 7] [--sizes 20x10,80x10,200x30] [--solver highs]

Generates each (banks, demand lines) instance with the shared generator
(``../shared/bench/gen_reference.py``), imports it into a fresh store, then
times, separately and as medians over the runs:
  - a cold load of the reference snapshot from SQLite (memory cache dropped);
  - option building (from the start of a quote to the solver's first stage);
  - the solve (from there to the finished quote);
  - the whole quote.
The result cache is not used. Results also go to benchmarks/results/quote.json.
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

from benchmarks.results_file import save_results  # noqa: E402
from bng_desktop.collector_policy import tune_collector  # noqa: E402
from bng_desktop.core.policy import Policy  # noqa: E402
from bng_desktop.core.quote import make_quote  # noqa: E402
from bng_desktop.core.result import QuoteRequest  # noqa: E402
from bng_desktop.core.sites import with_known_neighbours  # noqa: E402
from bng_desktop.store.references import forget_snapshots  # noqa: E402
from bng_desktop.workspace import Workspace  # noqa: E402
from tests.shared_data import generate_reference, read_demand_csv, read_site_json  # noqa: E402

SEEDS = {20: 1, 80: 2, 200: 3}


class PhaseClock:
    """Splits one quote's time at the solver's first progress report."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.solve_started: float | None = None

    def __call__(self, stage: str, fraction: float, message: str) -> None:
        if stage == "solve" and self.solve_started is None:
            self.solve_started = time.perf_counter()


def median_ms(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 1)


def bench_instance(folder: Path, banks: int, lines: int, runs: int, solver: str) -> dict:
    workbook, demand_csv, site_json = generate_reference(
        folder, banks, SEEDS.get(banks, banks), lines
    )
    with Workspace.open(folder / f"store-{banks}") as workspace:
        version = workspace.import_reference(workbook)
        loads = []
        for _ in range(runs):
            forget_snapshots()
            started = time.perf_counter()
            snapshot = workspace.references.snapshot(version.version_id)
            loads.append(time.perf_counter() - started)
    site = with_known_neighbours(read_site_json(site_json), snapshot)
    request = QuoteRequest(site, read_demand_csv(demand_csv), Policy(solver=solver))
    options, solves, totals = [], [], []
    quote = None
    for _ in range(runs):
        clock = PhaseClock()
        quote = make_quote(snapshot, request, progress=clock)
        end = time.perf_counter()
        options.append(clock.solve_started - clock.start)
        solves.append(end - clock.solve_started)
        totals.append(end - clock.start)
    return {
        "banks": banks,
        "demand_lines": lines,
        "stock_lines": len(snapshot.stock),
        "price_rows": len(snapshot.data.prices),
        "solver": quote.solver.name,
        "options_in_largest_model": quote.solver.options,
        "optimal": quote.solver.optimal,
        "cost": float(quote.totals.optimiser_cost),
        "snapshot_load_ms": median_ms(loads),
        "options_ms": median_ms(options),
        "solve_ms": median_ms(solves),
        "quote_ms": median_ms(totals),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="20x10,80x10,200x30")
    parser.add_argument("--solver", default="highs", choices=("highs", "cbc", "greedy"))
    args = parser.parse_args()
    tune_collector()  # the CLI's and the app's own setting
    sizes = [tuple(int(n) for n in s.split("x")) for s in args.sizes.split(",")]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for banks, lines in sizes:
            result = bench_instance(Path(tmp), banks, lines, args.runs, args.solver)
            results.append(result)
            print(
                f"({banks:>3} banks, {lines:>2} lines) {result['stock_lines']:>5} stock "
                f"{result['price_rows']:>6} prices | snapshot {result['snapshot_load_ms']:>7} ms"
                f" | options {result['options_ms']:>7} ms | solve {result['solve_ms']:>7} ms"
                f" | quote {result['quote_ms']:>7} ms | {result['solver']}"
                f"{' optimal' if result['optimal'] else ''}",
                flush=True,
            )
    save_results("quote", {"runs": args.runs, "results": results})


if __name__ == "__main__":
    main()
