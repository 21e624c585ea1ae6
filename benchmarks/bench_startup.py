"""Launch to first HTTP 200: from source vs the frozen executables.

    python build/build_exe.py && python build/build_exe.py --onefile   # first
    python benchmarks/bench_startup.py [--runs 5]

Starts the app in browser mode (``--browser --no-show --port P``) and times
from process start to the first HTTP 200 of the address it prints (with its
secret), then stops it. The first start on an
empty data folder (migrations, loading the sample workbook) is timed apart;
the median is of the ``--runs`` starts after it, on the same folder, as a
consultant starts it every day. A variant whose executable is not built is
skipped. Seconds; results also go to benchmarks/results/startup.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.results_file import save_results  # noqa: E402
from tests.ui.app_process import FROM_SOURCE, free_port, running_app, wait_for_app  # noqa: E402

POLL = 0.01
"""Seconds between tries for the first 200 (the tests' 0.2 s would blur the medians)."""
SUFFIX = ".exe" if sys.platform == "win32" else ""
VARIANTS = {
    "source": FROM_SOURCE,
    "onedir": (str(REPO / "dist" / "bng-desktop" / f"bng-desktop{SUFFIX}"),),
    "onefile": (str(REPO / "dist" / f"bng-desktop-onefile{SUFFIX}"),),
}


def launch_seconds(command: Sequence[str], data_dir: Path) -> float:
    port = free_port()
    started = time.perf_counter()
    args = ("--browser", "--no-show", "--port", str(port))
    with running_app(data_dir, *args, command=command) as app:
        wait_for_app(data_dir, app, timeout=120, interval=POLL)
        return time.perf_counter() - started


def bench(command: Sequence[str], runs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        first = launch_seconds(command, data_dir)
        times = [launch_seconds(command, data_dir) for _ in range(runs)]
    return {
        "first_run_s": round(first, 2),
        "median_s": round(statistics.median(times), 2),
        "min_s": round(min(times), 2),
        "max_s": round(max(times), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    results: dict[str, object] = {"runs": args.runs}
    for name, command in VARIANTS.items():
        if name != "source" and not Path(command[0]).is_file():
            print(f"{name}: not built ({command[0]}), skipped", file=sys.stderr)
            continue
        results[name] = bench(command, args.runs)
        print(f"{name}: {results[name]}", file=sys.stderr)
    print(json.dumps(results, indent=1))
    save_results("startup", results)


if __name__ == "__main__":
    main()
