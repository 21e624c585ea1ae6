"""A developer's metric workbook as data: what was read, what it calls for,
and where a quote's demand came from.

``MetricWorkbook`` is what io/metric reads; ``import_metric_workbook`` turns it
into a ``MetricImport`` (the demand lines and the report, per unit type);
``MetricSource`` is the part a quote keeps: the file's name and SHA-256, the
metric version and the report. Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction

from .bands import Band, UnitType
from .model import DemandLine
from .offsetting import Ledger, LedgerReport, MetricLine, MetricWarning, offset_ledger

SUO_MIN_BAND = Band.MEDIUM
SUO_UNIT_TYPE = UnitType.AREA
"""SUO reads the area surplus: units of different types are never summed (RULES.md)."""


@dataclass(frozen=True)
class MetricWorkbook:
    """The facts read from a statutory metric workbook, before any decision."""

    metric_version: str
    """Start!D8 as the metric means it ("4.1")."""
    release: str | None
    """The last "Version 1.0.x" of the Version History sheet; None before 1.0.3."""
    saved_by: str
    ledgers: tuple[Ledger, ...]
    """Area, hedgerow, watercourse, in that order."""
    trading_rules_satisfied: str | None
    """Headline Results F55 as written ("Yes ✓", "No - Check Trading Summaries ▲")."""
    warnings: tuple[MetricWarning, ...] = ()


@dataclass(frozen=True)
class MetricSource:
    """Where a quote's demand came from; kept inside the quote."""

    file_name: str
    sha256: str
    metric_version: str
    release: str | None
    saved_by: str
    trading_rules_satisfied: str | None
    reports: tuple[LedgerReport, ...]
    warnings: tuple[MetricWarning, ...] = ()

    def report(self, unit_type: UnitType) -> LedgerReport:
        return next(r for r in self.reports if r.unit_type is unit_type)

    @property
    def net_gain_targets(self) -> dict[UnitType, Fraction]:
        """Targets above 0 by unit type: the client report's "10% Net Gain" labels
        (a Net Gain line at a 0 target holds only unknown labels' residuals)."""
        return {r.unit_type: r.target for r in self.reports if r.target > 0}

    @property
    def eligible_surplus(self) -> Fraction:
        """The surplus the SUO discount may use: area surplus left in bands ≥ Medium."""
        report = self.report(SUO_UNIT_TYPE)
        return sum((b.units for b in report.surplus_left if b.band >= SUO_MIN_BAND), Fraction(0))


@dataclass(frozen=True)
class MetricImport:
    """The preview of an import: the lines to buy and the report behind them."""

    source: MetricSource
    lines: tuple[MetricLine, ...]
    ledgers: tuple[Ledger, ...] = ()
    """The rows with a unit change (sheet order) and the headline figures, per
    unit type: what offsetting on site otherwise (core/joint_offsetting.py) reads."""

    @property
    def demand(self) -> tuple[DemandLine, ...]:
        return tuple(line.demand_line() for line in self.lines)

    @property
    def warnings(self) -> tuple[MetricWarning, ...]:
        return self.source.warnings

    @property
    def eligible_surplus(self) -> Fraction:
        return self.source.eligible_surplus


def import_metric_workbook(workbook: MetricWorkbook, file_name: str, sha256: str) -> MetricImport:
    """Offset every unit type of ``workbook`` and keep the report with the file's identity."""
    lines: list[MetricLine] = []
    reports: list[LedgerReport] = []
    warnings = list(workbook.warnings)
    for ledger in workbook.ledgers:
        offset = offset_ledger(ledger)
        lines += offset.lines
        reports.append(offset.report)
        warnings += offset.warnings
    source = MetricSource(
        file_name=file_name,
        sha256=sha256,
        metric_version=workbook.metric_version,
        release=workbook.release,
        saved_by=workbook.saved_by,
        trading_rules_satisfied=workbook.trading_rules_satisfied,
        reports=tuple(reports),
        warnings=tuple(warnings),
    )
    changed = tuple(
        dataclasses.replace(ledger, rows=tuple(r for r in ledger.rows if r.change != 0))
        for ledger in workbook.ledgers
    )
    return MetricImport(source, tuple(lines), changed)
