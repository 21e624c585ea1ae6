"""What a new reference version does to open quotes: re-quoted without
saving, sorted by what needs attention, summarised in one line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from fractions import Fraction

import openpyxl
import pytest

import bng_desktop.workspace as workspace_module
from bng_desktop.cli import main
from bng_desktop.core.impact import ImpactOutcome
from bng_desktop.core.model import Bank, Site, StockLine
from bng_desktop.core.quote import SharedInputs, make_quote
from bng_desktop.core.result import QuoteRequest
from bng_desktop.io.impact_workbook import write_impact_workbook
from bng_desktop.workspace import Workspace
from tests.core.engine_builders import (
    CEREAL,
    MODIFIED,
    NATIVE_HEDGE,
    NEUTRAL,
    SITE,
    demand,
    prices_for,
    snapshot,
)

F = Fraction
BANKS = tuple(Bank(f"L{n}", f"Local {n}", lpa="Winchester", nca="South Downs") for n in (1, 2, 3))


def reference(*, l1_price: int, l2_hedge_price: int, l3_stock: bool):
    stock = [
        StockLine("L1-A", "L1", MODIFIED, F(10)),
        StockLine("L2-A", "L2", CEREAL, F(10)),
        StockLine("L2-H", "L2", NATIVE_HEDGE, F(10)),
    ]
    if l3_stock:
        stock.append(StockLine("L3-A", "L3", NEUTRAL, F(10)))
    prices = (
        *prices_for("L1", MODIFIED, l1_price),
        *prices_for("L2", CEREAL, 12_000),
        *prices_for("L2", NATIVE_HEDGE, l2_hedge_price),
        *prices_for("L3", NEUTRAL, 20_000),
    )
    return snapshot(banks=BANKS, stock=stock, prices=prices).data


@contextmanager
def priced_workspace(tmp_path) -> Iterator[Workspace]:
    """A store holding this file's priced reference (hedgerow and L3's stock in)."""
    with Workspace.open(tmp_path / "data") as ws:
        ws.references.import_data(
            reference(l1_price=10_000, l2_hedge_price=20_000, l3_stock=True), "test"
        )
        yield ws


@pytest.fixture
def workspace(tmp_path):
    with priced_workspace(tmp_path) as ws:
        yield ws


def save(ws: Workspace, client: str, habitat: str) -> str:
    quote = ws.quote(QuoteRequest(SITE, demand((habitat, 1))))
    return ws.save_quote(quote, client_name=client).reference


def test_a_dearer_bank_and_a_withdrawn_one_show_in_the_impact_table(workspace) -> None:
    low_a = save(workspace, "Acme Homes", MODIFIED)
    low_b = save(workspace, "Brook Ltd", CEREAL)
    medium = save(workspace, "Cedar Living", NEUTRAL)
    hedge = save(workspace, "Dale Estates", NATIVE_HEDGE)
    count_before = len(workspace.quotes.search(limit=None))
    newer = workspace.references.import_data(
        reference(l1_price=15_000, l2_hedge_price=15_000, l3_stock=False), "test"
    )

    report = workspace.impact(newer.version_id)

    assert [row.reference for row in report.rows] == [medium, low_a, low_b, hedge]
    by_reference = {row.reference: row for row in report.rows}
    assert by_reference[medium].outcome is ImpactOutcome.IMPOSSIBLE
    assert by_reference[medium].new_total is None
    # L1 at £15,000 now loses to L2's £12,000: £2,000 dearer for each Low quote.
    assert by_reference[low_a].change == by_reference[low_b].change == 2_000
    assert by_reference[hedge].change == -5_000
    assert by_reference[low_a].client_name == "Acme Homes"
    assert report.summary == "4 open quotes: 1 cheaper, 2 dearer, 1 can no longer be met"
    assert len(workspace.quotes.search(limit=None)) == count_before, "nothing is saved"


def test_only_the_latest_revision_of_a_quote_saved_in_the_period_counts(workspace) -> None:
    first = save(workspace, "Acme Homes", MODIFIED)
    revised = workspace.save_revision(first, workspace.requote(first)).reference
    report = workspace.impact()
    assert [row.reference for row in report.rows] == [revised]
    assert report.rows[0].outcome is ImpactOutcome.UNCHANGED
    assert report.summary == "1 open quote: 1 unchanged"
    in_future = workspace.impact(since=date(2999, 1, 1))
    assert in_future.rows == () and in_future.summary == "No open quotes to compare."


def test_the_impact_table_exports_to_excel_with_names_kept_as_text(workspace, tmp_path) -> None:
    reference_a = save(workspace, '=HYPERLINK("http://x")', MODIFIED)
    newer = workspace.references.import_data(
        reference(l1_price=15_000, l2_hedge_price=15_000, l3_stock=False), "test"
    )
    path = write_impact_workbook(workspace.impact(newer.version_id), tmp_path / "impact.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A2"].value == "1 open quote: 1 dearer"
    assert [c.value for c in sheet[3]] == [
        "Reference",
        "Client",
        "Old total",
        "New total",
        "Change",
        "Outcome",
    ]
    row = [c.value for c in sheet[4]]
    assert row[0] == reference_a and row[5] == "Dearer"
    assert row[4] == 2_000 and row[3] - row[2] == 2_000
    assert sheet["B4"].data_type == "s" and sheet["B4"].value == '=HYPERLINK("http://x")'


def test_the_command_line_prints_writes_and_refuses_a_bad_date(workspace, tmp_path, capsys) -> None:
    save(workspace, "Acme Homes", MODIFIED)
    newer = workspace.references.import_data(
        reference(l1_price=15_000, l2_hedge_price=15_000, l3_stock=False), "test"
    )
    data_dir = ["--data-dir", str(workspace.paths.data_dir), "--quiet"]
    out = tmp_path / "impact.json"
    command = ["history", "impact", "--version", str(newer.version_id)]
    assert main([*data_dir, *command, "--json", str(out), "--xlsx", str(tmp_path / "i.xlsx")]) == 0
    printed = capsys.readouterr().out
    assert "1 open quote: 1 dearer" in printed
    table = json.loads(out.read_text())
    assert table["rows"][0]["change"] == 2_000 and table["rows"][0]["outcome"] == "dearer"
    assert openpyxl.load_workbook(tmp_path / "i.xlsx").active["F4"].value == "Dearer"
    with pytest.raises(SystemExit) as usage_error:
        main([*data_dir, "history", "impact", "--since", "31/01/2026"])
    assert usage_error.value.code == 2
    said = capsys.readouterr().err
    assert "argument --since: '31/01/2026' is not a date like 2025-01-31" in said


def test_the_same_request_twice_is_solved_once_and_both_rows_are_shown(
    workspace, monkeypatch
) -> None:
    first = save(workspace, "Acme Homes", MODIFIED)
    second = save(workspace, "Brook Ltd", MODIFIED)
    other = save(workspace, "Cedar Living", CEREAL)
    solved: list[QuoteRequest] = []
    engine = workspace_module.make_quote

    def counting(snap, request, **kwargs):
        solved.append(request)
        return engine(snap, request, **kwargs)

    monkeypatch.setattr(workspace_module, "make_quote", counting)
    report = workspace.impact()
    assert sorted(row.reference for row in report.rows) == sorted([first, second, other])
    assert len(solved) == 2
    totals = {row.reference: row.new_total for row in report.rows}
    assert totals[first] == totals[second] == workspace.quotes.get(first).quote.totals.total


def test_quotes_sharing_a_snapshots_inputs_equal_quotes_made_alone(workspace) -> None:
    snap = workspace.snapshot()
    shared = SharedInputs(snap)
    far = Site(lpa="Northumberland", nca="Cheviots")
    for site in (SITE, far, SITE):
        for habitat in (MODIFIED, CEREAL, NATIVE_HEDGE):
            request = workspace.prepare(QuoteRequest(site, demand((habitat, 1))), snap)
            alone = make_quote(snap, request)
            together = make_quote(snap, request, shared=shared)
            assert together.lines == alone.lines and together.totals == alone.totals


def test_saved_requests_and_totals_are_read_in_one_pass_as_saved(workspace) -> None:
    references = [save(workspace, name, MODIFIED) for name in ("Acme", "Brook")]
    found = workspace.quotes.requests_and_totals([*references, "BNG-A-09999"])
    assert set(found) == set(references)
    for reference in references:
        quote = workspace.quotes.get(reference).quote
        assert found[reference] == (quote.request, quote.totals.total)
