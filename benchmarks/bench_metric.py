"""Metric import speed: read + offset of a full-size statutory metric workbook.

    python benchmarks/bench_metric.py [--runs 9] [--seed 14] [--variant 1.0.3]

Generates a workbook with the shared generator (``../shared/bench/gen_metric.py``:
all 43 sheets of release 1.0.3) and times ``import_metric`` — package checks,
reading Start, Headline Results, the three trading summaries and Version
History, on-site offsetting — as the median over the runs. The generator
leaves the 37 input and data sheets empty, so the run is repeated on a copy
padded to the size of a real filled-in workbook (about 4 MB: every stub
sheet filled with formula cells and their values, every figure of the sheets
read carrying its formula as a real file does). Target: 1 s. Results also go
to benchmarks/results/metric.json.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.results_file import save_results  # noqa: E402
from bng_desktop.metric_import import import_metric  # noqa: E402
from tests.metric import mutate  # noqa: E402
from tests.metric.generated import Spec, generate  # noqa: E402

TARGET_SECONDS = 1.0
READ_SHEETS = (
    "Start",
    "Headline Results",
    "Trading Summary Area Habitats",
    "Trading Summary Hedgerows",
    "Trading Summary WaterC's",
    "Version History",
)
FILLER_ROWS, FILLER_COLUMNS = 260, 28
"""Per input/data sheet: about the size of a real A-1 or G-2 sheet."""


def padded(data: bytes, seed: int) -> bytes:
    """``data`` with every empty sheet filled and every figure given a formula."""
    rng = random.Random(seed)
    contents = mutate.parts(data)
    read = {mutate.sheet_part(contents, name) for name in READ_SHEETS if _has(contents, name)}
    for part in [p for p in contents if p.startswith("xl/worksheets/")]:
        xml = contents[part].decode()
        if part in read:
            xml = re.sub(
                r'(<c r="[A-Z]+\d+" s="1" t="n">)', r"\1<f>'G-2 Habitat groups'!BE12</f>", xml
            )
        elif "<sheetData></sheetData>" in xml:
            xml = xml.replace("<sheetData></sheetData>", f"<sheetData>{_filler(rng)}</sheetData>")
            xml = re.sub(
                r'<dimension ref="[^"]*"',
                f'<dimension ref="A1:{_column(FILLER_COLUMNS)}{FILLER_ROWS}"',
                xml,
            )
        contents[part] = xml.encode()
    return mutate.package(contents, level=6)


def _has(contents: dict[str, bytes], name: str) -> bool:
    try:
        mutate.sheet_part(contents, name)
    except KeyError:
        return False
    return True


def _filler(rng: random.Random) -> str:
    rows = []
    for r in range(1, FILLER_ROWS + 1):
        cells = "".join(
            f'<c r="{_column(c)}{r}"><f>IFERROR({_column(c + 1)}{r}*G{r},"")</f>'
            f"<v>{rng.random() * 10:.15g}</v></c>"
            for c in range(1, FILLER_COLUMNS + 1)
        )
        rows.append(f'<row r="{r}">{cells}</row>')
    return "".join(rows)


def _column(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def median_seconds(path: Path, runs: int) -> tuple[float, int]:
    times, lines = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        imported = import_metric(path)
        times.append(time.perf_counter() - started)
        lines = len(imported.lines)
    return statistics.median(times), lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--variant", default="1.0.3")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        spec = Spec(args.variant, args.seed)
        workbook = generate(Path(tmp), [spec])[spec].workbook
        full = Path(tmp) / "full-size.xlsx"
        full.write_bytes(padded(workbook.read_bytes(), args.seed))
        results = []
        for label, path in (("generated", workbook), ("padded to real size", full)):
            seconds, lines = median_seconds(path, args.runs)
            size = path.stat().st_size
            results.append({"workbook": label, "bytes": size, "lines": lines, "median_s": seconds})
            verdict = "ok" if seconds <= TARGET_SECONDS else "OVER TARGET"
            print(
                f"{label:20} {size / 2**20:5.2f} MB, 43 sheets, {lines} lines: read + offset "
                f"median {seconds * 1000:6.1f} ms over {args.runs} runs ({verdict}: ≤ "
                f"{TARGET_SECONDS:g} s)",
                flush=True,
            )
    save_results("metric", {"runs": args.runs, "results": results})


if __name__ == "__main__":
    main()
