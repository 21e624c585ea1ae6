"""On-site and off-site optimised together (core/joint_offsetting.py,
core/onsite_choice.py) on hand-worked sites: where the metric's order buys
the dearer deficit, where nothing is contested, and what the quote keeps."""

from __future__ import annotations

import json
from fractions import Fraction as F

import openpyxl

from bng_desktop.core.bands import Band, UnitType
from bng_desktop.core.joint_offsetting import joint_plan, metric_plan
from bng_desktop.core.metric import MetricImport, MetricWorkbook, import_metric_workbook
from bng_desktop.core.model import StockLine
from bng_desktop.core.offsetting import Ledger, MetricRow
from bng_desktop.core.onsite_choice import compare_onsite
from bng_desktop.core.onsite_plan import OnSiteMode, OnSiteTransfer, compare_text
from bng_desktop.core.policy import Policy
from bng_desktop.core.quote import make_quote
from bng_desktop.core.result import QuoteRequest
from bng_desktop.io.excel_quote import write_quote_workbook
from bng_desktop.store.codec import dumps, quote_from_dict, quote_to_dict

from .engine_builders import (
    LOCAL_BANK,
    MODIFIED,
    NEUTRAL,
    ORCHARD,
    SCRUB,
    SITE,
    habitat,
    prices_for,
    snapshot,
)

AREA_BANDS = (Band.V_HIGH, Band.HIGH, Band.MEDIUM, Band.LOW)


def row(name: str, change: F | int | str) -> MetricRow:
    found = habitat(name)
    return MetricRow(found.name, found.band, F(change), found, found.broad_habitat)


def site_metric(*rows: MetricRow, baseline: str = "10", target: str = "0.1") -> MetricImport:
    ledger = Ledger(UnitType.AREA, AREA_BANDS, rows, F(baseline), F(target))
    workbook = MetricWorkbook("4.1", "1.0.3", "Excel", (ledger,), "Yes ✓")
    return import_metric_workbook(workbook, "site.xlsx", "0" * 64)


def bank(prices: dict[str, int], stock: str = "5"):
    return snapshot(
        banks=(LOCAL_BANK,),
        stock=tuple(
            StockLine(f"S{n}", LOCAL_BANK.bank_id, name, F(stock)) for n, name in enumerate(prices)
        ),
        prices=tuple(row for name, p in prices.items() for row in prices_for("L", name, p)),
    )


PRICES = {NEUTRAL: 20_000, SCRUB: 30_000, MODIFIED: 10_000}

# Neutral grassland (Medium) and mixed scrub (Medium, another group) both lost;
# 1.5 units of orchard (High) gained: either loss may take it. The metric
# serves neutral grassland first (sheet order within the band).
CONTESTED = (row(NEUTRAL, -1), row(SCRUB, -1), row(ORCHARD, "1.5"))


def both(snap, imported, policy: Policy | None = None, suo: bool = True):
    request = QuoteRequest(SITE, (), policy or Policy())
    return compare_onsite(snap, request, imported, lambda r: make_quote(snap, r), suo=suo)


def test_the_metrics_order_buys_the_dearer_loss():
    """Sequential: orchard 1 → neutral, 0.5 → scrub; buy scrub 0.5 × £30,000 and
    Net Gain 1 (10 × 10%) × £10,000 (modified grassland) = £25,000 + £500 admin."""
    imported = site_metric(*CONTESTED)
    plan = metric_plan(imported)
    assert {(ln.habitat_name, ln.units) for ln in plan.lines} == {
        (SCRUB, F(1, 2)),
        ("Net Gain (area)", F(1)),
    }
    compared = both(bank(PRICES), imported)
    assert compared.metric_order.total == F(25_500)


def test_optimised_together_gives_the_surplus_to_the_dearer_loss():
    """Joint: orchard 1 → scrub, 0.5 → neutral; buy neutral 0.5 × £20,000 and
    Net Gain 1 × £10,000 = £20,000 + £500 admin: £5,000 less."""
    imported = site_metric(*CONTESTED)
    snap = bank(PRICES)
    plan = joint_plan(snap, SITE, Policy(), imported)
    assert plan is not None and plan.mode is OnSiteMode.OPTIMISED_TOGETHER
    assert set(plan.transfers) == {
        OnSiteTransfer(UnitType.AREA, ORCHARD, Band.HIGH, SCRUB, Band.MEDIUM, F(1)),
        OnSiteTransfer(UnitType.AREA, ORCHARD, Band.HIGH, NEUTRAL, Band.MEDIUM, F(1, 2)),
    }
    assert {(ln.habitat_name, ln.units) for ln in plan.lines} == {
        (NEUTRAL, F(1, 2)),
        ("Net Gain (area)", F(1)),
    }
    assert abs(plan.model_cost - 20_000) < 1e-6
    compared = both(snap, imported)
    assert compared.optimised.total == F(20_500)
    assert compared.saving == F(5_000)


def test_the_quote_keeps_the_mode_every_transfer_and_both_totals():
    imported = site_metric(*CONTESTED)
    compared = both(bank(PRICES), imported)
    quote = compared.optimised.quote
    onsite = quote.request.onsite
    assert onsite.mode is OnSiteMode.OPTIMISED_TOGETHER
    assert sum(t.units for t in onsite.transfers) == F(3, 2)
    assert (onsite.metric_order_total, onsite.optimised_total) == (F(25_500), F(20_500))
    ordered = compared.metric_order.quote.request.onsite
    assert ordered.mode is OnSiteMode.METRIC_ORDER
    assert [(t.deficit, t.units) for t in ordered.transfers] == [(NEUTRAL, 1), (SCRUB, F(1, 2))]
    again = quote_from_dict(json.loads(dumps(quote_to_dict(quote))))
    assert again.request.onsite == onsite


def test_when_the_prices_favour_the_metrics_order_nothing_changes():
    """Neutral grassland dearer than scrub: the metric's order is already cheapest,
    and the optimised answer keeps its transfers and its total."""
    imported = site_metric(*CONTESTED)
    compared = both(bank({NEUTRAL: 30_000, SCRUB: 20_000, MODIFIED: 10_000}), imported)
    assert compared.saving == 0
    assert compared.optimised.plan.transfers == compared.metric_order.plan.transfers
    assert compared.optimised.total == F(20_500)


def test_a_small_bank_can_sell_what_the_site_leaves_of_a_loss():
    """The scrub bank holds 0.5 units: the whole 1-unit loss could never be bought
    there, but with the orchard covering half of it, it can."""
    imported = site_metric(row(SCRUB, -1), row(ORCHARD, "0.5"), baseline="0")
    snap = snapshot(
        banks=(LOCAL_BANK,),
        stock=(StockLine("S1", "L", SCRUB, F(1, 2)),),
        prices=prices_for("L", SCRUB, 30_000),
    )
    compared = both(snap, imported)
    assert compared.metric_order.total == compared.optimised.total == F(15_500)


def test_surplus_the_joint_answer_leaves_counts_for_net_gain_and_suo():
    """Orchard 3: joint and sequential both cover both losses (1 + 1) and leave
    1 unit of High surplus, which meets the Net Gain requirement (1): nothing to buy."""
    imported = site_metric(row(NEUTRAL, -1), row(SCRUB, -1), row(ORCHARD, "3"))
    plan = joint_plan(bank(PRICES), SITE, Policy(), imported)
    assert plan is not None and plan.lines == () and plan.eligible_surplus == 0
    compared = both(bank(PRICES), imported)
    assert compared.metric_order.quote is None and "nothing to buy" in compared.optimised.problem


def test_the_excel_details_name_the_mode_both_totals_and_each_transfer(tmp_path):
    compared = both(bank(PRICES), site_metric(*CONTESTED))
    path = write_quote_workbook(compared.optimised.quote, tmp_path / "q.xlsx", reference="R")
    rows = list(openpyxl.load_workbook(path)["Details"].iter_rows(max_col=2, values_only=True))
    details = dict(rows)
    assert details["On-site offsetting"] == "optimised together"
    assert details["On-site offsetting: both ways"].startswith(
        "Offsetting as the metric does: £25,500 + VAT; optimised together: £20,500 + VAT "
        "(£5,000 less)."
    )
    moved = sorted(value for key, value in rows if key == "On-site transfer")
    assert moved == [
        f"{ORCHARD} (High) → {NEUTRAL} (Medium): 0.50",
        f"{ORCHARD} (High) → {SCRUB} (Medium): 1.00",
    ]


def test_the_saving_is_the_difference_of_the_two_totals_as_shown():
    """£124,004.40 and £122,769.60 are shown as £124,004 and £122,770: the
    saving a reader works out from them is £1,234, not the exact £1,234.80."""
    said = compare_text(F("124004.4"), F("122769.6"))
    assert said == (
        "Offsetting as the metric does: £124,004 + VAT; optimised together: £122,770 + VAT "
        "(£1,234 less)."
    )
    assert "less" not in compare_text(F("100.2"), F("99.9")), "£100 and £100"
