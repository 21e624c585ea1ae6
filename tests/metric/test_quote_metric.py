"""A quote made from a metric workbook: the surplus uplift offset in the totals,
the client report and the Excel quote, and the metric's identity and report
kept with the quote (JSON, history, result cache, Excel Details)."""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction

import openpyxl
import pytest

from bng_desktop.core.bands import Band, UnitType
from bng_desktop.core.model import Site
from bng_desktop.core.report import client_report
from bng_desktop.core.result import QuoteRequest
from bng_desktop.io.excel_quote import write_quote_workbook
from bng_desktop.metric_import import apply_metric, import_metric
from bng_desktop.store.codec import dumps, quote_from_dict, quote_to_dict
from bng_desktop.workspace import Workspace

SITE = Site(lpa="Winchester", nca="South Downs")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    with Workspace.open(tmp_path_factory.mktemp("store")) as opened:
        opened.ensure_reference()
        yield opened


@pytest.fixture
def imported(workbook):
    return import_metric(workbook("1.0.3", 14).workbook)


@pytest.fixture
def quote(workspace, imported):
    return workspace.quote(apply_metric(QuoteRequest(SITE, ()), imported), use_cache=False)


def test_suo_reads_the_area_surplus_left_in_bands_medium_and_above(imported):
    area = imported.source.report(UnitType.AREA)
    medium_up = sum((b.units for b in area.surplus_left if b.band >= Band.MEDIUM), Fraction(0))
    assert medium_up > 0 and imported.eligible_surplus == medium_up


def test_the_quote_totals_carry_the_suo_discount(quote, imported):
    suo = quote.suo
    assert suo is not None and suo.eligible_surplus == imported.eligible_surplus
    assert suo.usable_surplus == suo.eligible_surplus / 2
    assert suo.discount_fraction == min(suo.usable_surplus / suo.units_supplied, Fraction(3, 5))
    totals = quote.totals
    assert totals.suo_discount == totals.optimiser_cost * suo.discount_fraction > 0
    assert totals.total == totals.subtotal - totals.suo_discount + totals.admin_fee


def test_the_client_report_shows_the_suo_row_and_the_metrics_target(quote):
    report = client_report(quote)
    suo = next(row for row in report.footer if row.kind == "suo")
    assert suo.amount == -quote.totals.display_suo_discount and "% discount" in suo.detail
    labels = [row.demand_distinctiveness for row in report.rows]
    assert "10% Net Gain" in labels


def test_the_excel_quote_shows_the_suo_row_and_the_metric(quote, tmp_path):
    path = write_quote_workbook(quote, tmp_path / "quote.xlsx", reference="BNG-A-00001")
    book = openpyxl.load_workbook(path)
    quote_rows = [row for row in book["Quote"].iter_rows(values_only=True) if row[0]]
    suo = next(row for row in quote_rows if str(row[0]).startswith("Surplus uplift offset"))
    assert suo[7] == -quote.totals.display_suo_discount
    details = dict(book["Details"].iter_rows(min_row=2, max_col=2, values_only=True))
    source = quote.request.metric
    assert details["Metric workbook"] == source.file_name
    assert details["Metric SHA-256"] == source.sha256
    assert details["Metric version"] == "4.1" and details["Metric release"] == "1.0.3"
    assert details["Metric: SUO eligible surplus"] == float(source.eligible_surplus)
    assert "Metric area: transfer" in details


def test_a_metric_without_surplus_above_low_gives_no_suo_row(workspace, workbook):
    imported = import_metric(workbook("1.0.3", 5).workbook)
    assert imported.eligible_surplus == 0
    request = apply_metric(QuoteRequest(SITE, ()), imported)
    assert request.eligible_surplus is None


def test_suo_can_be_left_off(workspace, imported):
    request = apply_metric(QuoteRequest(SITE, ()), imported, suo=False)
    made = workspace.quote(request, use_cache=False)
    assert made.suo is None and made.request.metric == imported.source


def test_a_quote_with_its_metric_survives_the_codec(quote):
    again = quote_from_dict(json.loads(dumps(quote_to_dict(quote))))
    assert again == quote
    assert again.request.metric.reports == quote.request.metric.reports


def test_history_keeps_the_metric(workspace, quote):
    saved = workspace.save_quote(quote, client_name="Acme")
    reopened = workspace.quotes.get(saved.reference).quote
    assert reopened.request.metric == quote.request.metric
    assert reopened.request.metric.sha256 == quote.request.metric.sha256


def test_a_cached_answer_carries_this_requests_metric_file(workspace, imported):
    first = workspace.quote(apply_metric(QuoteRequest(SITE, ()), imported))
    renamed = dataclasses.replace(
        imported, source=dataclasses.replace(imported.source, file_name="renamed.xlsx")
    )
    second = workspace.quote(apply_metric(QuoteRequest(SITE, ()), renamed))
    assert second.totals == first.totals
    assert second.request.metric.file_name == "renamed.xlsx"


def test_the_lines_replace_or_follow_the_demand(imported):
    typed = QuoteRequest(SITE, (imported.demand[0],))
    assert apply_metric(typed, imported).demand == imported.demand
    assert apply_metric(typed, imported, append=True).demand == (
        imported.demand[0],
        *imported.demand,
    )
