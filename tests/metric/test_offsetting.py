"""On-site offsetting, residual lines and the Net Gain line (METRIC.md steps
1–4), table by table: every trading-rule row on site, the order surpluses are
taken in, ties, the V.Low and unknown-label cases, targets and baselines."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from bng_desktop.core import offsetting
from bng_desktop.core.bands import Band, UnitType
from bng_desktop.core.offsetting import Ledger, MetricRow, offset_ledger
from bng_desktop.io.statutory import load_statutory_facts

FACTS = load_statutory_facts()
AREA, HEDGEROW, WATERCOURSE = UnitType.AREA, UnitType.HEDGEROW, UnitType.WATERCOURSE
IGGI = (
    "Intertidal hard structures - Artificial hard structures with integrated greening of grey "
    "infrastructure (IGGI)"
)
BANDS = {
    AREA: (Band.V_HIGH, Band.HIGH, Band.MEDIUM, Band.LOW),
    HEDGEROW: (Band.V_HIGH, Band.HIGH, Band.MEDIUM, Band.LOW, Band.V_LOW),
    WATERCOURSE: (Band.V_HIGH, Band.HIGH, Band.MEDIUM, Band.LOW),
}


def row(name: str, change: str | F) -> MetricRow:
    habitat = FACTS.habitat(name)
    assert habitat is not None, name
    return MetricRow(habitat.name, habitat.band, F(change), habitat, habitat.broad_habitat)


def unknown(label: str, band: Band, change: str) -> MetricRow:
    return MetricRow(label, band, F(change))


def offset(unit_type: UnitType, *rows: MetricRow, baseline: str = "0", target: str = "0.1"):
    return offset_ledger(Ledger(unit_type, BANDS[unit_type], rows, F(baseline), F(target)))


def lines(result) -> dict[str, F]:
    return {line.habitat_name: line.units for line in result.lines}


def moved(result) -> list[tuple[str, str, F]]:
    return [(t.deficit, t.surplus, t.units) for t in result.report.transfers]


# Each row of RULES.md's trading table, on site: (unit type, deficit, surpluses, sources used).
TRADING_ROWS = [
    pytest.param(
        AREA,
        "Grassland - Lowland meadows",
        ["Wetland - Fens (upland and lowland)", "Grassland - Traditional orchards"],
        [],
        id="area V.High: same habitat only, never offset on site",
    ),
    pytest.param(
        AREA,
        "Grassland - Traditional orchards",
        ["Wetland - Reedbeds", "Grassland - Lowland meadows"],
        [],
        id="area High: same habitat only",
    ),
    pytest.param(
        AREA,
        "Grassland - Other neutral grassland",
        ["Grassland - Other lowland acid grassland", "Wetland - Reedbeds"],
        ["Grassland - Other lowland acid grassland", "Wetland - Reedbeds"],
        id="area Medium: same trading group at Medium, or any higher band",
    ),
    pytest.param(
        AREA,
        "Grassland - Other neutral grassland",
        ["Grassland - Modified grassland", "Heathland and shrub - Mixed scrub"],
        [],
        id="area Medium: never a Low of its group (fix), never another group's Medium",
    ),
    pytest.param(
        AREA,
        "Intertidal sediment - Littoral sand",
        [
            "Intertidal hard structures - Artificial hard structures with integrated greening "
            "of grey infrastructure (IGGI)"
        ],
        [
            "Intertidal hard structures - Artificial hard structures with integrated greening "
            "of grey infrastructure (IGGI)"
        ],
        id="area Medium: the two intertidal groups trade as one",
    ),
    pytest.param(
        AREA,
        "Grassland - Modified grassland",
        ["Urban - Vegetated garden", "Heathland and shrub - Mixed scrub"],
        ["Urban - Vegetated garden", "Heathland and shrub - Mixed scrub"],
        id="area Low: any habitat of band Low or above",
    ),
    pytest.param(
        AREA,
        "Grassland - Modified grassland",
        ["Sparsely vegetated land - Coastal sand dunes"],
        [],
        id="area: an irreplaceable surplus never supplies",
    ),
    pytest.param(
        HEDGEROW,
        "Species-rich native hedgerow with trees - associated with bank or ditch",
        ["Species-rich native hedgerow with trees"],
        [],
        id="hedgerow V.High: same type only",
    ),
    pytest.param(
        HEDGEROW,
        "Species-rich native hedgerow with trees",
        [
            "Species-rich native hedgerow - associated with bank or ditch",
            "Species-rich native hedgerow with trees - associated with bank or ditch",
        ],
        ["Species-rich native hedgerow with trees - associated with bank or ditch"],
        id="hedgerow High: same type or a higher band",
    ),
    pytest.param(
        HEDGEROW,
        "Native hedgerow with trees",
        ["Native hedgerow", "Species-rich native hedgerow"],
        ["Species-rich native hedgerow"],
        id="hedgerow Medium: band at least Medium",
    ),
    pytest.param(
        HEDGEROW,
        "Native hedgerow",
        ["Non-native and ornamental hedgerow", "Line of trees"],
        ["Line of trees"],
        id="hedgerow Low: band at least Low",
    ),
    pytest.param(
        HEDGEROW,
        "Non-native and ornamental hedgerow",
        ["Native hedgerow"],
        ["Native hedgerow"],
        id="hedgerow V.Low loss: any hedgerow",
    ),
    pytest.param(
        WATERCOURSE,
        "Ditches",
        ["Canals", "Priority habitat", "Other rivers and streams"],
        [],
        id="watercourse Medium: same type only, canals never for ditches",
    ),
    pytest.param(
        WATERCOURSE,
        "Other rivers and streams",
        ["Priority habitat"],
        [],
        id="watercourse High: same type only",
    ),
    pytest.param(
        WATERCOURSE,
        "Culvert",
        ["Ditches"],
        ["Ditches"],
        id="watercourse Low: a higher band",
    ),
]


@pytest.mark.parametrize(("unit_type", "deficit", "surpluses", "used"), TRADING_ROWS)
def test_each_trading_rule_on_site(unit_type, deficit, surpluses, used):
    small = F(1, 4)
    result = offset(unit_type, row(deficit, -1), *(row(s, small) for s in surpluses))
    assert [surplus for _, surplus, _ in moved(result)] == used
    assert lines(result) == {deficit: 1 - small * len(used)}
    assert result.report.offset_on_site == small * len(used)


def test_a_medium_loss_takes_the_lowest_eligible_band_first():
    """METRIC.md's example: highest first (the legacy order) lets the grassland loss take
    the orchard surplus the scrub loss needed, while a grassland surplus sits unused."""
    site = (
        row("Grassland - Traditional orchards", 1),
        row("Grassland - Other lowland acid grassland", 1),
        row("Grassland - Other neutral grassland", -1),
        row("Heathland and shrub - Mixed scrub", -1),
    )
    ours = offset(AREA, *site)
    assert lines(ours) == {}
    assert moved(ours) == [
        ("Grassland - Other neutral grassland", "Grassland - Other lowland acid grassland", 1),
        ("Heathland and shrub - Mixed scrub", "Grassland - Traditional orchards", 1),
    ]


def test_the_legacy_highest_band_first_order_would_leave_the_scrub_loss_short(monkeypatch):
    monkeypatch.setattr(offsetting, "surplus_priority", lambda band, left, i: (-band, -left, i))
    site = (
        row("Grassland - Traditional orchards", 1),
        row("Grassland - Other lowland acid grassland", 1),
        row("Grassland - Other neutral grassland", -1),
        row("Heathland and shrub - Mixed scrub", -1),
    )
    assert lines(offset(AREA, *site)) == {"Heathland and shrub - Mixed scrub": 1}


def test_deficits_are_served_highest_band_first():
    site = (
        row("Species-rich native hedgerow with trees - associated with bank or ditch", "0.5"),
        row("Species-rich native hedgerow with trees", "-0.5"),
        row("Native hedgerow", "-0.5"),
    )
    result = offset(HEDGEROW, *site)
    assert lines(result) == {"Native hedgerow": F("0.5")}
    assert moved(result)[0][0] == "Species-rich native hedgerow with trees"


GARDEN, SHRUB, SCRUB = (
    "Urban - Vegetated garden",
    "Urban - Introduced shrub",
    "Heathland and shrub - Mixed scrub",
)


@pytest.mark.parametrize(
    ("surpluses", "first"),
    [
        pytest.param([(GARDEN, "1"), (SHRUB, "1")], GARDEN, id="same band and amount: sheet order"),
        pytest.param([(GARDEN, "1"), (SHRUB, "2")], SHRUB, id="same band: the larger amount first"),
        pytest.param([(SCRUB, "5"), (SHRUB, "1")], SHRUB, id="a lower band before a larger amount"),
    ],
)
def test_ties_between_surpluses(surpluses, first):
    result = offset(
        AREA, row("Grassland - Modified grassland", "-0.5"), *(row(*s) for s in surpluses)
    )
    assert moved(result) == [("Grassland - Modified grassland", first, F("0.5"))]


def test_ties_between_deficits_go_by_sheet_order():
    site = (
        row("Cropland - Cereal crops", "-1"),
        row("Grassland - Modified grassland", "-1"),
        row("Urban - Vegetated garden", "1.5"),
    )
    assert lines(offset(AREA, *site)) == {"Grassland - Modified grassland": F("0.5")}


def test_one_deficit_takes_several_surpluses_and_every_transfer_is_recorded():
    site = (
        row("Grassland - Modified grassland", "-2"),
        row("Urban - Vegetated garden", "0.5"),
        row("Urban - Introduced shrub", "0.75"),
        row("Heathland and shrub - Mixed scrub", "3"),
    )
    result = offset(AREA, *site)
    assert moved(result) == [
        ("Grassland - Modified grassland", "Urban - Introduced shrub", F("0.75")),
        ("Grassland - Modified grassland", "Urban - Vegetated garden", F("0.5")),
        ("Grassland - Modified grassland", "Heathland and shrub - Mixed scrub", F("0.75")),
    ]
    assert result.report.offset_on_site == 2 and lines(result) == {}
    left = {b.band: b.units for b in result.report.surplus_after_offsetting}
    assert left == {Band.V_HIGH: 0, Band.HIGH: 0, Band.MEDIUM: F("2.25"), Band.LOW: 0}


def test_a_hedgerow_v_low_loss_becomes_a_line_when_nothing_offsets_it():
    result = offset(HEDGEROW, row("Non-native and ornamental hedgerow", "-0.3"))
    assert [(ln.habitat_name, ln.units, ln.band) for ln in result.lines] == [
        ("Non-native and ornamental hedgerow", F("0.3"), Band.V_LOW)
    ]


def test_an_area_v_low_loss_is_reported_never_a_line():
    v_low = FACTS.habitat("Urban - Developed land; sealed surface")
    loss = MetricRow(v_low.name, Band.V_LOW, F(-2), v_low, v_low.broad_habitat)
    result = offset(AREA, loss, row("Urban - Vegetated garden", 5))
    assert lines(result) == {} and moved(result) == []
    assert [(r.habitat_name, r.code) for r in result.report.refused] == [(v_low.name, "v_low")]


def test_an_irreplaceable_loss_is_reported_with_a_warning_never_a_line():
    result = offset(
        AREA, row("Wetland - Blanket bog", "-0.5"), row("Wetland - Fens (upland and lowland)", 1)
    )
    assert lines(result) == {}
    assert result.report.refused[0].code == "irreplaceable"
    assert "bespoke compensation" in str(result.warnings[0])


def test_an_unknown_hedgerow_label_goes_to_the_net_gain_line_with_a_warning():
    result = offset(
        HEDGEROW,
        unknown("Mixed native and non-native hedgerow", Band.LOW, "-0.4"),
        row("Native hedgerow", "-0.2"),
        baseline="3",
    )
    assert lines(result) == {
        "Native hedgerow": F("0.2"),
        "Net Gain (hedgerow)": F("0.4") + F("0.3"),
    }
    warning = result.warnings[0]
    assert warning.label == "Mixed native and non-native hedgerow" and warning.band is Band.LOW
    assert "Net Gain" in warning.message


def test_an_unknown_label_trades_by_the_band_of_its_block():
    offset_fully = offset(
        HEDGEROW,
        unknown("Mixed native and non-native hedgerow", Band.LOW, "-0.4"),
        unknown("Hedge of the future", Band.MEDIUM, "1"),
    )
    assert lines(offset_fully) == {}
    assert moved(offset_fully) == [
        ("Mixed native and non-native hedgerow", "Hedge of the future", F("0.4"))
    ]
    assert len(offset_fully.warnings) == 2  # the loss and the surplus, each named


@pytest.mark.parametrize(
    ("target", "net_gain", "left"),
    [("0", None, "0.5"), ("0.1", "0.5", "0"), ("0.2", "1.5", "0")],
    ids=["target 0", "target 10%", "target 20%"],
)
def test_the_net_gain_line_is_baseline_times_target_less_the_surplus_left(target, net_gain, left):
    result = offset(
        AREA, row("Heathland and shrub - Mixed scrub", "0.5"), baseline="10", target=target
    )
    assert lines(result).get("Net Gain (area)") == (F(net_gain) if net_gain else None)
    assert result.report.requirement == 10 * F(target)
    assert {b.band: b.units for b in result.report.surplus_left}[Band.MEDIUM] == F(left)


def test_the_surplus_left_counts_towards_net_gain_highest_band_first():
    site = (row("Wetland - Reedbeds", "0.3"), row("Urban - Vegetated garden", "1"))
    result = offset(AREA, *site, baseline="5", target="0.1")
    left = {b.band: b.units for b in result.report.surplus_left}
    assert left[Band.HIGH] == 0 and left[Band.LOW] == F("0.8") and lines(result) == {}


def test_a_zero_baseline_needs_no_net_gain_line():
    result = offset(WATERCOURSE, row("Ditches", "-0.2"), baseline="0", target="0.1")
    assert lines(result) == {"Ditches": F("0.2")}
    assert result.report.requirement == 0 and result.report.net_gain_units == 0


def test_off_site_units_already_entered_count_in_the_project_wide_change():
    """The change read is on-site + off-site; the requirement uses the on-site baseline only."""
    on_site, off_site = F(-2), F("1.5")
    result = offset(
        AREA, row("Grassland - Other neutral grassland", on_site + off_site), baseline="8"
    )
    assert lines(result) == {
        "Grassland - Other neutral grassland": F("0.5"),
        "Net Gain (area)": F("0.8"),
    }


@pytest.mark.parametrize(
    ("residual", "is_line"), [("0.0001", False), ("0.00011", True)], ids=["0.0001", "above"]
)
def test_residuals_become_lines_only_above_one_ten_thousandth(residual, is_line):
    result = offset(AREA, row("Grassland - Modified grassland", F(0) - F(residual)))
    assert bool(result.lines) is is_line
    assert result.report.residual_deficit_units == (F(residual) if is_line else 0)


def test_nothing_is_ever_traded_across_unit_types():
    area = offset(AREA, row("Grassland - Modified grassland", "-1"))
    hedge = offset(HEDGEROW, row("Native hedgerow", "5"))
    assert lines(area) == {"Grassland - Modified grassland": 1} and lines(hedge) == {}
