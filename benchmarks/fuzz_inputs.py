"""The heavy fuzz run of the product's file inputs (tests/io/input_fuzz.py).

    python benchmarks/fuzz_inputs.py [--workbooks 1000] [--demand 200] [--seed 7]

Mutates reference workbooks from the shared generator (as generated and as
the product exports them) and writes bad demand CSVs; imports each through
the workspace into a fresh data folder. Every file must be imported (read) or
refused with the product's own message naming it, within the per-file time
bound, with the store unchanged after every refusal. Prints the counts by
outcome and by mutation; exits 1 on any traceback, hang or unclean refusal.
Results also go to benchmarks/results/fuzz_inputs.json.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.results_file import save_results  # noqa: E402
from bng_desktop.workspace import Workspace  # noqa: E402
from tests.io.input_fuzz import (  # noqa: E402
    SECONDS_PER_FILE,
    Tally,
    reference_bases,
    run_demand,
    run_reference,
)

FAILED = ("TRACEBACK", "HANG", "WRONG")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workbooks", type=int, default=1_000)
    parser.add_argument("--demand", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bng-fuzz-") as temp:
        folder = Path(temp)
        bases = reference_bases(folder, range(args.seed, args.seed + 4))
        with Workspace.open(folder / "data") as workspace:
            workspace.ensure_reference()
            started = time.perf_counter()
            reference = run_reference(workspace, bases, args.workbooks, args.seed, folder)
            reference_seconds = time.perf_counter() - started
            print(reference.summary(f"reference workbooks ({reference_seconds:.0f} s)"))
            started = time.perf_counter()
            demand = run_demand(workspace, args.demand, args.seed, folder)
            print(demand.summary(f"demand CSVs ({time.perf_counter() - started:.0f} s)"))
    save_results("fuzz_inputs", {"bound_seconds": SECONDS_PER_FILE} | _counts(reference, demand))
    failed = sum(t.outcomes[o] for t in (reference, demand) for o in FAILED)
    return 1 if failed else 0


def _counts(reference: Tally, demand: Tally) -> dict:
    return {
        "reference": dict(reference.outcomes),
        "demand": dict(demand.outcomes),
        "slowest_seconds": max(reference.slowest[0], demand.slowest[0]),
    }


if __name__ == "__main__":
    sys.exit(main())
