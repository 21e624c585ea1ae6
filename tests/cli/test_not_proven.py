"""bng quote when the time limit ends the search: the JSON carries
solver.optimal = false and the proven bound, the text and the Excel quote say
it is not proven cheapest, and --time-limit lets it run longer."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from bng_desktop.cli import main
from tests.timeouts import DEMAND, shared_stock_workbook, time_up_after_the_first_solve

SITE = [
    "--lpa",
    "Winchester",
    "--nca",
    "South Downs",
    "--lpa-neighbours",
    "Test Valley",
    "--nca-neighbours",
    "Hampshire Downs",
]


@pytest.fixture
def bng(tmp_path):
    data_dir = tmp_path / "data"

    def run(*args: str) -> int:
        return main(["--data-dir", str(data_dir), "--quiet", *args])

    assert run("reference", "import", str(shared_stock_workbook(tmp_path))) == 0
    return run


@pytest.fixture
def demand_csv(tmp_path) -> Path:
    path = tmp_path / "demand.csv"
    rows = "".join(f"{name},{units}\n" for name, units in DEMAND)
    path.write_text("habitat_name,units_required\n" + rows, encoding="utf-8")
    return path


def quote(bng, tmp_path: Path, demand_csv: Path, *extra: str) -> tuple[dict, Path]:
    out, xlsx = tmp_path / "quote.json", tmp_path / "quote.xlsx"
    code = bng(
        "quote", "--demand", str(demand_csv), *SITE, "--no-cache", "--json", str(out),
        "--xlsx", str(xlsx), *extra,
    )  # fmt: skip
    assert code == 0
    return json.loads(out.read_text(encoding="utf-8")), xlsx


def details(xlsx: Path) -> dict[str, object]:
    sheet = openpyxl.load_workbook(xlsx, read_only=True)["Details"]
    return {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}


def test_a_time_limited_quote_carries_not_optimal_and_its_bound(
    bng, tmp_path, demand_csv, monkeypatch, capsys
):
    time_up_after_the_first_solve(monkeypatch)
    result, xlsx = quote(bng, tmp_path, demand_csv)
    solver = result["solver"]
    assert solver["optimal"] is False and solver["status"] == "time_limit"
    assert solver["bound"] is not None and solver["bound"] <= result["subtotal"]
    assert solver["bound"] <= result["total"]
    assert solver["gap_percent"] == pytest.approx(
        (result["subtotal"] - solver["bound"]) / solver["bound"] * 100
    )
    shown = capsys.readouterr().out
    assert "Not proven cheapest — at most £" in shown
    assert "--time-limit" in shown
    answer = str(details(xlsx)["Optimiser's answer"])
    assert answer.startswith("Not proven cheapest — at most £")


def test_not_proven_is_said_once_in_the_text_the_details_sheet_and_the_json(
    bng, tmp_path, demand_csv, monkeypatch, capsys
):
    time_up_after_the_first_solve(monkeypatch)
    result, xlsx = quote(bng, tmp_path, demand_csv)
    assert capsys.readouterr().out.lower().count("not proven") == 1
    sheet = openpyxl.load_workbook(xlsx, read_only=True)["Details"]
    cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert sum(cell.lower().count("not proven") for cell in cells) == 1
    assert not any("not proven" in warning.lower() for warning in result["warnings"])


def test_a_longer_time_limit_proves_it(bng, tmp_path, demand_csv):
    result, xlsx = quote(bng, tmp_path, demand_csv, "--time-limit", "60")
    solver = result["solver"]
    assert solver["optimal"] is True and solver["gap_percent"] == 0
    assert solver["bound"] == pytest.approx(result["subtotal"])
    assert details(xlsx)["Optimiser's answer"] == "proven cheapest"


@pytest.mark.parametrize("seconds", ["0", "-1", "ten"])
def test_a_time_limit_that_is_not_a_positive_number_is_a_usage_error(
    bng, demand_csv, seconds, capsys
):
    with pytest.raises(SystemExit) as stopped:
        bng("quote", "--demand", str(demand_csv), *SITE, "--time-limit", seconds)
    assert stopped.value.code == 2
    assert "--time-limit" in capsys.readouterr().err
