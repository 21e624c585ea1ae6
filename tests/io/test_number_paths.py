"""Every file that gives a number gives it to the one number reader: a demand
CSV, a reference workbook's cells (numbers and Policy values) and a policy
file each refuse the same bad numbers, quickly, with a message naming the
file, the line or sheet and row, the column, what was found and what to type."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import pytest

from bng_desktop.core.errors import DemandError, PolicyError, ReferenceDataError, shown_value
from bng_desktop.io.demand_csv import read_demand_csv
from bng_desktop.io.policy_file import read_policy_file
from bng_desktop.io.quote_json import error_to_json
from bng_desktop.io.reference_workbook import read_reference_workbook, write_reference_workbook
from bng_desktop.io.statutory import load_statutory_facts
from tests.io.reference_builders import add_row, edited, set_cell, small_data

TEN_THOUSAND_DIGITS = "9" * 10_000
BAD_NUMBERS = {
    # id: (the text as typed, what the message says about it)
    "decimal comma": ("1,5", "use a point for decimals: 1.5"),
    "exponent bomb": ("1e999999999", "exponent out of range"),
    "nan": ("nan", "not a finite number"),
    "negative": ("-1", "must be"),
    "10,000 digits": (TEN_THOUSAND_DIGITS, "too long"),
    "byte order mark": ("\ufeff1.5", "invisible character"),
}
CASES = list(BAD_NUMBERS.values())
IDS = list(BAD_NUMBERS)
WORKBOOK_CELLS = [
    ("Stock", 2, "quantity_available"),
    ("Pricing", 2, "price"),
    ("SRM", 3, "multiplier"),
    ("DistinctivenessLevels", 3, "level_value"),
]


@pytest.fixture(scope="module")
def facts():
    return load_statutory_facts()


@pytest.fixture(scope="module")
def good(facts, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("good")
    return write_reference_workbook(small_data(facts), folder / "good.xlsx")


def refused_quickly(read, error_type):
    started = time.perf_counter()
    with pytest.raises(error_type) as refused:
        read()
    assert time.perf_counter() - started < 1.0
    return refused.value


# ---------------------------------------------------------------- demand CSV


def demand_file(folder: Path, units: str) -> Path:
    path = folder / "demand.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(
            [
                ["habitat_name", "units_required"],
                ["Grassland - Modified grassland", "2"],
                ["Native hedgerow", units],
            ]
        )
    return path


@pytest.mark.parametrize(("typed", "says"), CASES, ids=IDS)
def test_a_demand_csv_refuses_a_bad_number_naming_line_and_column(tmp_path, typed, says):
    error = refused_quickly(lambda: read_demand_csv(demand_file(tmp_path, typed)), DemandError)
    (problem,) = error.problems
    assert str(problem).startswith(
        f"demand.csv line 3, units_required: found {shown_value(typed)} — "
    )
    assert says in str(problem)
    assert len(str(error)) < 300


def test_the_demand_message_reads_as_people_say_it(tmp_path):
    error = refused_quickly(lambda: read_demand_csv(demand_file(tmp_path, "1,5")), DemandError)
    assert str(error.problems[0]) == (
        "demand.csv line 3, units_required: found '1,5' — use a point for decimals: 1.5"
    )
    assert "nothing was quoted" in str(error)


def test_an_unquoted_decimal_comma_is_not_read_as_two_values(tmp_path):
    path = tmp_path / "demand.csv"
    path.write_text("habitat_name,units_required\nNative hedgerow,1,5\n", encoding="utf-8")
    error = refused_quickly(lambda: read_demand_csv(path), DemandError)
    assert str(error.problems[0]).startswith(
        "demand.csv line 2: found 'Native hedgerow,1,5' — 3 values where the header names 2: "
        "a number with a decimal comma? use a point for decimals"
    )


def test_a_semicolon_separated_demand_file_is_read_and_its_decimal_comma_refused(tmp_path):
    path = tmp_path / "demand.csv"
    path.write_text("habitat_name;units_required\nDitches;2\nNative hedgerow;1,5\n", "utf-8")
    error = refused_quickly(lambda: read_demand_csv(path), DemandError)
    assert str(error.problems[0]) == (
        "demand.csv line 3, units_required: found '1,5' — use a point for decimals: 1.5"
    )


def test_a_demand_csv_saved_by_excel_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "demand.csv"
    path.write_bytes(b"\xef\xbb\xbfhabitat_name,units_required\r\nNative hedgerow,1.5\r\n")
    (line,) = read_demand_csv(path)
    assert (line.habitat_name, str(line.units)) == ("Native hedgerow", "3/2")


def test_demand_lines_keep_their_file_line_numbers_across_quoted_line_breaks(tmp_path):
    path = tmp_path / "demand.csv"
    path.write_text(
        'habitat_name,units_required\n"Native\nhedgerow",1\n\nDitches,"1,5"\n', encoding="utf-8"
    )
    error = refused_quickly(lambda: read_demand_csv(path), DemandError)
    assert [(p.row, p.column) for p in error.problems] == [(5, "units_required")]


# ---------------------------------------------------------------- reference workbook


@pytest.mark.parametrize(("typed", "says"), CASES, ids=IDS)
@pytest.mark.parametrize(("sheet", "row", "column"), WORKBOOK_CELLS)
def test_a_workbook_number_cell_refuses_a_bad_number(good, facts, sheet, row, column, typed, says):
    path = edited(good, set_cell(sheet, row, column, typed))
    error = refused_quickly(lambda: read_reference_workbook(path, facts), ReferenceDataError)
    (problem,) = error.problems
    assert str(problem).startswith(f"{sheet} row {row}, {column}: found {shown_value(typed)} — ")
    assert says in str(problem)
    assert problem.hint and problem.expected.startswith("a number")
    assert len(str(error)) < 300


@pytest.mark.parametrize(("typed", "says"), CASES, ids=IDS)
def test_a_workbook_policy_value_refuses_a_bad_number(good, facts, typed, says):
    path = edited(good, add_row("Policy", key="tolerance_abs", value=typed))
    error = refused_quickly(lambda: read_reference_workbook(path, facts), ReferenceDataError)
    (problem,) = error.problems
    assert str(problem).startswith(f"Policy row 4, value: found {shown_value(typed)} — ")
    assert says in str(problem)


def test_a_coordinate_out_of_range_says_the_range(good, facts):
    error = refused_quickly(
        lambda: read_reference_workbook(edited(good, set_cell("Banks", 3, "lat", "91")), facts),
        ReferenceDataError,
    )
    assert str(error.problems[0]) == "Banks row 3, lat: found '91' — must be at most 90"
    assert error.problems[0].expected == "a number between -90 and 90"


# ---------------------------------------------------------------- policy file


def policy_file(folder: Path, typed: str) -> Path:
    """The value as a bare JSON number where JSON allows one, else as a string."""
    bare = typed in ("1e999999999", "-1", TEN_THOUSAND_DIGITS)
    value = typed if bare else json.dumps(typed)
    path = folder / "policy.json"
    path.write_text(f'{{"split_lines": true, "tolerance_abs": {value}}}', encoding="utf-8")
    return path


@pytest.mark.parametrize(("typed", "says"), CASES, ids=IDS)
def test_a_policy_file_refuses_a_bad_number_naming_file_and_setting(tmp_path, typed, says):
    path = policy_file(tmp_path, typed)
    error = refused_quickly(lambda: read_policy_file(path), PolicyError)
    assert str(error).startswith(
        f"policy.json: policy 'tolerance_abs' must be a number ≥ 0; found {shown_value(typed)} — "
    )
    assert says in error.hint
    assert len(str(error)) < 300


def test_a_policy_file_reads_numbers_exactly_as_written(tmp_path):
    path = tmp_path / "policy.json"
    path.write_text('{"tolerance_rel": 0.0001, "bank_cap_small": 3}', encoding="utf-8")
    policy = read_policy_file(path)
    assert (str(policy.tolerance_rel), policy.bank_cap_small) == ("1/10000", 3)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{", "policy.json line 1, column 2: not valid JSON"),
        ("[1, 2]", "must hold a JSON object"),
        ("[" * 100_000, "nested too deeply"),
        ('{"tolerance_abs": NaN}', "not a finite number"),
        ('{"solver": "fastest"}', "solver must be one of"),
    ],
    ids=["broken", "not an object", "deep", "NaN", "bad choice"],
)
def test_a_broken_policy_file_is_refused_naming_it(tmp_path, content, says):
    path = tmp_path / "policy.json"
    path.write_text(content, encoding="utf-8")
    error = refused_quickly(lambda: read_policy_file(path), PolicyError)
    assert "policy.json" in str(error) and says in str(error)


def test_the_json_error_carries_each_problem_in_words(tmp_path):
    error = refused_quickly(lambda: read_demand_csv(demand_file(tmp_path, "1,5")), DemandError)
    (problem,) = error_to_json(error)["error"]["problems"]
    assert problem["hint"] == "use a point for decimals: 1.5"
    assert problem["message"] == (
        "demand.csv line 3, units_required: found '1,5' — use a point for decimals: 1.5"
    )
    assert (problem["row"], problem["column"], problem["value"]) == (3, "units_required", "1,5")


def test_a_demand_file_of_many_bad_lines_gives_a_bounded_message(tmp_path):
    path = tmp_path / "demand.csv"
    path.write_text("habitat_name,units_required\n" + "Ditches,1,5\n" * 5_000, "utf-8")
    error = refused_quickly(lambda: read_demand_csv(path), DemandError)
    assert len(error.problems) == 5_000
    assert "... and 4950 more" in str(error) and len(str(error)) < 20_000


def test_a_field_too_long_for_csv_is_refused_naming_its_line(tmp_path):
    path = tmp_path / "demand.csv"
    path.write_text('habitat_name,units_required\nDitches,1\nDitches,"' + "9" * 200_000 + '"\n')
    error = refused_quickly(lambda: read_demand_csv(path), DemandError)
    assert str(error).startswith("demand.csv line 3: not readable as CSV")
