"""bng metric read FILE [--json OUT] [--csv OUT]

Reads a developer's statutory metric workbook: the demand lines it calls for
and, per unit type, how they were found. A refused workbook exits 1 with
``{"error": {"kind", "message", ...}}`` in the --json file and writes no CSV.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from fractions import Fraction
from pathlib import Path

from ..core.bands import UnitType
from ..core.errors import DemandError
from ..core.metric import MetricImport
from ..core.offsetting import LedgerReport
from ..core.report import percent_text
from ..core.rounding import display_units
from ..io.demand_csv import write_demand_csv
from ..io.metric.details import bands_text
from ..io.metric.to_json import import_to_json
from ..workspace import Workspace
from .option_values import json_target, output_file
from .output import write_json
from .progress import ProgressBar
from .targets import check_targets

TITLES = {
    UnitType.AREA: "Area habitats",
    UnitType.HEDGEROW: "Hedgerows",
    UnitType.WATERCOURSE: "Watercourses",
}


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("metric", help="read a developer's statutory metric workbook")
    sub = parser.add_subparsers(dest="action", required=True)
    read = sub.add_parser("read", help="the demand lines and report of a metric workbook")
    read.add_argument("file", type=Path, help="the metric workbook (.xlsx or .xlsm)")
    read.add_argument(
        "--json", dest="json_out", type=json_target, help="write the result as JSON ('-': stdout)"
    )
    read.add_argument(
        "--csv", type=output_file(".csv"), help="write the lines as a demand file for bng quote"
    )


def run(workspace: Workspace, args: argparse.Namespace) -> int:
    check_targets((args.json_out, "JSON"), (args.csv, "demand CSV"))
    bar = ProgressBar(enabled=not args.quiet)
    try:
        imported = workspace.import_metric(args.file, progress=bar)
    finally:
        bar.finish()
    if args.csv:
        write_csv_atomically(imported, args.csv)
    if args.json_out:
        write_json(import_to_json(imported), args.json_out)
    if args.json_out != "-":
        print_import(imported)
    return 0


def read_metric_for_quote(workspace: Workspace, path: Path) -> MetricImport:
    """``bng quote --metric``: the workbook read and offset on site; refused
    when it calls for nothing off site. Its warnings go to standard error."""
    imported = workspace.import_metric(path)
    if not imported.lines:
        raise DemandError(
            f"{path.name} calls for no units off site: the site meets its deficits and its "
            "Net Gain target on site, so there is nothing to quote"
        )
    for warning in imported.warnings:
        print(f"bng: {path.name}: {warning}", file=sys.stderr)
    return imported


def write_csv_atomically(imported: MetricImport, target: Path) -> None:
    """The demand file, written beside ``target`` and moved into place (a failure
    leaves an earlier file as it was); it keeps the mode of the file it replaces."""
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
    handle, temp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    os.close(handle)
    try:
        write_demand_csv(imported.demand, temp_name)
        os.chmod(temp_name, mode)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    if not imported.lines:
        print(f"{target}: no lines; the site needs no units off site", file=sys.stderr)


def print_import(imported: MetricImport) -> None:
    source = imported.source
    release = f", release {source.release}" if source.release else ""
    print(
        f"{source.file_name}: statutory metric {source.metric_version}{release} "
        f"(saved by {source.saved_by}); SHA-256 {source.sha256}"
    )
    print(f"The metric's verdict, trading rules satisfied? {source.trading_rules_satisfied or '-'}")
    for report in source.reports:
        _print_report(report)
    print("\nDemand lines" + ("" if imported.lines else ": none"))
    for line in imported.lines:
        print(
            f"  {line.unit_type.value:11} {line.habitat_name[:60]:60} "
            f"{display_units(line.units):>9}  {line.kind}"
        )
    for warning in source.warnings:
        print(f"  ! {warning}")


def _print_report(report: LedgerReport) -> None:
    units = display_units
    print(
        f"\n{TITLES[report.unit_type]}: baseline {units(report.baseline)}, target "
        f"{percent_text(report.target)}%, Net Gain requirement {units(report.requirement)}"
    )
    deficits = sum((d.units for d in report.deficits), Fraction(0))
    print(
        f"  deficits found {units(deficits)}; offset on site {units(report.offset_on_site)}; "
        f"still short {units(report.residual_deficit_units)}; Net Gain line "
        f"{units(report.net_gain_units)}"
    )
    for t in report.transfers:
        print(
            f"    {t.deficit} ({t.deficit_band.label}) ← {t.surplus} ({t.surplus_band.label}): "
            f"{units(t.units)}"
        )
    for r in report.refused:
        print(f"    not a line: {r.habitat_name} ({r.band.label}) {units(r.units)}: {r.reason}")
    print(f"  surplus left: {bands_text(report.surplus_left)}")
    metric = report.metric_unit_deficit
    print(f"  the metric's own Unit Deficit: {units(metric) if metric is not None else '-'}")
