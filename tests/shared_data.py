"""Where the product's shared folder is (beside the repository), and helpers
to turn its workbooks and demand files into engine inputs."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bng_desktop.core.exact import to_fraction
from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.reference import ReferenceSnapshot, VersionInfo, content_hash
from bng_desktop.io.reference_workbook import read_reference_workbook
from bng_desktop.io.statutory import load_statutory_facts

SHARED = Path(__file__).resolve().parents[2] / "shared"
ACCEPTANCE_DIR = SHARED / "acceptance"
GEN_REFERENCE = SHARED / "bench" / "gen_reference.py"
GEN_METRIC = SHARED / "bench" / "gen_metric.py"

needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the shared product folder is not beside the repository ({SHARED})"
)


def acceptance_cases() -> list[Path]:
    return sorted(p for p in ACCEPTANCE_DIR.glob("*") if (p / "expected.json").is_file())


def snapshot_from_workbook(path: Path, version_id: int = 1) -> ReferenceSnapshot:
    data = read_reference_workbook(path, load_statutory_facts())
    return ReferenceSnapshot(data, VersionInfo(version_id, content_hash(data), source=path.name))


def read_demand_csv(path: Path) -> tuple[DemandLine, ...]:
    with path.open(newline="", encoding="utf-8") as handle:
        return tuple(
            DemandLine(row["habitat_name"], to_fraction(row["units_required"]))
            for row in csv.DictReader(handle)
        )


def read_site_json(path: Path) -> Site:
    site = json.loads(path.read_text(encoding="utf-8"))
    return Site(
        lpa=site.get("lpa", ""),
        nca=site.get("nca", ""),
        lpa_neighbours=tuple(site.get("lpa_neighbours", ())),
        nca_neighbours=tuple(site.get("nca_neighbours", ())),
    )


def generate_reference(
    out_dir: Path, banks: int, seed: int, demand_lines: int = 0, *extra: str
) -> tuple[Path, Path, Path]:
    """Run the shared generator: (workbook, demand csv, site json)."""
    workbook = out_dir / f"ref-b{banks}-s{seed}.xlsx"
    demand = out_dir / f"ref-b{banks}-s{seed}.demand.csv"
    site = out_dir / f"ref-b{banks}-s{seed}.site.json"
    subprocess.run(
        [
            sys.executable,
            str(GEN_REFERENCE),
            "--banks",
            str(banks),
            "--seed",
            str(seed),
            "--out",
            str(workbook),
            "--demand-lines",
            str(demand_lines),
            "--demand-out",
            str(demand),
            "--site-out",
            str(site),
            *extra,
        ],
        check=True,
        capture_output=True,
    )
    return workbook, demand, site
