"""A re-quoted quote's on-site record gives the totals the re-quote priced:
what the screen shows is what is saved, exported and printed, on new prices
as on the same ones."""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction

import openpyxl
import pytest

from bng_desktop.cli import main
from bng_desktop.core.onsite_plan import OnSiteMode, OnSiteRecord, describe_onsite
from bng_desktop.core.result import Quote, QuoteRequest
from bng_desktop.core.rounding import format_money
from bng_desktop.workspace import Workspace
from tests.core.engine_builders import MODIFIED, SITE, demand
from tests.test_impact import priced_workspace, reference

SAVING = Fraction(1_500)
"""What the saved quote recorded optimising together would have saved."""


@pytest.fixture
def workspace(tmp_path):
    with priced_workspace(tmp_path) as ws:
        yield ws


def save_with_onsite(ws: Workspace, mode: OnSiteMode) -> str:
    """A quote as the metric preview records it: the mode and both totals priced."""
    asked = QuoteRequest(SITE, demand((MODIFIED, 1)))
    priced = ws.quote(asked).totals.total
    ordered, together = (
        (priced, priced - SAVING) if mode is OnSiteMode.METRIC_ORDER else (priced + SAVING, priced)
    )
    record = OnSiteRecord(mode, (), metric_order_total=ordered, optimised_total=together)
    made = ws.quote(QuoteRequest(SITE, asked.demand, onsite=record))
    return ws.save_quote(made, client_name="Acme Homes").reference


def dearer(ws: Workspace) -> int:
    newer = reference(l1_price=15_000, l2_hedge_price=20_000, l3_stock=True)
    return ws.references.import_data(newer, "test").version_id


def shown(quote: Quote) -> str:
    """The quote's total as the screen and its documents give it."""
    return format_money(quote.totals.display_total)


@pytest.mark.parametrize("mode", list(OnSiteMode))
def test_a_re_quote_on_new_prices_records_its_own_total_not_the_old_ones(workspace, mode):
    saved = workspace.quotes.get(save_with_onsite(workspace, mode))
    dearer(workspace)
    again = workspace.requote(saved.reference)
    record = again.request.onsite
    assert again.totals.total > saved.quote.totals.total
    this_way = (
        record.metric_order_total if mode is OnSiteMode.METRIC_ORDER else record.optimised_total
    )
    other_way = (
        record.optimised_total if mode is OnSiteMode.METRIC_ORDER else record.metric_order_total
    )
    assert (record.mode, this_way, other_way) == (mode, again.totals.total, None)
    said = describe_onsite(record, again.totals.display_total)
    assert shown(again) in said
    assert shown(saved.quote) not in said
    assert "not priced again" in said


def test_a_re_quote_on_the_same_prices_keeps_the_comparison_whole(workspace):
    saved = workspace.quotes.get(save_with_onsite(workspace, OnSiteMode.OPTIMISED_TOGETHER))
    workspace.cache.clear()
    again = workspace.requote(saved.reference)
    assert again.request.onsite == saved.quote.request.onsite
    assert again.totals.total == again.request.onsite.optimised_total


def details(path) -> dict[str, object]:
    sheet = openpyxl.load_workbook(path, read_only=True)["Details"]
    return {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}


def test_the_saved_revision_exports_and_prints_the_re_quotes_totals(workspace, tmp_path, capsys):
    base = save_with_onsite(workspace, OnSiteMode.OPTIMISED_TOGETHER)
    saved = workspace.quotes.get(base).quote
    dearer(workspace)
    data_dir = ["--data-dir", str(workspace.paths.data_dir), "--quiet"]
    assert main([*data_dir, "history", "requote", base, "--save", "--json", "-"]) == 0
    printed = json.loads(capsys.readouterr().out)
    revision = workspace.quotes.get(f"{base}.1").quote
    new_total = revision.totals.total
    assert revision.request.onsite.optimised_total == new_total != saved.totals.total
    assert printed["onsite"]["optimised_total"] == float(new_total)
    assert printed["onsite"]["metric_order_total"] is None
    assert printed["onsite"]["repriced_alone"] is True
    written = workspace.export_quote(f"{base}.1", tmp_path / "revision.xlsx")
    both_ways = str(details(written.path)["On-site offsetting: both ways"])
    assert shown(revision) in both_ways and shown(saved) not in both_ways
    assert main([*data_dir, "history", "show", f"{base}.1"]) == 0
    history = capsys.readouterr().out
    assert shown(revision) in history and shown(saved) not in history


@pytest.mark.parametrize("mode", list(OnSiteMode))
def test_this_quotes_way_is_given_as_its_headline_shows_it(mode):
    """The exact total rounds to £122,770; the lines as shown add up to £122,771."""
    exact, other = Fraction("122769.6"), Fraction(110_000)
    ordered, together = (exact, other) if mode is OnSiteMode.METRIC_ORDER else (other, exact)
    record = OnSiteRecord(mode, (), metric_order_total=ordered, optimised_total=together)
    said = describe_onsite(record, 122_771)
    assert "£122,771 + VAT" in said and "£122,770" not in said
    repriced = describe_onsite(dataclasses.replace(record, repriced_alone=True), 122_771)
    assert "£122,771 + VAT" in repriced and "£122,770" not in repriced
