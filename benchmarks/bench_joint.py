"""What optimising on-site and off-site together adds to a metric quote.

    python benchmarks/bench_joint.py [--runs 5] [--seeds 1,2,3] [--banks 200]

Full metric workbooks from the shared generator (``../shared/bench/gen_metric.py``:
20 area losses and 15 gains, 5 and 4 hedgerow, 2 and 2 watercourse, trading
rules not met on site), quoted on the bundled sample reference and on a
generated reference of ``--banks`` banks (``../shared/bench``'s reference
generator). Per workbook and reference, medians over the runs of processor
and wall time:

* the metric's order: one quote of the lines it leaves (core/quote.py);
* the joint model alone (core/joint_offsetting.py: options + MILP);
* both ways priced side by side (core/onsite_choice.py), as the metric
  preview and ``bng quote --metric`` do;

and the extra time (side by side − the metric's order alone), with the saving
found. Results also go to benchmarks/results/joint.json.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.results_file import save_results  # noqa: E402
from bng_desktop.collector_policy import tune_collector  # noqa: E402
from bng_desktop.core.errors import InfeasibleQuote  # noqa: E402
from bng_desktop.core.joint_offsetting import joint_plan, metric_plan  # noqa: E402
from bng_desktop.core.metric import MetricImport  # noqa: E402
from bng_desktop.core.onsite_choice import compare_onsite, with_plan  # noqa: E402
from bng_desktop.core.quote import make_quote  # noqa: E402
from bng_desktop.core.reference import ReferenceSnapshot  # noqa: E402
from bng_desktop.core.result import QuoteRequest  # noqa: E402
from bng_desktop.metric_import import import_metric  # noqa: E402
from bng_desktop.workspace import Workspace  # noqa: E402
from tests.shared_data import GEN_METRIC, generate_reference, read_site_json  # noqa: E402

FULL_METRIC = (
    *("--area-deficits", "20", "--area-surpluses", "15"),
    *("--hedgerow-deficits", "5", "--hedgerow-surpluses", "4"),
    *("--watercourse-deficits", "2", "--watercourse-surpluses", "2"),
    *("--trading-met", "no"),
)


def timed(work: Callable[[], object], runs: int) -> tuple[float, float, object]:
    """Median processor and wall seconds of ``work``, and its last answer."""
    cpu, wall, answer = [], [], None
    for _ in range(runs):
        started, started_wall = time.process_time(), time.perf_counter()
        answer = work()
        cpu.append(time.process_time() - started)
        wall.append(time.perf_counter() - started_wall)
    return statistics.median(cpu), statistics.median(wall), answer


def metric(folder: Path, seed: int) -> MetricImport:
    path = folder / f"metric-s{seed}.xlsx"
    subprocess.run(
        [sys.executable, str(GEN_METRIC), "--seed", str(seed), "--out", str(path), *FULL_METRIC],
        check=True,
        capture_output=True,
    )
    return import_metric(path)


def one(label: str, snapshot: ReferenceSnapshot, request: QuoteRequest, imported, runs: int):
    ordered = with_plan(request, imported, metric_plan(imported))
    policy = request.policy

    def metric_order():
        try:
            return make_quote(snapshot, ordered) if ordered.demand else None
        except InfeasibleQuote as refused:
            return refused

    def side_by_side():
        return compare_onsite(snapshot, request, imported, lambda r: make_quote(snapshot, r))

    base_cpu, base_wall, first = timed(metric_order, runs)
    model_cpu, model_wall, _ = timed(
        lambda: joint_plan(snapshot, request.site, policy, imported), runs
    )
    both_cpu, both_wall, compared = timed(side_by_side, runs)
    saving = compared.saving if compared is not None else None  # type: ignore[attr-defined]
    row = {
        "case": label,
        "lines": len(imported.lines),
        "metric_order_cpu_s": base_cpu,
        "metric_order_wall_s": base_wall,
        "joint_model_cpu_s": model_cpu,
        "joint_model_wall_s": model_wall,
        "side_by_side_cpu_s": both_cpu,
        "side_by_side_wall_s": both_wall,
        "extra_cpu_s": both_cpu - base_cpu,
        "extra_wall_s": both_wall - base_wall,
        "saving": None if saving is None else float(saving),
        "metric_order_quotable": not isinstance(first, InfeasibleQuote),
    }
    print(
        f"{label:28} {len(imported.lines):2} lines: metric order {base_cpu * 1000:7.1f} ms; "
        f"joint model {model_cpu * 1000:7.1f} ms; side by side {both_cpu * 1000:7.1f} ms "
        f"(extra {row['extra_cpu_s'] * 1000:7.1f} ms processor, "
        f"{row['extra_wall_s'] * 1000:7.1f} ms wall); saving "
        + ("—" if saving is None else f"£{float(saving):,.0f}")
        + ("" if row["metric_order_quotable"] else " (the metric's order cannot be quoted)"),
        flush=True,
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--banks", type=int, default=200)
    args = parser.parse_args()
    tune_collector()
    seeds = [int(s) for s in args.seeds.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        workbook, _, site_json = generate_reference(folder, args.banks, 1)
        with Workspace.open(folder / "store") as workspace:
            workspace.ensure_reference()
            sample = workspace.snapshot()
            version = workspace.import_reference(workbook)
            large = workspace.references.snapshot(version.version_id)
            sites = {
                "sample": (sample, QuoteRequest(read_site_json(site_json), ())),
                f"{args.banks} banks": (large, QuoteRequest(read_site_json(site_json), ())),
            }
            for seed in seeds:
                imported = metric(folder, seed)
                for name, (snapshot, request) in sites.items():
                    prepared = workspace.prepare(request, snapshot)
                    policy = snapshot.default_policy
                    prepared = QuoteRequest(prepared.site, (), policy)
                    rows.append(
                        one(f"seed {seed}, {name}", snapshot, prepared, imported, args.runs)
                    )
    for key in ("extra_cpu_s", "extra_wall_s", "joint_model_cpu_s"):
        print(f"median {key}: {statistics.median(r[key] for r in rows) * 1000:.1f} ms")
    save_results("joint", {"runs": args.runs, "seeds": seeds, "results": rows})


if __name__ == "__main__":
    main()
