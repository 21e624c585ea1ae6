"""The command line end to end: real store in a temp folder, real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from bng_desktop.cli import main
from bng_desktop.settings import assets_dir
from tests.shared_data import ACCEPTANCE_DIR, needs_shared

SAMPLE_DEMAND = assets_dir() / "sample_demand.csv"
SITE = ["--lpa", "Winchester", "--nca", "South Downs"]


@pytest.fixture
def run(tmp_path):
    data_dir = tmp_path / "data"

    def run(*args: str) -> int:
        return main(["--data-dir", str(data_dir), "--quiet", *args])

    return run


def quote_json(run, tmp_path: Path, *extra: str, demand: Path = SAMPLE_DEMAND) -> dict:
    out = tmp_path / "quote.json"
    assert run("quote", "--demand", str(demand), *SITE, "--json", str(out), *extra) == 0
    return json.loads(out.read_text())


def test_first_quote_loads_the_sample_and_writes_the_documented_json(run, tmp_path, capsys):
    result = quote_json(run, tmp_path)
    assert "SAMPLE reference data" in capsys.readouterr().err
    for key in (
        "reference_version",
        "contract_size",
        "site",
        "lines",
        "subtotal",
        "admin_fee",
        "total",
        "solver",
    ):
        assert key in result
    assert result["site"]["lpa"] == "Winchester"
    assert "Test Valley" in result["site"]["lpa_neighbours"]  # completed from the bundled list
    assert result["solver"]["name"] == "highs" and result["solver"]["optimal"] is True
    line = result["lines"][0]
    for key in (
        "demand_index",
        "demand_habitat",
        "bank_id",
        "bank_name",
        "supply_habitat",
        "tier",
        "units_supplied",
        "stock_use",
        "unit_price",
        "cost",
        "price_source",
        "paired_parts",
    ):
        assert key in line
    assert result["subtotal"] == pytest.approx(sum(ln["cost"] for ln in result["lines"]))
    assert result["total"] == pytest.approx(result["subtotal"] + result["admin_fee"])
    assert result["display_total"] == sum(ln["display_cost"] for ln in result["lines"]) + 500


def test_excel_quote_shows_the_same_numbers_as_the_json(run, tmp_path):
    xlsx = tmp_path / "quote.xlsx"
    result = quote_json(run, tmp_path, "--xlsx", str(xlsx), "--client", "Acme Homes")
    book = openpyxl.load_workbook(xlsx, data_only=True)
    allocation = book["Allocation"]
    header = [c.value for c in allocation[1]]
    cost_col = next(i for i, h in enumerate(header) if str(h).lower().startswith("cost"))
    costs = [
        row[cost_col]
        for row in allocation.iter_rows(min_row=2, values_only=True)
        if isinstance(row[cost_col], int | float) and row[0] is not None
    ]
    assert sorted(costs) == pytest.approx(sorted(ln["cost"] for ln in result["lines"]))
    quote_cells = [c for row in book["Quote"].iter_rows(values_only=True) for c in row]
    assert result["display_total"] in quote_cells
    assert "Acme Homes" in quote_cells


def test_saved_quote_can_be_found_shown_exported_requoted_and_deleted(run, tmp_path, capsys):
    quote_json(run, tmp_path, "--save", "--client", "Acme Homes")
    capsys.readouterr()
    assert run("history", "list", "--client", "acme") == 0
    assert "BNG-A-02025" in capsys.readouterr().out
    shown = tmp_path / "shown.json"
    assert run("history", "show", "BNG-A-02025", "--json", str(shown)) == 0
    assert json.loads(shown.read_text())["reference"] == "BNG-A-02025"
    assert run("history", "export", "BNG-A-02025", str(tmp_path / "saved.xlsx")) == 0
    assert (tmp_path / "saved.xlsx").is_file()
    assert run("history", "requote", "BNG-A-02025", "--save") == 0
    assert "BNG-A-02025.1" in capsys.readouterr().err
    assert run("history", "delete", "BNG-A-02025") == 1  # no --yes: refused, nothing deleted
    assert "confirm" in capsys.readouterr().err.lower()
    assert run("history", "show", "BNG-A-02025") == 0
    assert run("history", "delete", "BNG-A-02025", "--yes") == 0
    assert run("history", "show", "BNG-A-02025") == 1


def test_reference_export_then_import_gives_the_same_content_hash(run, tmp_path, capsys):
    exported = tmp_path / "backend.xlsx"
    assert run("reference", "export", str(exported)) == 0
    assert run("reference", "import", str(exported)) == 0
    capsys.readouterr()
    assert run("reference", "list", "--json") == 0
    versions = json.loads(capsys.readouterr().out)
    assert [v["version_id"] for v in versions] == [2, 1]
    assert versions[0]["content_hash"] == versions[1]["content_hash"]
    assert versions[0]["is_current"] and not versions[1]["is_current"]


def test_a_bad_workbook_is_refused_and_changes_nothing(run, tmp_path, capsys):
    exported = tmp_path / "backend.xlsx"
    assert run("reference", "export", str(exported)) == 0
    book = openpyxl.load_workbook(exported)
    book["Stock"]["D2"] = "lots"
    book.save(exported)
    capsys.readouterr()
    assert run("reference", "import", str(exported)) == 1
    err = capsys.readouterr().err
    assert "Stock row 2" in err and "lots" in err
    assert run("reference", "list", "--json") == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


def test_a_bad_demand_file_names_row_and_column(run, tmp_path, capsys):
    demand = tmp_path / "demand.csv"
    demand.write_text("habitat_name,units_required\nGrassland - Modified grassland,abc\n")
    out = tmp_path / "error.json"
    assert run("quote", "--demand", str(demand), *SITE, "--json", str(out)) == 1
    error = json.loads(out.read_text())["error"]
    assert error["kind"] == "demand"
    assert error["problems"][0]["row"] == 2
    assert error["problems"][0]["column"] == "units_required"


@needs_shared
def test_an_infeasible_quote_exits_1_naming_each_line(run, tmp_path):
    case = ACCEPTANCE_DIR / "trap-vlow-refused"
    assert run("reference", "import", str(case / "backend.xlsx")) == 0
    out = tmp_path / "error.json"
    code = run(
        "quote", "--demand", str(case / "demand.csv"), "--lpa", "Winchester", "--json", str(out)
    )
    assert code == 1
    error = json.loads(out.read_text())["error"]
    assert error["kind"] == "infeasible"
    assert [ln["demand_index"] for ln in error["lines"]] == [0]
    assert "V.Low" in error["lines"][0]["reason"]


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_split_lines_beyond_the_stock_of_many_lines_are_diagnosed_not_an_error(
    run, tmp_path, solver
):
    """Two split lines asking more than the sample's modified grassland holds:
    each round of stock limits moved the answer to the next stock line, the
    rounds ran out and the quote ended in a solver error; a last solve with
    every stock row settles it, and the diagnosis names a line with a reason
    that fits split lines."""
    demand = tmp_path / "demand.csv"
    demand.write_text(
        "habitat_name,units_required\n"
        "Grassland - Modified grassland,1000\nGrassland - Modified grassland,1000\n"
    )
    out = tmp_path / "error.json"
    args = ["--split-lines", "--solver", solver, "--no-cache", "--json", str(out)]
    assert run("quote", "--demand", str(demand), *SITE, *args) == 1
    error = json.loads(out.read_text())["error"]
    assert error["kind"] == "infeasible"
    assert error["lines"], "the unmet lines are named"
    for line in error["lines"]:
        assert "none" not in line["reason"]
        assert "split lines" not in line["action"]


@needs_shared
@pytest.mark.parametrize("case", ["gen-906-b12-l5", "trap-srm-stock"])
def test_acceptance_quote_through_the_cli(run, tmp_path, case):
    folder = ACCEPTANCE_DIR / case
    expected = json.loads((folder / "expected.json").read_text())
    site = json.loads((folder / "site.json").read_text())
    assert run("reference", "import", str(folder / "backend.xlsx")) == 0
    out = tmp_path / "quote.json"
    args = [
        "quote",
        "--demand",
        str(folder / "demand.csv"),
        "--lpa",
        site["lpa"],
        "--nca",
        site["nca"],
        "--lpa-neighbours",
        ";".join(site["lpa_neighbours"]),
        "--nca-neighbours",
        ";".join(site["nca_neighbours"]) or ";",
        "--json",
        str(out),
    ]
    assert run(*args) == 0
    result = json.loads(out.read_text())
    assert result["subtotal"] == pytest.approx(expected["quote_cost"], abs=1e-6)
    assert result["total"] == pytest.approx(expected["total"], abs=1e-6)
    assert result["contract_size"] == expected["contract_size"]
    assert len(result["banks_used"]) == len(expected["banks_used"])


def test_module_entry_point_reports_its_version():
    done = subprocess.run(
        [sys.executable, "-m", "bng_desktop", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("bng-desktop ")


def test_progress_goes_to_stderr_unless_quiet(tmp_path, capsys):
    data = ["--data-dir", str(tmp_path / "data")]
    quote = ["quote", "--demand", str(SAMPLE_DEMAND), *SITE]
    assert main([*data, *quote, "--no-cache"]) == 0
    err = capsys.readouterr().err
    assert "Stage A" in err and "Quote ready" in err
    assert main([*data, "--quiet", *quote, "--no-cache"]) == 0
    assert "Stage A" not in capsys.readouterr().err


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_json_on_standard_output_is_only_json_whatever_the_solver_prints(tmp_path, solver):
    """A solver's own banner (HiGHS 1.16 prints one from C++) never reaches stdout."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bng_desktop",
            "--data-dir",
            str(tmp_path / "data"),
            "quote",
            "--demand",
            str(SAMPLE_DEMAND),
            *SITE,
            "--solver",
            solver,
            "--no-cache",
            "--json",
            "-",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["solver"]["name"] == solver
    assert "Running HiGHS" not in done.stdout + done.stderr
