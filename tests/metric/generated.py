"""Workbooks from the shared generator (``gen_metric.py``), written in batches.

Each batch is one subprocess (``sys.executable``) that loads the generator
once and calls its ``main`` per workbook, so a session's hundreds of files
cost a few seconds of interpreter start-up rather than minutes; batches run
in parallel, one per CPU. With ``forms`` each workbook is also written in
its other ``FORMS`` (saved_as.py), and with ``reuse`` files already in the
folder are kept (the tests keep them in pytest's cache, keyed by the
generator's and these modules' source).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tests.metric.saved_as import excel_saved, libreoffice_saved, macro_enabled
from tests.shared_data import GEN_METRIC

READABLE = ("1.0.3", "1.0.2", "1.0.4", "libreoffice", "hedge-unknown-label")
BAD = ("no-cached-values", "metric-3.1", "not-a-metric", "error-cell")
FORMS = ("generated", "saved", "xlsm")
"""A workbook as the generator wrote it; re-saved as its tool writes it (LibreOffice
for the libreoffice variant, Excel for the others: saved_as.py); and that as .xlsm."""

DRIVER = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("gen_metric", sys.argv[1])
gen = sys.modules["gen_metric"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)
for argv in json.loads(sys.stdin.read()):
    gen.main(argv)
"""


@dataclass(frozen=True)
class Spec:
    """One generator run: variant, seed and any further options."""

    variant: str
    seed: int
    options: tuple[str, ...] = ()

    @property
    def stem(self) -> str:
        extra = "".join(o.strip("-").replace("/", "_") for o in self.options)
        return f"{self.variant}-s{self.seed}{'-' + extra if extra else ''}"


@dataclass(frozen=True)
class Generated:
    spec: Spec
    workbook: Path
    expected: dict

    @property
    def id(self) -> str:
        return self.spec.stem

    def form(self, form: str) -> Path:
        """The workbook in one of ``FORMS``."""
        if form == "generated":
            return self.workbook
        suffix = {"saved": ".saved.xlsx", "xlsm": ".saved.xlsm"}[form]
        return self.workbook.with_name(f"{self.spec.stem}{suffix}")


def generate(
    out_dir: Path, specs: list[Spec], *, forms: bool = False, reuse: bool = False
) -> dict[Spec, Generated]:
    """Write every spec's workbook and expected JSON into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    expected = {s: out_dir / f"{s.stem}.expected.json" for s in specs}
    missing = [s for s in specs if not (reuse and expected[s].is_file())]
    jobs = [
        [
            "--seed", str(s.seed), "--variant", s.variant, *s.options,
            "--out", str(out_dir / f"{s.stem}.xlsx"),
        ]
        for s in missing
    ]  # fmt: skip
    workers = max(1, min(os.cpu_count() or 1, 4, len(jobs)))
    batches = [jobs[i::workers] for i in range(workers)]
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(_run_batch, batches))
    found = {
        s: Generated(s, out_dir / f"{s.stem}.xlsx", json.loads(expected[s].read_text("utf-8")))
        for s in specs
    }
    if forms:
        for generated in found.values():
            write_forms(generated, reuse=reuse)
    return found


def write_forms(generated: Generated, *, reuse: bool = False) -> None:
    """The re-saved and .xlsm forms beside the generated workbook (each written
    whole under a temporary name first, so an interrupted run leaves none half done)."""
    xlsm = generated.form("xlsm")
    if reuse and xlsm.is_file():
        return
    resave = libreoffice_saved if generated.spec.variant == "libreoffice" else excel_saved
    saved = resave(generated.workbook.read_bytes(), generated.spec.seed)
    for path, data in ((generated.form("saved"), saved), (xlsm, macro_enabled(saved))):
        partial = path.with_name(f".{path.name}.partial")
        partial.write_bytes(data)
        partial.replace(path)


def _run_batch(batch: list[list[str]]) -> None:
    if not batch:
        return
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(GEN_METRIC)],
        input=json.dumps(batch),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"gen_metric.py failed ({done.returncode}): {done.stderr[-2000:]}")
