"""The metric a quote's demand came from, as the Excel Details sheet and the
CLI's text show it: file, SHA-256, version, and per unit type the report."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ...core.bands import UnitType
from ...core.metric import MetricSource
from ...core.offsetting import BandUnits, LedgerReport
from ...core.report import percent_text
from ...core.rounding import display_units

UNIT_TITLES = {
    UnitType.AREA: "area",
    UnitType.HEDGEROW: "hedgerow",
    UnitType.WATERCOURSE: "watercourse",
}


def metric_summary(source: MetricSource) -> str:
    """One line: where the demand came from."""
    release = f", release {source.release}" if source.release else ""
    return (
        f"Demand from the metric workbook {source.file_name} (metric {source.metric_version}"
        f"{release}; SHA-256 {source.sha256[:16]}…)"
    )


def metric_details(source: MetricSource | None) -> list[tuple[str, Any]]:
    """Key/value rows for the Excel quote's Details sheet (none without a metric)."""
    if source is None:
        return []
    rows: list[tuple[str, Any]] = [
        ("Metric workbook", source.file_name),
        ("Metric SHA-256", source.sha256),
        ("Metric version", source.metric_version),
        ("Metric release", source.release or "before 1.0.3 (no Version History)"),
        ("Metric saved by", source.saved_by),
        ("Metric: trading rules satisfied?", source.trading_rules_satisfied or "-"),
        ("Metric: SUO eligible surplus", float(source.eligible_surplus)),
    ]
    for report in source.reports:
        rows += _report_rows(report)
    rows += [("Metric warning", str(w)) for w in source.warnings]
    return rows


def _report_rows(report: LedgerReport) -> list[tuple[str, Any]]:
    name = f"Metric {UNIT_TITLES[report.unit_type]}"
    units = display_units
    metric_deficit = report.metric_unit_deficit
    rows: list[tuple[str, Any]] = [
        (
            f"{name}: baseline, target, requirement",
            f"{units(report.baseline)} units × {percent_text(report.target)}% = "
            f"{units(report.requirement)}",
        ),
        (
            f"{name}: deficits found, offset on site",
            f"{units(sum((d.units for d in report.deficits), Fraction(0)))}, "
            f"{units(report.offset_on_site)}",
        ),
        (f"{name}: residual deficit lines", float(report.residual_deficit_units)),
        (f"{name}: Net Gain line", float(report.net_gain_units)),
        (f"{name}: surplus left", bands_text(report.surplus_left)),
        (
            f"{name}: the metric's Unit Deficit",
            float(metric_deficit) if metric_deficit is not None else "-",
        ),
    ]
    rows += [
        (
            f"{name}: transfer",
            f"{t.deficit} ({t.deficit_band.label}) ← {t.surplus} ({t.surplus_band.label}): "
            f"{units(t.units)}",
        )
        for t in report.transfers
    ]
    rows += [
        (f"{name}: not a line", f"{r.habitat_name} ({r.band.label}) {units(r.units)}: {r.reason}")
        for r in report.refused
    ]
    return rows


def bands_text(values: tuple[BandUnits, ...]) -> str:
    shown = [f"{b.band.label} {display_units(b.units)}" for b in values if b.units]
    return ", ".join(shown) or "none"
