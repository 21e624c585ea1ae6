"""``bng quote --metric F --onsite metric|joint`` given wrongly: a wrong mode,
the metric's options without a metric, a metric file that is not a workbook.
Each is one message on stderr with its exit status, no traceback, and nothing
saved."""

from __future__ import annotations

import pytest

from bng_desktop.cli import main
from bng_desktop.cli.exit_code import ExitCode
from tests.cli.commands import SAMPLE_DEMAND, SITE, store_fingerprint

TRACEBACK = "Traceback (most recent call last)"


def quote(tmp_path, capsys, *args: str) -> tuple[int, str]:
    """``bng quote ARGS --save``: its exit status and stderr; the store is as before."""
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "--quiet", "reference", "list"]) == 0
    before = store_fingerprint(data)
    capsys.readouterr()
    try:
        code = main(["--data-dir", str(data), "--quiet", "quote", *args, *SITE, "--save"])
    except SystemExit as usage:
        code = int(usage.code or 0)
    out, err = capsys.readouterr()
    assert TRACEBACK not in out + err and "Saved as" not in err
    assert store_fingerprint(data) == before
    return code, err


@pytest.mark.parametrize("mode", ["both", "METRIC", "", "optimised together"])
def test_a_mode_that_is_not_metric_or_joint_is_a_usage_error(tmp_path, capsys, mode) -> None:
    workbook = tmp_path / "metric.xlsx"
    workbook.write_bytes(b"not read: the command line is refused first")
    code, err = quote(tmp_path, capsys, "--metric", str(workbook), "--onsite", mode)
    assert code == ExitCode.USAGE
    assert f"argument --onsite: invalid choice: {mode!r} (choose from 'metric', 'joint')" in err


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (("--onsite", "joint"), "--onsite goes with --metric"),
        (("--onsite", "metric"), "--onsite goes with --metric"),
        (("--no-suo",), "--no-suo goes with --metric"),
        (("--onsite", "joint", "--no-suo"), "--onsite and --no-suo go with --metric"),
    ],
)
def test_the_metrics_options_with_a_demand_file_are_a_usage_error(
    tmp_path, capsys, options, said
) -> None:
    code, err = quote(tmp_path, capsys, "--demand", str(SAMPLE_DEMAND), *options)
    assert code == ExitCode.USAGE
    assert err.strip() == f"bng quote: {said} (a demand file has no on-site part) " + (
        "(see bng quote --help)"
    )


def test_onsite_with_no_demand_or_metric_asks_for_one(tmp_path, capsys) -> None:
    code, err = quote(tmp_path, capsys, "--onsite", "joint")
    assert code == ExitCode.USAGE
    assert "one of the arguments --demand --metric is required" in err


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("metric.xlsx", b"habitat,units\n", "is not a statutory biodiversity metric workbook"),
        ("metric.csv", b"habitat,units\n", "is not a statutory biodiversity metric workbook"),
        ("metric.xlsx", b"PK\x03\x04 cut short", "is damaged and cannot be read"),
        ("metric.xlsx", b"", "metric.xlsx"),
    ],
)
@pytest.mark.parametrize("mode", ["metric", "joint"])
def test_a_metric_that_is_not_a_workbook_is_refused(
    tmp_path, capsys, name, content, said, mode
) -> None:
    workbook = tmp_path / name
    workbook.write_bytes(content)
    code, err = quote(tmp_path, capsys, "--metric", str(workbook), "--onsite", mode)
    assert code == ExitCode.REFUSED
    assert err.startswith(f"bng: {name}") and said in err and "Nothing was imported" in err


@pytest.mark.parametrize("name", ["missing.xlsx", "a-folder.xlsx"])
def test_a_metric_that_cannot_be_opened_is_named(tmp_path, capsys, name) -> None:
    (tmp_path / "a-folder.xlsx").mkdir()
    code, err = quote(tmp_path, capsys, "--metric", str(tmp_path / name), "--onsite", "joint")
    assert code == ExitCode.REFUSED
    assert err.startswith(f"bng: {name}: Cannot read {name}") and "Nothing was imported" in err
