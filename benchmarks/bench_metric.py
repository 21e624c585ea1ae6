"""Metric import speed: read + offset of a full-size statutory metric workbook.

    python benchmarks/bench_metric.py [--runs 9] [--seed 14]

Generates workbooks with the shared generator (``../shared/bench/gen_metric.py``
v2: all 43 sheets of release 1.0.3, sheets declaring whole rows and columns
as Excel and LibreOffice do), for the Excel-saved ``1.0.3`` and the
``libreoffice`` variants, and times ``import_metric`` — package checks,
reading Start, Headline Results, the three trading summaries and Version
History, on-site offsetting — as the median over the runs, in processor time
(the machine may be shared) and wall time. Each is timed as generated,
re-saved the way its tool writes it (tests/metric/saved_as.py: shared
strings, formatted rows and columns, styled cells out to XFD or down to row
1048576, formulas beside the values), and that re-saved workbook padded to
the size of a real filled-in workbook (about 4 MB: every stub sheet filled
with formula cells and their values, every figure read carrying its formula),
as .xlsx and as .xlsm. Target: 1 s.

Last, a hostile file: the re-saved workbook whose area summary really holds
1.2 million cells in the rows read. It must be refused by the cells-read
bound (budget.py); the time to the refusal and the peak memory the reading
allocates (tracemalloc) are reported.

Results also go to benchmarks/results/metric.json.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.results_file import save_results  # noqa: E402
from bng_desktop.core.errors import MetricError  # noqa: E402
from bng_desktop.metric_import import import_metric  # noqa: E402
from tests.metric import mutate, saved_as  # noqa: E402
from tests.metric.fuzz import wide_rows  # noqa: E402
from tests.metric.generated import Spec, generate  # noqa: E402

TARGET_SECONDS = 1.0
VARIANTS = {"1.0.3": saved_as.excel_saved, "libreoffice": saved_as.libreoffice_saved}
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
NUMBER_CELL = re.compile(r'(<c r="[A-Z]+\d+"(?: s="\d+")?(?: t="n")?>)(<v>)')


def padded(data: bytes, seed: int) -> bytes:
    """``data`` with every empty sheet filled and every figure given a formula."""
    rng = random.Random(seed)
    contents = mutate.parts(data)
    read = {mutate.sheet_part(contents, name) for name in READ_SHEETS if _has(contents, name)}
    for part in [p for p in contents if p.startswith("xl/worksheets/")]:
        xml = contents[part].decode()
        if part in read:
            xml = NUMBER_CELL.sub(r"\1<f>'G-2 Habitat groups'!BE12</f>\2", xml)
        elif "<v>" not in xml and "<is>" not in xml:
            xml = re.sub(r"<sheetData\s*/>", "<sheetData></sheetData>", xml)
            xml = xml.replace("<sheetData>", f"<sheetData>{_filler(rng)}", 1)
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
            f'<c r="{saved_as.column_name(c)}{r}"><f>IFERROR({saved_as.column_name(c + 1)}{r}'
            f'*G{r},"")</f><v>{rng.random() * 10:.15g}</v></c>'
            for c in range(1, FILLER_COLUMNS + 1)
        )
        rows.append(f'<row r="{r}">{cells}</row>')
    return "".join(rows)


def hostile(data: bytes) -> bytes:
    """The area summary holding 1.2 million styled cells in the 400 rows read."""

    def fill(xml: str) -> str:
        start, end = xml.index("<sheetData"), xml.index("</sheetData>") + len("</sheetData>")
        return xml[:start] + f"<sheetData>{wide_rows(400, 3_000)}</sheetData>" + xml[end:]

    return mutate.edit_sheet(data, "Trading Summary Area Habitats", fill)


def median_times(path: Path, runs: int) -> tuple[float, float, int]:
    """Median processor and wall seconds of ``import_metric``, and the lines it gave."""
    cpu, wall, lines = [], [], 0
    for _ in range(runs):
        started, started_wall = time.process_time(), time.perf_counter()
        imported = import_metric(path)
        cpu.append(time.process_time() - started)
        wall.append(time.perf_counter() - started_wall)
        lines = len(imported.lines)
    return statistics.median(cpu), statistics.median(wall), lines


def refusal(path: Path) -> tuple[float, float, str]:
    """Processor seconds to the refusal, peak MB allocated while reading, the message."""
    started = time.process_time()
    try:
        import_metric(path)
    except MetricError as error:
        seconds, message = time.process_time() - started, str(error)
    else:
        raise SystemExit(f"{path.name} was imported: the cells-read bound did not hold")
    tracemalloc.start()  # slows the reading: it may now stop at the time budget instead
    with contextlib.suppress(MetricError):
        import_metric(path)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, message


def workbooks(folder: Path, seed: int) -> tuple[list[tuple[str, Path]], Path]:
    """(label, path) of every workbook timed, and the hostile one, written into ``folder``."""
    found = []
    bomb = folder / "hostile.xlsx"
    for variant, resave in VARIANTS.items():
        spec = Spec(variant, seed)
        generated = generate(folder, [spec])[spec].workbook
        saved = resave(generated.read_bytes(), seed)
        full = padded(saved, seed)
        for label, data, suffix in (
            ("as generated (v2)", generated.read_bytes(), ".xlsx"),
            ("re-saved by its tool", saved, ".xlsx"),
            ("re-saved, real size", full, ".xlsx"),
            ("re-saved, real size", saved_as.macro_enabled(full), ".xlsm"),
        ):
            path = folder / f"{variant}-{len(found)}{suffix}"
            path.write_bytes(data)
            found.append((f"{variant:12} {label:22} {suffix}", path))
        if variant == "1.0.3":
            bomb.write_bytes(hostile(saved))
    return found, bomb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        timed, bomb = workbooks(Path(tmp), args.seed)
        for label, path in timed:
            cpu, wall, lines = median_times(path, args.runs)
            size = path.stat().st_size
            verdict = "ok" if cpu <= TARGET_SECONDS else "OVER TARGET"
            results.append(
                {"workbook": label, "bytes": size, "lines": lines, "cpu_s": cpu, "wall_s": wall}
            )
            print(
                f"{label} {size / 2**20:5.2f} MB, {lines} lines: read + offset median "
                f"{cpu * 1000:6.1f} ms processor, {wall * 1000:6.1f} ms wall over {args.runs} "
                f"runs ({verdict}: ≤ {TARGET_SECONDS:g} s)",
                flush=True,
            )
        seconds, peak, message = refusal(bomb)
        print(
            f"hostile: 1.2 million cells in the rows read, {bomb.stat().st_size / 2**20:.1f} MB: "
            f"refused after {seconds:.2f} s processor time, peak {peak:.1f} MB allocated while "
            f"reading\n  {message}",
            flush=True,
        )
        results.append({"workbook": "hostile", "cpu_s": seconds, "peak_mb": peak})
    save_results("metric", {"runs": args.runs, "results": results})


if __name__ == "__main__":
    main()
