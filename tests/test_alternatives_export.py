"""The Excel quote carries what each constraint costs, as the result panel
listed it: the same list (no second solve once shown), through every way a
quote is exported."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import openpyxl
import pytest

import bng_desktop.workspace as workspace_module
from bng_desktop.cli import main
from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.result import QuoteRequest
from bng_desktop.workspace import Workspace
from tests.io.test_excel_quote import allocation_block

REQUEST = QuoteRequest(
    Site(lpa="Winchester", nca="South Downs"),
    (
        DemandLine("Grassland - Modified grassland", Fraction(12, 10)),
        DemandLine("Native hedgerow", Fraction(3, 10)),
    ),
)


@pytest.fixture
def workspace(tmp_path):
    with Workspace.open(tmp_path / "data") as ws:
        ws.ensure_reference()
        yield ws


def shown(alternatives) -> list[tuple]:
    return [(a.description, float(a.difference)) for a in alternatives]


def written(path) -> list[tuple]:
    block = allocation_block(openpyxl.load_workbook(path))
    return [(row[0], row[3]) for row in block[2:]]


def test_an_exported_quote_lists_the_panels_alternatives_without_solving_again(
    workspace, tmp_path, monkeypatch
) -> None:
    quote = workspace.quote(REQUEST)
    on_screen = workspace.alternatives(quote)
    assert on_screen, "the sample's two banks both matter"
    saved = workspace.save_quote(quote, client_name="Acme Homes")
    monkeypatch.setattr(workspace_module, "make_quote", _engine_must_not_run)
    path = workspace.export_quote(saved.reference, tmp_path / "quote.xlsx").path
    assert written(path) == shown(on_screen)


def test_a_quote_exported_before_its_alternatives_were_shown_gets_them_worked_out(
    workspace, tmp_path
) -> None:
    saved = workspace.save_quote(workspace.quote(REQUEST), client_name="Acme Homes")
    path = workspace.export_quote(saved.reference, tmp_path / "quote.xlsx").path
    assert written(path) == shown(workspace.alternatives(saved.quote))


def test_the_command_lines_excel_quote_carries_them_too(tmp_path) -> None:
    demand = tmp_path / "demand.csv"
    demand.write_text(
        "habitat_name,units_required\nGrassland - Modified grassland,1.2\nNative hedgerow,0.3\n",
        encoding="utf-8",
    )
    target = tmp_path / "quote.xlsx"
    data = str(tmp_path / "data")
    command = ["quote", "--demand", str(demand), "--lpa", "Winchester", "--nca", "South Downs"]
    assert main(["--data-dir", data, *command, "--xlsx", str(target)]) == 0
    with Workspace.open(tmp_path / "data") as ws:
        expected = shown(ws.alternatives(ws.quote(REQUEST)))
    assert written(target) == expected


def _engine_must_not_run(*args, **kwargs):
    raise AssertionError("the alternatives were solved again")


def test_a_quote_on_a_version_this_desktop_lacks_gets_no_block(workspace, tmp_path) -> None:
    quote = workspace.quote(REQUEST)
    theirs = dataclasses.replace(quote, reference_hash="0" * 64)
    assert workspace.alternatives_for_documents(theirs) is None
    adjusted = dataclasses.replace(quote, adjusted_by_hand=True)
    assert workspace.alternatives_for_documents(adjusted) is None
    assert workspace.alternatives_for_documents(quote) == workspace.alternatives(quote)
