"""bng doctor: paths, reference data, solvers, cache and central database.

Exits 0 when this installation can quote (reference data or the bundled
sample, and at least one working solver), 3 (the environment) when it cannot.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import __version__
from ..doctor import Check, Report, bundle_description, diagnose
from ..workspace import Workspace
from .exit_code import ExitCode

LOADS_REFERENCE = False
"""Only look: the first-run sample is not loaded by the doctor."""


def add_parser(subparsers) -> None:
    subparsers.add_parser(
        "doctor", help="check this installation: paths, data, solvers, central database"
    )


def run(workspace: Workspace, args: argparse.Namespace) -> int:
    report = diagnose(workspace)
    print_report(report)
    return ExitCode.OK if report.can_quote else ExitCode.ENVIRONMENT


def print_report(report: Report) -> None:
    paths = report.paths
    print(f"BNG Desktop {__version__} ({bundle_description()})")
    _section("Paths")
    _line("data", str(paths.data_dir))
    _line("database", f"{paths.database} ({_size(_file_bytes(paths.database))})")
    _line("cache", str(paths.cache_dir))
    _line("log file", str(report.log_file))
    _section("Reference data")
    _line(report.reference.name, report.reference.detail)
    _line(report.sample.name, report.sample.detail)
    _section("Solvers")
    for check in report.solvers:
        _check(check)
    _section("Cache")
    _line("on disk", f"{_size(report.cache_bytes)} (location lookups; safe to delete)")
    _line("quote results", f"{report.cached_results} in the database")
    _section("Central database")
    if report.central is None:
        _line("central database", "not configured")
    else:
        _check(report.central)
    print()
    if report.can_quote:
        print("Ready to quote.")
    else:
        print("CANNOT QUOTE: " + _why_not(report))


def _why_not(report: Report) -> str:
    reasons = []
    if not (report.reference.ok or report.sample.ok):
        reasons.append("no reference data and no bundled sample (import a backend workbook)")
    if not any(s.ok for s in report.solvers):
        reasons.append("no working solver (reinstall BNG Desktop)")
    return "; ".join(reasons)


def _section(title: str) -> None:
    print(f"\n{title}")


def _line(name: str, value: str) -> None:
    print(f"  {name:18} {value}")


def _check(check: Check) -> None:
    _line(check.name, ("" if check.ok else "FAILED: ") + check.detail)


def _file_bytes(path: Path) -> int:
    return path.stat().st_size if path.is_file() else 0


def _size(count: int) -> str:
    if count < 1000:
        return f"{count} bytes"
    for unit in ("kB", "MB"):
        count /= 1000
        if count < 1000:
            return f"{count:.1f} {unit}"
    return f"{count / 1000:.1f} GB"
