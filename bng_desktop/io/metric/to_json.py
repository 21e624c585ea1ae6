"""The JSON form of a metric import (``bng metric read --json``) and of the
metric a quote keeps (``metric`` in the quote's JSON).

Figures are floats of the exact values; bands use the metric's spelling.
"""

from __future__ import annotations

from typing import Any

from ...core.metric import MetricImport, MetricSource
from ...core.offsetting import BandUnits, LedgerReport, MetricLine, MetricWarning


def import_to_json(imported: MetricImport) -> dict[str, Any]:
    source = imported.source
    return {
        "file": {"name": source.file_name, "sha256": source.sha256},
        "metric_version": source.metric_version,
        "release": source.release,
        "saved_by": source.saved_by,
        "lines": [line_to_json(line) for line in imported.lines],
        "report": {r.unit_type.value: report_to_json(r) for r in source.reports},
        "trading_rules_satisfied": source.trading_rules_satisfied,
        "eligible_surplus": float(source.eligible_surplus),
        "warnings": [warning_to_json(w) for w in source.warnings],
    }


def source_to_json(source: MetricSource | None) -> dict[str, Any] | None:
    """What a quote says about the metric its demand came from."""
    if source is None:
        return None
    return {
        "file": {"name": source.file_name, "sha256": source.sha256},
        "metric_version": source.metric_version,
        "release": source.release,
        "saved_by": source.saved_by,
        "report": {r.unit_type.value: report_to_json(r) for r in source.reports},
        "trading_rules_satisfied": source.trading_rules_satisfied,
        "warnings": [warning_to_json(w) for w in source.warnings],
    }


def line_to_json(line: MetricLine) -> dict[str, Any]:
    return {
        "habitat_name": line.habitat_name,
        "unit_type": line.unit_type.value,
        "units_required": float(line.units),
        "kind": line.kind,
        "band": line.band.label if line.band is not None else None,
        "label": line.label,
    }


def report_to_json(report: LedgerReport) -> dict[str, Any]:
    return {
        "baseline": float(report.baseline),
        "target": float(report.target),
        "requirement": float(report.requirement),
        "deficits": [_habitat_units(h) for h in report.deficits],
        "surpluses": [_habitat_units(h) for h in report.surpluses],
        "refused": [
            {
                "habitat_name": r.habitat_name,
                "band": r.band.label,
                "units": float(r.units),
                "code": r.code,
                "reason": r.reason,
            }
            for r in report.refused
        ],
        "transfers": [
            {
                "deficit": t.deficit,
                "deficit_band": t.deficit_band.label,
                "surplus": t.surplus,
                "surplus_band": t.surplus_band.label,
                "units": float(t.units),
            }
            for t in report.transfers
        ],
        "offset_on_site": float(report.offset_on_site),
        "residual_deficit_units": float(report.residual_deficit_units),
        "net_gain": float(report.net_gain_units),
        "surplus_after_offsetting": _by_band(report.surplus_after_offsetting),
        "surplus_left": _by_band(report.surplus_left),
        "total_net_change": _optional(report.total_net_change),
        "metric_units_required": _optional(report.metric_units_required),
        "metric_unit_deficit": _optional(report.metric_unit_deficit),
    }


def warning_to_json(warning: MetricWarning) -> dict[str, Any]:
    return {
        "unit_type": warning.unit_type.value if warning.unit_type is not None else None,
        "label": warning.label,
        "band": warning.band.label if warning.band is not None else None,
        "message": warning.message,
    }


def _habitat_units(h) -> dict[str, Any]:
    return {
        "habitat_name": h.habitat_name,
        "label": h.label,
        "band": h.band.label,
        "units": float(h.units),
    }


def _by_band(values: tuple[BandUnits, ...]) -> dict[str, float]:
    return {b.band.label: float(b.units) for b in values}


def _optional(value) -> float | None:
    return None if value is None else float(value)
