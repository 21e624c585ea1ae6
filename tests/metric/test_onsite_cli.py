"""``bng quote --metric FILE --onsite metric|joint``: both ways priced, the one
asked for printed, written and saved, with its mode, transfers and both totals."""

from __future__ import annotations

import json

import pytest

SITE = ["--lpa", "Winchester", "--nca", "South Downs"]
QUOTABLE = ("1.0.3", 14)


def quoted(run, workbook, tmp_path, *options: str) -> dict:
    out = tmp_path / f"quote{len(options)}{'-'.join(options)}.json"
    args = ("quote", "--metric", workbook(*QUOTABLE).workbook, *SITE, *options, "--json", out)
    assert run(*args) == 0
    return json.loads(out.read_text())


def test_the_metrics_order_is_the_default(run, workbook, tmp_path):
    default = quoted(run, workbook, tmp_path)
    asked = quoted(run, workbook, tmp_path, "--onsite", "metric")
    assert default["onsite"]["mode"] == asked["onsite"]["mode"] == "metric order"
    assert default["total"] == asked["total"]
    assert default["onsite"]["optimised_total"] is None, "the joint answer was not asked for"
    report = default["metric"]["report"]
    metric_order = [
        (t["to_deficit"], t["from_surplus"], t["units"]) for t in default["onsite"]["transfers"]
    ]
    assert metric_order == [
        (t["deficit"], t["surplus"], t["units"])
        for unit_type in ("area", "hedgerow", "watercourse")
        for t in report[unit_type]["transfers"]
    ]
    joint = quoted(run, workbook, tmp_path, "--onsite", "joint")
    assert joint["onsite"]["metric_order_total"] == default["total"]


def test_joint_carries_its_mode_transfers_and_both_totals(run, workbook, tmp_path, capsys):
    joint = quoted(run, workbook, tmp_path, "--onsite", "joint")
    onsite = joint["onsite"]
    assert onsite["mode"] == "optimised together"
    assert joint["total"] == onsite["optimised_total"] <= onsite["metric_order_total"]
    assert onsite["saving"] == onsite["metric_order_total"] - onsite["optimised_total"]
    for transfer in onsite["transfers"]:
        assert transfer["units"] > 0 and transfer["from_surplus"] and transfer["to_deficit"]
    assert onsite["summary"].startswith("Offsetting as the metric does: £")


def test_the_printed_quote_shows_both_totals_and_history_keeps_the_mode(
    run, workbook, tmp_path, capsys
):
    capsys.readouterr()
    args = ("quote", "--metric", workbook(*QUOTABLE).workbook, *SITE, "--onsite", "joint")
    assert run(*args, "--save", "--client", "Acme") == 0
    printed = capsys.readouterr().out
    assert "Offsetting as the metric does: £" in printed and "optimised together: £" in printed
    assert "This quote: optimised together." in printed
    assert run("history", "list", "--json") == 0
    reference = json.loads(capsys.readouterr().out)[0]["reference"]
    shown = tmp_path / "shown.json"
    assert run("history", "show", reference, "--json", shown) == 0
    assert json.loads(shown.read_text())["onsite"]["mode"] == "optimised together"


def test_an_unknown_mode_is_a_usage_error(run, workbook, capsys):
    with pytest.raises(SystemExit) as usage:
        run("quote", "--metric", workbook(*QUOTABLE).workbook, *SITE, "--onsite", "greedy")
    assert usage.value.code == 2
    assert "invalid choice: 'greedy'" in capsys.readouterr().err
