"""Manual adjustments, the surplus uplift offset (SUO) and totals."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from bng_desktop.core.adjust import ManualEntry, add_manual_line, remove_line
from bng_desktop.core.bands import Tier, UnitType
from bng_desktop.core.errors import DemandError
from bng_desktop.core.model import StockLine
from bng_desktop.core.policy import Policy
from bng_desktop.core.result import SuoInfo
from bng_desktop.core.totals import compute_suo, compute_totals
from tests.core.engine_builders import (
    ACID,
    DITCHES,
    MODIFIED,
    NATIVE_HEDGE,
    NEUTRAL,
    RIVERS,
    SCRUB,
    SPECIES_RICH,
    prices_for,
    quote,
    snapshot,
)
from tests.factories import make_line

F = Fraction

SNAP = snapshot(
    stock=[
        StockLine("L-1", "L", NEUTRAL, F(100)),
        StockLine("L-2", "L", ACID, F(100)),
    ],
    prices=prices_for("L", NEUTRAL, 20000) + prices_for("L", ACID, 30000),
)


def base_quote(units="1", **kwargs):
    """One optimiser line: `units` of Modified grassland met by Other neutral at £20,000."""
    return quote(SNAP, [(MODIFIED, units)], **kwargs)


SIMPLE = ManualEntry(UnitType.AREA, MODIFIED, SCRUB, F(1), F(10000), bank_name="Other bank")
PAIRED = ManualEntry(
    UnitType.AREA,
    NEUTRAL,
    NEUTRAL,
    F(2),
    F(25000),
    bank_name="Other bank",
    tier=Tier.FAR,
    companion_habitat=ACID,
    main_share=F(1, 2),
)
HEDGEROW = ManualEntry(UnitType.HEDGEROW, NATIVE_HEDGE, SPECIES_RICH, F("0.5"), F(18000))
WATERCOURSE = ManualEntry(UnitType.WATERCOURSE, DITCHES, DITCHES, F("0.25"), F(40000))


# --- manual lines ------------------------------------------------------------


def test_manual_line_is_counted_once_in_the_total():
    # The old tool counted manual lines twice [fix].
    q = add_manual_line(base_quote(), SIMPLE)
    t = q.totals
    assert (t.optimiser_cost, t.manual_cost, t.subtotal) == (20000, 10000, 30000)
    assert (t.admin_fee, t.total, t.display_total) == (500, 30500, 30500)


@pytest.mark.parametrize(
    ("entry", "unit_type", "cost", "supply"),
    [
        (SIMPLE, UnitType.AREA, F(10000), SCRUB),
        (PAIRED, UnitType.AREA, F(50000), f"{NEUTRAL} + {ACID}"),
        (HEDGEROW, UnitType.HEDGEROW, F(9000), SPECIES_RICH),
        (WATERCOURSE, UnitType.WATERCOURSE, F(10000), DITCHES),
    ],
    ids=["simple area", "paired area", "hedgerow", "watercourse"],
)
def test_manual_line_added(entry, unit_type, cost, supply):
    before = base_quote()
    q = add_manual_line(before, entry)
    assert q.lines[:-1] == before.lines
    line = q.lines[-1]
    assert (line.kind, line.line_id, line.demand_index) == ("manual", "man-1", None)
    assert (line.unit_type, line.supply_habitat, line.price_source) == (unit_type, supply, "manual")
    assert line.cost == cost
    assert q.manual_lines == (line,)
    assert q.totals.manual_cost == cost
    assert q.totals.total == 20000 + cost + 500
    assert q.totals.display_total == 20000 + cost + 500


def test_manual_paired_line_parts_follow_shares_and_srm():
    line = add_manual_line(base_quote(), PAIRED).lines[-1]
    assert line.paired
    assert [(p.habitat_name, p.share, p.stock_use) for p in line.paired_parts] == [
        (NEUTRAL, F(1, 2), F(2)),
        (ACID, F(1, 2), F(2)),
    ]


def test_manual_lines_are_numbered_in_order():
    q = add_manual_line(add_manual_line(base_quote(), SIMPLE), HEDGEROW)
    assert [ln.line_id for ln in q.lines] == ["opt-1", "man-1", "man-2"]
    assert q.totals.total == 20000 + 10000 + 9000 + 500


def test_manual_line_ids_stay_unique_after_a_removal():
    q = add_manual_line(add_manual_line(base_quote(), SIMPLE), HEDGEROW)  # man-1, man-2
    q = add_manual_line(remove_line(q, "man-1"), WATERCOURSE)
    ids = [ln.line_id for ln in q.lines]
    assert len(ids) == len(set(ids)), ids
    after = remove_line(q, "man-2")
    assert [ln.supply_habitat for ln in after.manual_lines] == [DITCHES]


# --- removing lines ----------------------------------------------------------


def test_remove_manual_line_restores_the_totals():
    before = base_quote()
    q = remove_line(add_manual_line(before, SIMPLE), "man-1")
    assert q.lines == before.lines
    assert q.totals == before.totals


def test_remove_optimiser_line():
    q = remove_line(add_manual_line(base_quote(), SIMPLE), "opt-1")
    assert [ln.line_id for ln in q.lines] == ["man-1"]
    t = q.totals
    assert (t.optimiser_cost, t.manual_cost, t.total, t.display_total) == (0, 10000, 10500, 10500)


def test_remove_unknown_line_is_an_error():
    with pytest.raises(DemandError, match="man-7"):
        remove_line(base_quote(), "man-7")


# --- validation --------------------------------------------------------------

BAD_ENTRIES = [
    ("zero units", dataclasses.replace(SIMPLE, units=F(0)), ["units"]),
    ("negative units", dataclasses.replace(SIMPLE, units=F(-1)), ["units"]),
    ("negative price", dataclasses.replace(SIMPLE, unit_price=F(-5)), ["price"]),
    ("blank habitat lost", dataclasses.replace(SIMPLE, demand_habitat="  "), ["habitat lost"]),
    (
        "blank habitat supplied",
        dataclasses.replace(SIMPLE, supply_habitat=""),
        ["habitat supplied"],
    ),
    (
        "companion on a hedgerow line",
        dataclasses.replace(HEDGEROW, companion_habitat=SPECIES_RICH, main_share=F(1, 2)),
        ["companion"],
    ),
    (
        "companion on a watercourse line",
        dataclasses.replace(WATERCOURSE, companion_habitat=RIVERS, main_share=F(1, 2)),
        ["companion"],
    ),
    ("pair without a share", dataclasses.replace(PAIRED, main_share=None), ["share"]),
    ("pair with share 1", dataclasses.replace(PAIRED, main_share=F(1)), ["share"]),
    (
        "several problems at once",
        dataclasses.replace(SIMPLE, units=F(0), unit_price=F(-1), demand_habitat=""),
        ["habitat lost", "units", "price"],
    ),
]


@pytest.mark.parametrize(
    ("entry", "fields"), [row[1:] for row in BAD_ENTRIES], ids=[row[0] for row in BAD_ENTRIES]
)
def test_invalid_manual_line_is_refused_naming_the_field(entry, fields):
    before = base_quote()
    with pytest.raises(DemandError) as caught:
        add_manual_line(before, entry)
    assert [p.column for p in caught.value.problems] == fields
    for field in fields:
        assert f"manual line, {field}: " in str(caught.value)
    assert [ln.line_id for ln in before.lines] == ["opt-1"]
    assert before.totals.total == 20500


def test_free_manual_line_is_allowed():
    q = add_manual_line(base_quote(), dataclasses.replace(SIMPLE, unit_price=F(0)))
    assert q.totals.manual_cost == 0 and q.totals.total == 20500


def test_blank_companion_is_not_a_pair_with_a_blank_habitat():
    entry = dataclasses.replace(SIMPLE, companion_habitat="   ", main_share=F(1, 2))
    try:
        line = add_manual_line(base_quote(), entry).lines[-1]
    except DemandError as error:
        assert [p.column for p in error.problems] == ["companion"]
        return
    assert all(p.habitat_name.strip() for p in line.paired_parts)


# --- surplus uplift offset ---------------------------------------------------


@pytest.mark.parametrize(
    ("eligible", "units", "usable", "fraction"),
    [
        ("2", "4", F(1), F(1, 4)),
        ("1", "4", F(1, 2), F(1, 8)),
        ("4.8", "4", F(12, 5), F(3, 5)),
        ("10", "4", F(5), F(3, 5)),
        ("1", "1", F(1, 2), F(1, 2)),
    ],
    ids=["quarter", "eighth", "exactly at the cap", "capped at 60%", "half"],
)
def test_suo_fraction(eligible, units, usable, fraction):
    q = base_quote(units, eligible_surplus=F(eligible))
    suo = q.suo
    assert (suo.eligible_surplus, suo.usable_surplus, suo.units_supplied) == (
        F(eligible),
        usable,
        F(units),
    )
    assert suo.discount_fraction == fraction
    t = q.totals
    assert t.suo_discount == t.optimiser_cost * fraction
    assert t.total == t.subtotal - t.suo_discount + 500
    assert t.admin_fee == 500  # never discounted


@pytest.mark.parametrize("eligible", [None, F(0), F(-1)], ids=["none", "zero", "negative"])
def test_no_suo_without_eligible_surplus(eligible):
    q = base_quote("2", eligible_surplus=eligible)
    assert q.suo is None
    assert q.totals.suo_discount == 0 and q.totals.total == 40500


def test_suo_policy_shares():
    policy = Policy(suo_usable_share=F(1, 4), suo_cap=F(1, 10))
    q = base_quote("4", eligible_surplus=F(1), policy=policy)
    assert (q.suo.usable_surplus, q.suo.discount_fraction) == (F(1, 4), F(1, 16))
    q = base_quote("1", eligible_surplus=F(2), policy=policy)
    assert q.suo.discount_fraction == F(1, 10)


def test_suo_applies_to_optimiser_lines_only_never_manual_lines_or_the_fee():
    q = add_manual_line(base_quote("4", eligible_surplus=F(2)), SIMPLE)
    assert q.suo.units_supplied == 4  # manual units do not dilute the fraction
    assert q.suo.discount_fraction == F(1, 4)
    t = q.totals
    assert t.suo_discount == F(80000) / 4
    assert t.total == 80000 + 10000 - 20000 + 500
    assert t.display_total == 80000 + 10000 - 20000 + 500


def test_suo_is_recomputed_when_an_optimiser_line_is_removed():
    q = quote(SNAP, [(MODIFIED, 2), (NEUTRAL, 2)], eligible_surplus=F(2))
    assert q.suo.discount_fraction == F(1, 4)
    kept = remove_line(q, "opt-2")
    assert kept.suo.units_supplied == 2 and kept.suo.discount_fraction == F(1, 2)
    assert kept.totals.suo_discount == F(40000) / 2


# --- totals: what the client sees adds up -----------------------------------


def _line(cost, kind="optimiser"):
    return make_line(units=F(1), unit_price=F(cost), kind=kind)


TOTALS_CASES = [
    # (id, line costs, fee, SUO fraction, lines as shown, SUO as shown, display total, exact total)
    ("halves up per line", ["100.5", "100.5"], 500, None, [101, 101], 0, 702, F(701)),
    ("down per line", ["100.4", "100.4"], 500, None, [100, 100], 0, 700, F("700.8")),
    ("half a pound", ["0.5"], 300, None, [1], 0, 301, F("300.5")),
    ("banker's would differ", ["2.5", "3.5"], 500, None, [3, 4], 0, 507, F(506)),
    ("with SUO", ["1000.5", "999.5"], 500, F(1, 4), [1001, 1000], 500, 2001, F(2000)),
    ("SUO in thirds", ["333.33", "333.33", "333.34"], 500, F(1, 3), [333] * 3, 333, 1166, None),
]


@pytest.mark.parametrize(
    ("costs", "fee", "fraction", "shown", "shown_suo", "display_total", "exact_total"),
    [row[1:] for row in TOTALS_CASES],
    ids=[row[0] for row in TOTALS_CASES],
)
def test_display_total_is_the_sum_of_lines_as_shown_minus_suo_plus_fee(
    costs, fee, fraction, shown, shown_suo, display_total, exact_total
):
    lines = [_line(c) for c in costs]
    suo = None if fraction is None else SuoInfo(F(1), F(1), F(len(costs)), fraction)
    t = compute_totals(lines, F(fee), suo)
    assert t.display_subtotal == sum(shown)
    assert t.display_suo_discount == shown_suo
    assert t.display_total == display_total == sum(shown) - shown_suo + fee
    if exact_total is not None:
        assert t.total == exact_total
    assert t.subtotal == sum(F(c) for c in costs)  # exact, never rounded


def test_manual_lines_are_in_the_displayed_sum_but_not_discounted():
    lines = [_line("100.5"), _line("50.5", kind="manual")]
    t = compute_totals(lines, F(500), SuoInfo(F(1), F(1), F(1), F(1, 2)))
    assert (t.optimiser_cost, t.manual_cost) == (F("100.5"), F("50.5"))
    assert t.suo_discount == F("50.25")
    assert (t.display_subtotal, t.display_suo_discount, t.display_total) == (152, 50, 602)


def test_compute_suo_counts_optimiser_units_only():
    lines = [
        make_line(units=F(3)),
        make_line(units=F(5), kind="manual"),
    ]
    suo = compute_suo(F(3), lines, Policy())
    assert (suo.units_supplied, suo.usable_surplus, suo.discount_fraction) == (3, F(3, 2), F(1, 2))
    assert compute_suo(F(3), [make_line(units=F(5), kind="manual")], Policy()) is None
