"""Every number typed on the command line is read by read_number and refused
with the option's name: decimal commas, huge exponents, NaN, negatives,
10,000 digits, a byte-order mark."""

from __future__ import annotations

import pytest

from bng_desktop.cli import build_parser
from bng_desktop.cli.exit_code import ExitCode
from tests.cli.commands import bng

BAD_NUMBERS = {
    "decimal comma": ("1,5", "use a point for decimals"),
    "huge exponent": ("1e999999999", "without an exponent"),
    "nan": ("nan", "not a finite number"),
    "negative": ("-1", "must be at least 1"),
    "10,000 digits": ("9" * 10_000, "too long"),
    "byte-order mark": ("\ufeff5", "invisible character"),
}

NUMBER_OPTIONS = {
    "--limit": ("history", "list", "--limit", "{}"),
    "--version (export)": ("reference", "export", "out.xlsx", "--version", "{}"),
    "--version (locate-banks)": ("reference", "locate-banks", "--version", "{}"),
}


@pytest.mark.parametrize("option", NUMBER_OPTIONS)
@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_every_number_option_refuses_every_bad_number_naming_the_option(option, bad, capsys):
    value, reason = BAD_NUMBERS[bad]
    line = [part.format(value) for part in NUMBER_OPTIONS[option]]
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(line)
    assert stopped.value.code == ExitCode.USAGE
    (said,) = capsys.readouterr().err.strip().splitlines()
    assert f"argument {option.split()[0]}: " in said and reason in said
    assert len(said) < 400


@pytest.mark.parametrize(
    ("point", "said"),
    [
        ("51,06,-1,31", "is not LAT,LON"),
        ("91,0", "latitude '91' — must be at most 90"),
        ("51,nan", "longitude 'nan' — not a finite number"),
        ("1e999999999,0", "latitude '1e999999999' — exponent out of range"),
    ],
)
def test_a_point_is_read_as_two_bounded_numbers(point, said, capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["locate", "--point", point])
    assert said in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["decimal comma", "huge exponent", "10,000 digits"])
def test_the_entry_point_refuses_a_bad_limit_in_one_line_and_changes_nothing(tmp_path, bad):
    value, reason = BAD_NUMBERS[bad]
    data = tmp_path / "data"
    done = bng("history", "list", "--limit", value, "--data-dir", str(data))
    assert done.code == ExitCode.USAGE and not done.traceback and done.out == ""
    assert done.err.startswith("bng history list: argument --limit: ") and reason in done.err
    assert not data.exists()


def test_good_numbers_are_taken(capsys):
    args = build_parser().parse_args(["history", "list", "--limit", "25"])
    assert args.limit == 25
    args = build_parser().parse_args(["locate", "--point", "51.0632,-1.3081"])
    assert args.point == (51.0632, -1.3081)
