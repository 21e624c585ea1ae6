"""The client report: layout rules of the legacy table, with its defects fixed."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bng_desktop.core.allocation_table import allocation_rows
from bng_desktop.core.bands import Tier, UnitType
from bng_desktop.core.report import (
    ADMIN_FEE_LABEL,
    COLUMNS,
    SUO_LABEL,
    VAT_NOTE,
    RowCategory,
    client_report,
    net_gain_label,
)
from bng_desktop.core.rounding import display_money
from tests.factories import make_line, make_paired_line, make_quote, with_demand, with_suo

F = Fraction
MEADOW = "Grassland - Other neutral grassland"
MODIFIED = "Grassland - Modified grassland"
SCRUB = "Heathland and shrub - Mixed scrub"
WATERCOURSES = "Watercourse Habitats"


def only_row(quote):
    (row,) = client_report(quote).rows
    return row


def labels(report):
    return [(row.demand_distinctiveness, row.habitats_lost) for row in report.rows]


# --- rounding ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit_price", "shown"),
    [
        (F(12525), 12550),
        (F("12524.99"), 12500),
        (F(12625), 12650),  # banker's rounding would give 12,600
        (F(12575), 12600),
        (F(25), 50),
        (F("24.99"), 0),
        (F(20000), 20000),
    ],
)
def test_price_per_unit_is_rounded_to_50_pounds_half_up(unit_price, shown):
    row = only_row(make_quote((make_line(units=F(1), unit_price=unit_price),)))
    assert row.price_per_unit == shown


@pytest.mark.parametrize(
    ("units", "unit_price", "cost"),
    [
        (F(1), F("1234.5"), 1235),  # banker's rounding would give 1,234
        (F(1), F("1234.49"), 1234),
        (F(1, 3), F(20000), 6667),
        (F(2, 3), F(20000), 13333),
    ],
)
def test_cost_is_rounded_to_the_pound_half_up(units, unit_price, cost):
    assert only_row(make_quote((make_line(units=units, unit_price=unit_price),))).cost == cost


@pytest.mark.parametrize(
    ("units", "text"),
    [
        (F(3, 2), "1.50"),
        (F(2), "2.00"),
        (F(1, 3), "0.333"),
        (F(2, 3), "0.667"),
        (F("1.2345"), "1.235"),
        (F("0.0005"), "0.001"),
        (F("12.25"), "12.25"),
    ],
)
def test_units_shown_with_two_to_three_decimals(units, text):
    row = only_row(make_quote((make_line(units=units),)))
    assert (row.units_lost_text, row.units_supplied_text) == (text, text)


# --- Net Gain labels and bundling -------------------------------------------


@pytest.mark.parametrize(
    ("unit_type", "demand_name", "lost", "section"),
    [
        (UnitType.AREA, "Net Gain (area)", "Any", "Area Habitats"),
        (UnitType.AREA, "Net Gain (Low-equivalent)", "Any", "Area Habitats"),
        (UnitType.HEDGEROW, "Net Gain (hedgerow)", "Any (Hedgerows)", "Hedgerow Habitats"),
        (UnitType.WATERCOURSE, "Net Gain (watercourse)", "Any (Watercourses)", WATERCOURSES),
        (UnitType.WATERCOURSE, "Net Gain (Watercourses)", "Any (Watercourses)", WATERCOURSES),
    ],
)
def test_net_gain_lines_are_labelled_for_their_unit_type(unit_type, demand_name, lost, section):
    line = make_line(0, demand_name, "Supplied habitat", unit_type=unit_type, demand_band="")
    report = client_report(make_quote((line,)))
    (only,) = report.sections
    assert only.title == section
    row = only.rows[0]
    assert (row.demand_distinctiveness, row.habitats_lost) == ("Net Gain", lost)
    assert row.category is RowCategory.NET_GAIN
    assert row.habitats_supplied == "Supplied habitat"


def test_net_gain_label_shows_the_metric_target_when_known():
    targets = {UnitType.AREA: F(1, 10), UnitType.HEDGEROW: F(3, 20)}
    assert net_gain_label(UnitType.AREA, targets) == "10% Net Gain"
    assert net_gain_label(UnitType.HEDGEROW, targets) == "15% Net Gain"
    assert net_gain_label(UnitType.WATERCOURSE, targets) == "Net Gain"
    assert net_gain_label(UnitType.AREA, None) == "Net Gain"


def test_low_and_net_gain_with_the_same_supply_merge_into_one_row():
    low = make_line(0, MODIFIED, MEADOW, F(1, 3), F(20000))
    ng = make_line(1, "Net Gain (area)", MEADOW, F(1, 3), F(21000), demand_band="")
    quote = make_quote((low, ng))
    report = client_report(quote, net_gain_targets={UnitType.AREA: F(1, 10)})
    (row,) = report.rows
    assert row.category is RowCategory.LOW_NET_GAIN
    assert row.demand_distinctiveness == "Low + 10% Net Gain"
    assert row.habitats_lost == MODIFIED
    assert row.habitats_supplied == MEADOW
    assert row.units_lost == row.units_supplied == F(2, 3)
    assert row.price_per_unit == 20500  # (6,666.67 + 7,000) / (2/3) = 20,500
    # the sum of the constituent lines as shown, not the rounding of the sum
    assert row.cost == display_money(low.cost) + display_money(ng.cost) == 6667 + 7000
    assert row.line_positions == (0, 1)
    assert report.total == quote.totals.display_total


def test_merged_row_cost_is_the_sum_of_shown_costs_not_the_rounded_sum():
    low = make_line(0, MODIFIED, MEADOW, F(1, 3), F(20000))
    ng = make_line(1, "Net Gain (area)", MEADOW, F(1, 3), F(20000), demand_band="")
    row = only_row(make_quote((low, ng)))
    assert display_money(low.cost + ng.cost) == 13333
    assert row.cost == 13334


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        (  # different supply habitat: no bundle
            make_line(1, "Net Gain (area)", SCRUB, demand_band=""),
            ["Low", "Net Gain"],
        ),
        (  # Medium is never bundled
            make_line(1, "Lowland meadows", MEADOW, demand_band="Medium"),
            ["Medium", "Low"],
        ),
        (  # a second Low line alone is no bundle either
            make_line(1, "Cropland - Arable field margins", MEADOW),
            ["Low", "Low"],
        ),
    ],
)
def test_rows_that_do_not_bundle(second, expected):
    low = make_line(0, MODIFIED, MEADOW)
    report = client_report(make_quote((low, second)))
    assert [r.demand_distinctiveness for r in report.rows] == expected


def test_hedgerow_low_and_net_gain_are_not_bundled():
    low = make_line(0, "Native hedgerow", "Native hedgerow", unit_type=UnitType.HEDGEROW)
    ng = make_line(
        1, "Net Gain (hedgerow)", "Native hedgerow", unit_type=UnitType.HEDGEROW, demand_band=""
    )
    report = client_report(make_quote((low, ng)))
    assert labels(report) == [("Low", "Native hedgerow"), ("Net Gain", "Any (Hedgerows)")]


def test_bundle_names_every_low_habitat_lost_once():
    lines = (
        make_line(0, MODIFIED, MEADOW),
        make_line(1, "Cropland - Arable field margins", MEADOW),
        make_line(2, MODIFIED, MEADOW),
        make_line(3, "Net Gain (area)", MEADOW, demand_band=""),
    )
    (row,) = client_report(make_quote(lines)).rows
    assert row.habitats_lost == f"{MODIFIED}, Cropland - Arable field margins"
    assert row.units_supplied == 4
    assert row.line_positions == (0, 1, 2, 3)


# --- rows per demand line ----------------------------------------------------


def test_duplicate_habitat_names_on_two_demand_lines_give_two_rows():
    """Legacy matched rows by name: two lines of one habitat showed four rows."""
    lines = (
        make_line(0, MODIFIED, MEADOW, F(1), demand_band="Medium"),
        make_line(1, MODIFIED, SCRUB, F(2), demand_band="Medium"),
    )
    report = client_report(make_quote(lines))
    assert [(r.habitats_supplied, r.units_lost) for r in report.rows] == [
        (MEADOW, F(1)),
        (SCRUB, F(2)),
    ]


def test_units_lost_come_from_the_demand_line_not_the_supply():
    quote = with_demand(make_quote((make_line(0, units=F(1, 100)),)), F(1, 200))
    row = only_row(quote)
    assert (row.units_lost, row.units_supplied) == (F(1, 200), F(1, 100))


def test_a_split_demand_line_shares_its_units_by_supply():
    lines = (make_line(0, units=F(2)), make_line(0, supply_habitat=SCRUB, units=F(1)))
    quote = with_demand(make_quote(lines), F(3))
    report = client_report(quote)
    assert [r.units_lost for r in report.rows] == [F(2), F(1)]
    assert report.footer[-1].units_lost == F(3)


def test_sections_follow_the_unit_type_never_the_name():
    lines = (
        make_line(0, "Ditches", "Ditches", unit_type=UnitType.WATERCOURSE),
        make_line(1, "Hedge with grassland margin", "Native hedgerow", unit_type=UnitType.HEDGEROW),
        make_line(2, "Watercourse-side grassland", MEADOW),
    )
    report = client_report(make_quote(lines))
    assert [(s.unit_type, s.title, len(s.rows)) for s in report.sections] == [
        (UnitType.AREA, "Area Habitats", 1),
        (UnitType.HEDGEROW, "Hedgerow Habitats", 1),
        (UnitType.WATERCOURSE, "Watercourse Habitats", 1),
    ]


def test_only_sections_with_rows_are_shown():
    line = make_line(0, "Native hedgerow", "Native hedgerow", unit_type=UnitType.HEDGEROW)
    assert [s.title for s in client_report(make_quote((line,))).sections] == ["Hedgerow Habitats"]


# --- paired rows -------------------------------------------------------------


def test_paired_row_names_both_parts_with_shares_at_the_blended_price():
    line = make_paired_line(
        0,
        SCRUB,
        ((SCRUB, F(3, 4), F(30000)), (MODIFIED, F(1, 4), F(10000))),
        F(2),
        supply_band="Medium",
    )
    row = only_row(make_quote((line,)))
    assert row.habitats_supplied == f"{SCRUB} (75%) + {MODIFIED} (25%)"
    assert row.supply_distinctiveness == "Medium"
    assert row.price_per_unit == 25000
    assert row.cost == 50000
    assert row.units_supplied == 2


def test_paired_far_row_with_equal_shares():
    line = make_paired_line(
        0,
        MODIFIED,
        ((MEADOW, F(1, 2), F(20000)), (MODIFIED, F(1, 2), F(15000))),
        tier=Tier.FAR,
        demand_band="Low",
    )
    row = only_row(make_quote((line,)))
    assert row.habitats_supplied == f"{MEADOW} (50%) + {MODIFIED} (50%)"
    assert row.price_per_unit == 17500


# --- sort order and manual lines ----------------------------------------------


def test_sort_order_within_a_section():
    bands = ["V.Low", "Low", "Medium", "", "High", "Low", "Very High", "Medium"]
    lines = [
        make_line(i, f"Habitat {i}", f"Supply {i}", demand_band=b) for i, b in enumerate(bands)
    ]
    lines[3] = make_line(3, "Net Gain (area)", "Supply 1", demand_band="")  # bundles with 1
    lines.append(make_line(None, "Habitat M", "Supply M", kind="manual", demand_band="Medium"))
    lines.append(make_line(None, "Habitat X", "Supply X", kind="manual", demand_band=""))
    report = client_report(make_quote(tuple(reversed(lines))))
    assert labels(report) == [
        ("V.High", "Habitat 6"),
        ("High", "Habitat 4"),
        ("Medium", "Habitat 2"),
        ("Medium", "Habitat 7"),
        ("Medium", "Habitat M"),
        ("Low + Net Gain", "Habitat 1"),
        ("Low", "Habitat 5"),
        ("V.Low", "Habitat 0"),
        ("", "Habitat X"),
    ]


def test_net_gain_sorts_between_low_and_v_low():
    lines = (
        make_line(0, "Habitat V", "Supply V", demand_band="V.Low"),
        make_line(1, "Net Gain (area)", "Supply N", demand_band=""),
        make_line(2, "Habitat L", "Supply L", demand_band="Low"),
    )
    report = client_report(make_quote(lines))
    assert [r.demand_distinctiveness for r in report.rows] == ["Low", "Net Gain", "V.Low"]


def test_manual_lines_are_counted_exactly_once():
    """Legacy showed £20,000 + £10,000 as £40,500 incl. the £500 fee."""
    lines = (
        make_line(0, units=F(1), unit_price=F(20000)),
        make_line(None, MODIFIED, MEADOW, F(1), F(10000), kind="manual"),
    )
    quote = make_quote(lines)
    report = client_report(quote)
    assert [r.cost for r in report.rows] == [20000, 10000]
    assert [r.line_positions for r in report.rows] == [(0,), (1,)]
    assert [(f.label, f.amount) for f in report.footer] == [
        (ADMIN_FEE_LABEL, 500),
        ("Total", 30500),
    ]
    assert report.total == quote.totals.display_total == 30500


def test_manual_line_without_bands_is_shown_blank():
    line = make_line(None, "", "Native hedgerow", kind="manual", demand_band="", supply_band="")
    row = only_row(make_quote((line,)))
    assert (row.demand_distinctiveness, row.supply_distinctiveness) == ("", "")
    assert row.units_lost == row.units_supplied == 1


# --- footer -------------------------------------------------------------------


def test_suo_row_is_a_negative_discount_and_the_total_matches():
    lines = (
        make_line(0, units=F(1, 3), unit_price=F(20000)),
        make_line(None, MODIFIED, MEADOW, F(1), F(10000), kind="manual"),
    )
    quote = with_suo(make_quote(lines), F(1, 5))
    report = client_report(quote)
    fee, suo, total = report.footer
    assert (suo.kind, suo.label, suo.detail) == ("suo", SUO_LABEL, "20% discount")
    assert suo.amount == -quote.totals.display_suo_discount == -1333
    assert total.amount == quote.totals.display_total == 6667 + 10000 - 1333 + 500
    assert sum(r.cost for r in report.rows) + fee.amount + suo.amount == total.amount


def test_no_suo_row_without_suo():
    assert [f.kind for f in client_report(make_quote()).footer] == ["admin_fee", "total"]


def test_total_row_carries_demand_and_supply_units():
    lines = (make_line(0, units=F(1, 3)), make_line(1, supply_habitat=SCRUB, units=F(2, 3)))
    total = client_report(make_quote(lines)).footer[-1]
    assert (total.units_lost, total.units_supplied) == (F(1), F(1))


def test_inconsistent_quote_totals_are_refused():
    quote = make_quote()
    broken = dataclasses.replace(
        quote,
        totals=dataclasses.replace(quote.totals, display_total=quote.totals.display_total + 1),
    )
    with pytest.raises(ValueError, match="inconsistent"):
        client_report(broken)


def test_report_carries_the_vat_note_and_legacy_columns():
    report = client_report(make_quote())
    assert report.note == VAT_NOTE == "Prices exclude VAT."
    assert COLUMNS[1] == "Habitats Lost" and COLUMNS[-1] == "Offset Cost"


_band = st.sampled_from(["V.High", "High", "Medium", "Low", "V.Low", "", "NG"])
_unit = st.sampled_from(list(UnitType))
_amount = st.fractions(min_value=F(1, 300), max_value=F(50), max_denominator=300)
_price = st.fractions(min_value=F(1), max_value=F(60000), max_denominator=100)


@st.composite
def _quotes(draw):
    lines = []
    for index in range(draw(st.integers(min_value=1, max_value=8))):
        band, unit, manual = draw(_band), draw(_unit), draw(st.booleans())
        demand = f"Net Gain ({unit})" if band == "NG" else f"Habitat {index % 3}"
        line = make_line(
            None if manual else index,
            demand,
            draw(st.sampled_from([MEADOW, SCRUB])),
            draw(_amount),
            draw(_price),
            unit_type=unit,
            kind="manual" if manual else "optimiser",
            demand_band="" if band == "NG" else band,
        )
        lines.append(line)
    quote = make_quote(tuple(lines))
    return with_suo(quote, draw(st.fractions(0, F(3, 5)))) if draw(st.booleans()) else quote


@settings(max_examples=150, deadline=None)
@given(_quotes())
def test_rows_always_add_up_to_the_displayed_total(quote):
    report = client_report(quote)
    positions = sorted(p for row in report.rows for p in row.line_positions)
    assert positions == list(range(len(quote.lines)))
    assert sum(row.cost for row in report.rows) == quote.totals.display_subtotal
    assert sum(row.cost for row in report.rows) + sum(f.amount for f in report.footer[:-1]) == (
        report.total
    )
    assert report.total == quote.totals.display_total
    assert report.footer[-1].units_supplied == sum(ln.units_supplied for ln in quote.lines)


# --- allocation table ----------------------------------------------------------


def test_allocation_rows_expand_paired_parts():
    paired = make_paired_line(1, units=F(1))
    manual = make_line(None, MODIFIED, MEADOW, F(2), F(10000), kind="manual")
    rows = allocation_rows(make_quote((make_line(0), paired, manual)))
    assert [(r.position, r.part, r.demand_number, r.kind) for r in rows] == [
        (0, None, 1, "optimiser"),
        (1, None, 2, "optimiser"),
        (1, 0, 2, "optimiser"),
        (1, 1, 2, "optimiser"),
        (2, None, None, "manual"),
    ]
    line, main, companion = rows[1:4]
    assert line.stock_use_text == "B1-S1: 1.00; B1-S2: 0.333"
    assert line.stock_use_total == F(4, 3)
    assert (main.supply_habitat, main.share, main.units_supplied) == (SCRUB, F(3, 4), F(3, 4))
    assert (companion.unit_price, companion.cost) == (F(10000), F(2500))
    assert main.cost + companion.cost == line.cost == F(25000)
    assert main.stock_use_text == "B1-S1: 1.00"
    assert companion.stock_use_text == "B1-S2: 0.333"
    assert line.tier == "adjacent" and rows[0].tier == "local"


def test_allocation_rows_keep_exact_figures():
    (row,) = allocation_rows(make_quote((make_line(units=F(1, 3), unit_price=F("20000.01")),)))
    assert row.cost == F(1, 3) * F("20000.01")
    assert row.unit_price == F("20000.01")
    assert not row.is_part and row.share is None
