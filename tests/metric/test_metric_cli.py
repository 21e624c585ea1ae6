"""The command line: ``bng metric read`` and ``bng quote --metric``, end to end
on a real store in a temporary folder."""

from __future__ import annotations

import hashlib
import json

import pytest

from bng_desktop.io.demand_csv import read_demand_csv
from tests.metric.generated import BAD

SITE = ["--lpa", "Winchester", "--nca", "South Downs"]
QUOTABLE = ("1.0.3", 14)
"""A site whose lines the bundled sample reference data can supply, with area surplus ≥ Medium."""
NOTHING_TO_BUY = ("1.0.3", 3)
REPORT_FIELDS = (
    "baseline",
    "target",
    "requirement",
    "transfers",
    "surplus_left",
    "net_gain",
    "metric_unit_deficit",
)
PRINTED = (
    "statutory metric 4.1, release 1.0.3",
    "Area habitats",
    "offset on site",
    "surplus left",
    "the metric's own Unit Deficit",
    "Demand lines",
    "←",
)


def history(run, capsys) -> list:
    capsys.readouterr()
    assert run("history", "list", "--json") == 0
    return json.loads(capsys.readouterr().out)


def test_metric_read_writes_the_documented_json(run, workbook, tmp_path):
    generated = workbook(*QUOTABLE)
    out = tmp_path / "metric.json"
    assert run("metric", "read", generated.workbook, "--json", out) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    for key in (
        "metric_version",
        "release",
        "lines",
        "report",
        "trading_rules_satisfied",
        "warnings",
    ):
        assert key in result
    assert (result["metric_version"], result["release"]) == ("4.1", "1.0.3")
    assert set(result["report"]) == {"area", "hedgerow", "watercourse"}
    for line in result["lines"]:
        assert {"habitat_name", "unit_type", "units_required", "kind"} <= set(line)
        assert line["kind"] in ("deficit", "net_gain")
    for report in result["report"].values():
        assert set(REPORT_FIELDS) <= set(report)
        for transfer in report["transfers"]:
            assert {"deficit", "surplus", "units"} <= set(transfer)
        assert all(isinstance(units, float) for units in report["surplus_left"].values())
    assert result["file"]["sha256"] == hashlib.sha256(generated.workbook.read_bytes()).hexdigest()
    assert result["trading_rules_satisfied"] == generated.expected["trading_rules_satisfied"]


def test_metric_read_prints_the_report_and_the_lines(run, workbook, capsys):
    capsys.readouterr()
    assert run("metric", "read", workbook(*QUOTABLE).workbook) == 0
    shown = capsys.readouterr().out
    for text in PRINTED:
        assert text in shown


def test_metric_read_json_to_stdout(run, workbook, capsys):
    capsys.readouterr()
    assert run("metric", "read", workbook(*QUOTABLE).workbook, "--json", "-") == 0
    assert json.loads(capsys.readouterr().out)["metric_version"] == "4.1"


def test_the_csv_is_a_demand_file_bng_quote_takes(run, workbook, tmp_path):
    generated = workbook(*QUOTABLE)
    demand = tmp_path / "demand.csv"
    assert run("metric", "read", generated.workbook, "--csv", demand) == 0
    lines = read_demand_csv(demand)
    expected = generated.expected["demand_lines"]
    assert sorted(ln.habitat_name for ln in lines) == sorted(x["habitat_name"] for x in expected)
    out = tmp_path / "quote.json"
    assert run("quote", "--demand", demand, *SITE, "--json", out) == 0
    assert json.loads(out.read_text())["metric"] is None


@pytest.mark.parametrize("variant", BAD)
def test_a_refused_workbook_exits_1_with_the_error_and_writes_nothing(
    run, workbook, tmp_path, variant, capsys
):
    demand, out = tmp_path / "demand.csv", tmp_path / "metric.json"
    demand.write_text("habitat_name,units_required\nGrassland - Modified grassland,1\n")
    before = demand.read_bytes()
    generated = workbook(variant, 2)
    assert run("metric", "read", generated.workbook, "--json", out, "--csv", demand) == 1
    error = json.loads(out.read_text())["error"]
    assert error["kind"] == generated.expected["error"] and error["message"]
    assert error["file"] == generated.workbook.name
    assert error["message"].startswith(generated.workbook.name)
    if "cell" in generated.expected:
        assert error["sheet"] == generated.expected["sheet"]
    assert demand.read_bytes() == before
    assert "Nothing was imported" in capsys.readouterr().err


def test_quote_from_a_metric_carries_its_surplus_and_its_source(run, workbook, tmp_path, capsys):
    generated = workbook(*QUOTABLE)
    out, xlsx = tmp_path / "quote.json", tmp_path / "quote.xlsx"
    saved_before = len(history(run, capsys))
    args = ("quote", "--metric", generated.workbook, *SITE, "--json", out, "--xlsx", xlsx)
    assert run(*args, "--save", "--client", "Acme") == 0
    quote = json.loads(out.read_text())
    assert quote["suo_discount"] > 0 and quote["display_suo_discount"] > 0
    metric = quote["metric"]
    assert metric["file"] == {
        "name": generated.workbook.name,
        "sha256": hashlib.sha256(generated.workbook.read_bytes()).hexdigest(),
    }
    assert (metric["metric_version"], metric["release"]) == ("4.1", "1.0.3")
    assert metric["report"]["area"]["transfers"]
    found = history(run, capsys)
    assert len(found) == saved_before + 1
    shown = tmp_path / "shown.json"
    assert run("history", "show", found[0]["reference"], "--json", shown) == 0
    assert json.loads(shown.read_text())["metric"] == metric


def test_quote_from_a_metric_without_suo(run, workbook, tmp_path):
    out = tmp_path / "quote.json"
    assert (
        run("quote", "--metric", workbook(*QUOTABLE).workbook, *SITE, "--no-suo", "--json", out)
        == 0
    )
    quote = json.loads(out.read_text())
    assert quote["suo_discount"] == 0 and quote["metric"] is not None


def test_demand_and_metric_are_mutually_exclusive(run, workbook, tmp_path, capsys):
    demand = tmp_path / "demand.csv"
    demand.write_text("habitat_name,units_required\nGrassland - Modified grassland,1\n")
    with pytest.raises(SystemExit) as usage:
        run("quote", "--demand", demand, "--metric", workbook(*QUOTABLE).workbook, *SITE)
    assert usage.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run("quote", *SITE)


def test_a_refused_metric_quotes_and_saves_nothing(run, workbook, tmp_path, capsys):
    out, xlsx = tmp_path / "quote.json", tmp_path / "quote.xlsx"
    saved_before = len(history(run, capsys))
    broken = workbook("error-cell", 3).workbook
    assert run("quote", "--metric", broken, *SITE, "--json", out, "--xlsx", xlsx, "--save") == 1
    assert json.loads(out.read_text())["error"]["kind"] == "error-cell"
    assert not xlsx.exists()
    assert len(history(run, capsys)) == saved_before


def test_a_metric_that_needs_nothing_off_site_has_nothing_to_quote(run, workbook, tmp_path, capsys):
    generated = workbook(*NOTHING_TO_BUY)
    assert generated.expected["demand_lines"] == []
    csv = tmp_path / "demand.csv"
    assert run("metric", "read", generated.workbook, "--csv", csv) == 0
    assert csv.read_text().strip() == "habitat_name,units_required"
    assert run("quote", "--metric", generated.workbook, *SITE) == 1
    assert "nothing to quote" in capsys.readouterr().err
