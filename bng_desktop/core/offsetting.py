"""From a metric's per-habitat unit changes to demand lines (METRIC.md steps 1–4).

Per unit type, never across types:

1. on-site offsetting: deficits, highest band first and in sheet order within
   a band, take from the surpluses the trading rules of core/trading.py allow
   (the optimiser's own table), the lowest band first, then the larger
   remaining amount, then sheet order; every transfer is recorded;
2. residual deficits above 0.0001 units become lines (a label the catalogue
   does not know adds its residual to the Net Gain line, with a warning);
3. the Net Gain requirement (baseline × target) is met first by the surplus
   left, highest band first; what remains above 0.0001 is the Net Gain line;
4. the surplus left after that, by band, is what the SUO discount reads.

Deficits the trading rules refuse outright (area V.Low: nothing to
compensate; irreplaceable: bespoke compensation) are reported, never lines.
Pure: no I/O; exact Fractions throughout.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .bands import Band, UnitType
from .catalogue import merged_trading_group
from .model import NET_GAIN_NAMES, DemandLine, Habitat
from .trading import Deficit, Refusal, is_legal_supply, refusal

TINY = Fraction(1, 10000)
"""Residual deficits and Net Gain remainders above this (strictly) become lines."""

LINEAR_GROUP = {UnitType.HEDGEROW: "Hedgerow", UnitType.WATERCOURSE: "Watercourse"}


@dataclass(frozen=True)
class MetricRow:
    """One habitat row of a trading summary: the project-wide unit change."""

    label: str
    """Column B as written."""
    band: Band
    """The band of the block the row sits in."""
    change: Fraction
    """Project-wide unit change (on-site + off-site already entered)."""
    habitat: Habitat | None = None
    """The catalogue habitat; None when the label is not in the catalogue."""
    broad_habitat: str = ""
    cell: str = ""
    """Where the change was read (e.g. "F95"), for messages."""

    @property
    def name(self) -> str:
        return self.habitat.name if self.habitat is not None else self.label


@dataclass(frozen=True)
class Ledger:
    """One unit type of a metric: its rows in sheet order and its headline figures."""

    unit_type: UnitType
    bands: tuple[Band, ...]
    """The bands the summary has a block for (area has no V.Low block)."""
    rows: tuple[MetricRow, ...]
    baseline: Fraction
    target: Fraction
    total_net_change: Fraction | None = None
    metric_units_required: Fraction | None = None
    metric_unit_deficit: Fraction | None = None


@dataclass(frozen=True)
class HabitatUnits:
    """A deficit or surplus found in the summary."""

    habitat_name: str
    label: str
    band: Band
    units: Fraction


@dataclass(frozen=True)
class RefusedDeficit:
    """A deficit that is never a line: area V.Low, irreplaceable habitat."""

    habitat_name: str
    band: Band
    units: Fraction
    code: str
    reason: str


@dataclass(frozen=True)
class Transfer:
    """Units of an on-site surplus that offset an on-site deficit."""

    deficit: str
    deficit_band: Band
    surplus: str
    surplus_band: Band
    units: Fraction


@dataclass(frozen=True)
class BandUnits:
    band: Band
    units: Fraction


@dataclass(frozen=True)
class MetricLine:
    """A demand line the metric calls for: a residual deficit or the Net Gain line."""

    habitat_name: str
    unit_type: UnitType
    units: Fraction
    kind: str
    """``deficit`` or ``net_gain``."""
    band: Band | None = None
    label: str | None = None

    def demand_line(self) -> DemandLine:
        return DemandLine(self.habitat_name, self.units)


@dataclass(frozen=True)
class MetricWarning:
    """Something the consultant should know about the import; never silent."""

    message: str
    unit_type: UnitType | None = None
    label: str | None = None
    band: Band | None = None

    def __str__(self) -> str:
        if self.unit_type is None or self.label is None:
            return self.message
        band = f" ({self.band.label})" if self.band is not None else ""
        return f"{self.unit_type.value} {self.label!r}{band}: {self.message}"


@dataclass(frozen=True)
class LedgerReport:
    """What the offsetting did for one unit type, with the metric's own figures beside it."""

    unit_type: UnitType
    baseline: Fraction
    target: Fraction
    requirement: Fraction
    deficits: tuple[HabitatUnits, ...]
    surpluses: tuple[HabitatUnits, ...]
    refused: tuple[RefusedDeficit, ...]
    transfers: tuple[Transfer, ...]
    offset_on_site: Fraction
    residual_deficit_units: Fraction
    net_gain_units: Fraction
    surplus_after_offsetting: tuple[BandUnits, ...]
    """Surplus left by band after step 1 (highest band first)."""
    surplus_left: tuple[BandUnits, ...]
    """Surplus left by band after steps 1–3: what SUO reads."""
    total_net_change: Fraction | None = None
    metric_units_required: Fraction | None = None
    metric_unit_deficit: Fraction | None = None


@dataclass(frozen=True)
class LedgerOffset:
    lines: tuple[MetricLine, ...]
    report: LedgerReport
    warnings: tuple[MetricWarning, ...]


UNKNOWN_DEFICIT = (
    "not in the statutory habitat list: its residual deficit goes to the Net Gain line"
)
UNKNOWN_SURPLUS = "not in the statutory habitat list (a surplus; traded by the band of its block)"


def offset_ledger(ledger: Ledger) -> LedgerOffset:
    """METRIC.md's steps 1–4 for one unit type."""
    rows = ledger.rows
    deficits = [i for i, r in enumerate(rows) if r.change < 0]
    surpluses = [i for i, r in enumerate(rows) if r.change > 0]
    need = {i: -rows[i].change for i in deficits}
    left = {i: rows[i].change for i in surpluses}
    refused = {i: r for i in deficits if (r := _refusal(ledger.unit_type, rows[i])) is not None}
    tradeable = [i for i in deficits if i not in refused]
    transfers = offset_on_site(ledger.unit_type, rows, tradeable, surpluses, need, left)
    lines, unknown, warnings = _residual_lines(ledger.unit_type, rows, tradeable, need)
    warnings += _other_warnings(ledger.unit_type, rows, surpluses, refused)
    after_offset = {
        band: sum((left[i] for i in surpluses if rows[i].band is band), Fraction(0))
        for band in sorted(ledger.bands, reverse=True)
    }
    requirement = ledger.baseline * ledger.target
    still, surplus_left = count_towards_net_gain(requirement, after_offset)
    net_gain = unknown + still
    if net_gain > TINY:
        name = NET_GAIN_NAMES[ledger.unit_type]
        lines.append(MetricLine(name, ledger.unit_type, net_gain, "net_gain"))
    report = LedgerReport(
        unit_type=ledger.unit_type,
        baseline=ledger.baseline,
        target=ledger.target,
        requirement=requirement,
        deficits=tuple(_habitat_units(rows[i], -rows[i].change) for i in deficits),
        surpluses=tuple(_habitat_units(rows[i], rows[i].change) for i in surpluses),
        refused=tuple(_refused(rows[i], r) for i, r in refused.items()),
        transfers=tuple(transfers),
        offset_on_site=sum((t.units for t in transfers), Fraction(0)),
        residual_deficit_units=sum((n for i in tradeable if (n := need[i]) > TINY), Fraction(0)),
        net_gain_units=net_gain if net_gain > TINY else Fraction(0),
        surplus_after_offsetting=tuple(BandUnits(b, u) for b, u in after_offset.items()),
        surplus_left=tuple(BandUnits(b, u) for b, u in surplus_left.items()),
        total_net_change=ledger.total_net_change,
        metric_units_required=ledger.metric_units_required,
        metric_unit_deficit=ledger.metric_unit_deficit,
    )
    return LedgerOffset(tuple(lines), report, tuple(warnings))


def offset_on_site(
    unit_type: UnitType,
    rows: tuple[MetricRow, ...],
    deficits: list[int],
    surpluses: list[int],
    need: dict[int, Fraction],
    left: dict[int, Fraction],
) -> list[Transfer]:
    """Step 1: move surplus to deficits (``need`` and ``left`` are updated in place).

    Why the lowest eligible band first: the eligible sets are nested, so
    serving the most demanding deficits first with the least valuable surplus
    they accept offsets the most units and keeps higher-band surplus for what
    only it can meet (METRIC.md; the legacy reader took the highest first).
    """
    transfers: list[Transfer] = []
    for d in sorted(deficits, key=lambda i: (-rows[i].band, i)):
        deficit = Deficit(unit_type, rule_habitat(unit_type, rows[d]))
        eligible = [
            s
            for s in surpluses
            if left[s] > 0 and is_legal_supply(deficit, rule_habitat(unit_type, rows[s]))
        ]
        for s in sorted(eligible, key=lambda i: surplus_priority(rows[i].band, left[i], i)):
            if need[d] == 0:
                break
            units = min(need[d], left[s])
            need[d] -= units
            left[s] -= units
            transfers.append(
                Transfer(rows[d].name, rows[d].band, rows[s].name, rows[s].band, units)
            )
    return transfers


def surplus_priority(band: Band, left: Fraction, position: int) -> tuple:
    """The order a deficit takes eligible surpluses in: lowest band, larger amount, sheet order."""
    return (band, -left, position)


def count_towards_net_gain(
    requirement: Fraction, surplus: dict[Band, Fraction]
) -> tuple[Fraction, dict[Band, Fraction]]:
    """Step 3: the surplus left counts towards the requirement, highest band
    first. Returns what is still required and the surplus left by band."""
    still = requirement
    left = dict(surplus)
    for band in sorted(left, reverse=True):
        used = min(still, left[band])
        left[band] -= used
        still -= used
    return still, left


def rule_habitat(unit_type: UnitType, row: MetricRow) -> Habitat:
    """The habitat the trading rules see: the catalogue's, or for a label the
    catalogue does not know, one standing for it at its block's band."""
    if row.habitat is not None:
        return row.habitat
    broad = LINEAR_GROUP.get(unit_type, row.broad_habitat.strip())
    group = broad if unit_type is not UnitType.AREA else merged_trading_group(broad)
    return Habitat(row.label, unit_type, row.band, broad, group)


def _refusal(unit_type: UnitType, row: MetricRow) -> Refusal | None:
    return refusal(Deficit(unit_type, rule_habitat(unit_type, row)))


def _residual_lines(
    unit_type: UnitType, rows: tuple[MetricRow, ...], deficits: list[int], need: dict[int, Fraction]
) -> tuple[list[MetricLine], Fraction, list[MetricWarning]]:
    """Step 2, in sheet order: the lines, the unknown labels' residual, warnings."""
    lines: list[MetricLine] = []
    warnings: list[MetricWarning] = []
    unknown = Fraction(0)
    for i in deficits:
        row = rows[i]
        if row.habitat is None:
            warnings.append(MetricWarning(UNKNOWN_DEFICIT, unit_type, row.label, row.band))
        if need[i] <= TINY:
            continue
        if row.habitat is None:
            unknown += need[i]
        else:
            lines.append(MetricLine(row.name, unit_type, need[i], "deficit", row.band, row.label))
    return lines, unknown, warnings


def _other_warnings(
    unit_type: UnitType,
    rows: tuple[MetricRow, ...],
    surpluses: list[int],
    refused: dict[int, Refusal],
) -> list[MetricWarning]:
    """Surpluses under labels the catalogue does not know; irreplaceable losses
    (an area V.Low loss needs nothing and is only reported)."""
    warnings = [
        MetricWarning(UNKNOWN_SURPLUS, unit_type, rows[i].label, rows[i].band)
        for i in surpluses
        if rows[i].habitat is None
    ]
    warnings += [
        _refusal_warning(unit_type, rows[i], r) for i, r in refused.items() if r.code != "v_low"
    ]
    return warnings


def _refusal_warning(unit_type: UnitType, row: MetricRow, refused: Refusal) -> MetricWarning:
    """Irreplaceable losses are not quoted: the consultant must hear of them."""
    message = (
        f"a loss of {float(-row.change):g} units of {refused.reason}; it is not in the "
        "demand lines: agree bespoke compensation with the planning authority"
    )
    return MetricWarning(message, unit_type, row.label, row.band)


def _habitat_units(row: MetricRow, units: Fraction) -> HabitatUnits:
    return HabitatUnits(row.name, row.label, row.band, units)


def _refused(row: MetricRow, refused: Refusal) -> RefusedDeficit:
    return RefusedDeficit(row.name, row.band, -row.change, refused.code, refused.reason)
