"""Decision support speed: what each constraint costs, and the impact of a new
reference version on open quotes.

    python benchmarks/bench_decide.py [--runs 5] [--quotes 200]

- alternatives: the time to re-solve every binding relaxation and every
  chosen bank left out, after a quote, on generated (20 banks, 10 lines) and
  (200, 30) instances (median of the runs; target ≤ 0.5 s at 20 × 10);
- impact: ``--quotes`` saved quotes at 20 × 10 (the generated demand, each line's
  units scaled by a seeded factor, so some quotes ask the same and are solved
  once) re-quoted on a second version with every price 5 % higher; quotes
  per second, wall and CPU (target ≥ 20).
Results also go to benchmarks/results/decide.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.results_file import save_results  # noqa: E402
from bng_desktop.collector_policy import tune_collector  # noqa: E402
from bng_desktop.core.result import QuoteRequest  # noqa: E402
from bng_desktop.io.reference_workbook import read_reference_workbook  # noqa: E402
from bng_desktop.io.statutory import load_statutory_facts  # noqa: E402
from bng_desktop.workspace import Workspace  # noqa: E402
from tests.shared_data import generate_reference, read_demand_csv, read_site_json  # noqa: E402

SEEDS = {20: 1, 200: 3}


def instance(folder: Path, banks: int, lines: int):
    workbook, demand_csv, site_json = generate_reference(folder, banks, SEEDS[banks], lines)
    request = QuoteRequest(read_site_json(site_json), read_demand_csv(demand_csv))
    return workbook, request


def bench_alternatives(folder: Path, banks: int, lines: int, runs: int) -> dict:
    workbook, request = instance(folder, banks, lines)
    with Workspace.open(folder / f"alt-{banks}") as workspace:
        workspace.import_reference(workbook)
        quote = workspace.quote(request, use_cache=False)
        times, found = [], ()
        for _ in range(runs):
            started = time.perf_counter()
            found = workspace.alternatives(quote)
            times.append(time.perf_counter() - started)
    return {
        "banks": banks,
        "demand_lines": lines,
        "banks_used": len(quote.banks_used),
        "reported": len(found),
        "median_ms": round(statistics.median(times) * 1000, 1),
    }


def bench_impact(folder: Path, count: int) -> dict:
    workbook, request = instance(folder, 20, 10)
    facts = load_statutory_facts()
    with Workspace.open(folder / "impact") as workspace:
        workspace.import_reference(workbook)
        chance = random.Random(7)
        factors = set()
        for number in range(count):
            factor = Fraction(chance.randint(50, 150), 100)
            factors.add(factor)
            demand = tuple(
                dataclasses.replace(line, units=line.units * factor) for line in request.demand
            )
            quote = workspace.quote(dataclasses.replace(request, demand=demand), use_cache=False)
            workspace.save_quote(quote, client_name=f"Client {number}")
        data = read_reference_workbook(workbook, facts)
        dearer = tuple(
            dataclasses.replace(row, price=row.price * Fraction(105, 100)) for row in data.prices
        )
        version = workspace.references.import_data(
            dataclasses.replace(data, prices=dearer), "bench"
        )
        started, cpu_started = time.perf_counter(), time.process_time()
        report = workspace.impact(version.version_id)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
    return {
        "open_quotes": len(report.rows),
        "distinct_requests": len(factors),
        "summary": report.summary,
        "seconds": round(seconds, 2),
        "quotes_per_second": round(len(report.rows) / seconds, 1),
        "cpu_seconds": round(cpu_seconds, 2),
        "quotes_per_cpu_second": round(len(report.rows) / cpu_seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quotes", type=int, default=200)
    args = parser.parse_args()
    tune_collector()  # the CLI's and the app's own setting
    results: dict = {"alternatives": []}
    with tempfile.TemporaryDirectory() as tmp:
        for banks, lines in ((20, 10), (200, 30)):
            result = bench_alternatives(Path(tmp), banks, lines, args.runs)
            results["alternatives"].append(result)
            print(
                f"alternatives ({banks} banks, {lines} lines): {result['median_ms']} ms "
                f"for the re-solves, {result['reported']} reported",
                flush=True,
            )
        results["impact"] = bench_impact(Path(tmp), args.quotes)
        impact = results["impact"]
        print(
            f"impact: {impact['open_quotes']} open quotes ({impact['distinct_requests']} distinct "
            f"requests) in {impact['seconds']} s = {impact['quotes_per_second']} quotes/s, "
            f"{impact['quotes_per_cpu_second']} per CPU second ({impact['summary']})"
        )
    save_results("decide", {"runs": args.runs, **results})


if __name__ == "__main__":
    main()
