"""Hostile statutory credit-price files and days: each refused with a message
naming the file, row, column and value, with nothing stored; on the command
line each is a one-line refusal with its exit status and no traceback."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bng_desktop.cli import main
from bng_desktop.cli.exit_code import ExitCode
from bng_desktop.core.errors import ReferenceDataError
from bng_desktop.core.statutory_credits import CreditTier
from bng_desktop.workspace import Workspace

HEADER = "tier,price_per_credit_gbp"
GOOD_ROWS = "A1,42000\nA2,56000\nA3,76000\nA4,145000\nA5,760000\nH,51000\nW,268000\n"
TRACEBACK = "Traceback (most recent call last)"


def with_a1(price: str) -> str:
    """The good file with tier A1's price cell written as ``price``."""
    return f"{HEADER}\nA1,{price}\n" + GOOD_ROWS.split("\n", 1)[1]


@pytest.fixture
def workspace(tmp_path):
    with Workspace.open(tmp_path / "data") as ws:
        ws.ensure_reference()
        yield ws


def refused(workspace: Workspace, path, day: date = date(2025, 4, 1)) -> str:
    """The refusal's whole message; the store holds no prices after it."""
    with pytest.raises(ReferenceDataError, match="nothing was changed") as refusal:
        workspace.set_credit_prices(path, day)
    assert workspace.credit_prices.all() == []
    return str(refusal.value)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("", "prices.csv: the file is empty: it needs the header tier,price_per_credit_gbp"),
        ("\n\n", "prices.csv: the file is empty"),
        ("tier,price\nA1,1\n", "row 1, price_per_credit_gbp: a column named"),
        ("tier\nA1\n", "row 1, price_per_credit_gbp: a column named"),
        ("Tier;Price\nA1;1\n", "row 1, tier: a column named 'tier' in the header"),
        (f"{HEADER},{HEADER}\n{GOOD_ROWS}", "row 1, tier: 'tier' is named twice"),
        (f"{HEADER}\nA1,42000,surplus\n", "row 2: found 'surplus' — more cells than the header"),
        (with_a1("abc"), "row 2, price_per_credit_gbp: found 'abc' — not a number"),
        (with_a1("-5"), "row 2, price_per_credit_gbp: found '-5' — must be more than 0"),
        (with_a1("0"), "row 2, price_per_credit_gbp: found '0' — must be more than 0"),
        (with_a1("999999999999"), "found '999999999999' — must be at most 100,000,000"),
        (with_a1("1e400"), "found '1e400' — exponent out of range"),
        (with_a1("9" * 500), "too long (more than 40 characters)"),
        (with_a1("nan"), "found 'nan' — not a finite number"),
        (with_a1('"1.234,50"'), "no thousands separator: 1234.50"),
        (with_a1('"42,5"'), "found '42,5' — use a point for decimals: 42.5"),
        (with_a1('"=HYPERLINK(""http://x"",""1"")"'), "starts like a spreadsheet formula"),
        (with_a1("+1"), "found '+1' — starts like a spreadsheet formula"),
        (with_a1("@SUM(1)"), "found '@SUM(1)' — starts like a spreadsheet formula"),
        (f"{HEADER}\n=A1,42000\n", "row 2, tier: found '=A1' — starts like a spreadsheet formula"),
        (f"{HEADER}\nB9,42000\n", "row 2, tier: found 'B9'; expected one of A1, A2"),
        (f"{HEADER}\n{GOOD_ROWS}A1,1\n", "row 9, tier: found 'A1' — a repeat"),
        (f"{HEADER}\nA1,42000\n", "prices.csv, tier: a row for tier A2"),
        (f"{HEADER}\nA1,4\x002\n", "row 2, price_per_credit_gbp: found '4\\x002'"),
    ],
)
def test_a_hostile_file_is_refused_naming_where(workspace, tmp_path, content, said) -> None:
    path = tmp_path / "prices.csv"
    path.write_text(content, encoding="utf-8")
    assert said in refused(workspace, path)


def test_a_byte_order_mark_and_blank_lines_are_read(workspace, tmp_path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + f"{HEADER}\r\n\r\n{GOOD_ROWS}".encode())
    prices = workspace.set_credit_prices(path, date(2025, 4, 1))
    assert prices.prices[CreditTier.A1] == 42_000 and len(prices.prices) == len(CreditTier)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (f"{HEADER}\nA1,42000\nA2,56\xa3000\n".encode("latin-1"), "row 3: byte 0xA3 is not UTF-8"),
        (f"{HEADER}\n{GOOD_ROWS}".encode("utf-16"), "row 1: byte 0xFF is not UTF-8"),
    ],
)
def test_text_that_is_not_utf8_is_refused_naming_its_row(
    workspace, tmp_path, content, said
) -> None:
    path = tmp_path / "prices.csv"
    path.write_bytes(content)
    message = refused(workspace, path)
    assert "prices.csv is not a CSV text file (UTF-8)" in message and said in message


def test_a_file_far_larger_than_a_prices_file_is_refused_unread(workspace, tmp_path) -> None:
    path = tmp_path / "prices.csv"
    path.write_text(HEADER + "\n" + "A1,1\n" * 50_000, encoding="utf-8")
    assert f"too large ({path.stat().st_size:,} bytes)" in refused(workspace, path)


def test_a_day_years_ahead_is_refused(workspace, tmp_path) -> None:
    path = tmp_path / "prices.csv"
    path.write_text(f"{HEADER}\n{GOOD_ROWS}", encoding="utf-8")
    message = refused(workspace, path, date.today() + timedelta(days=3 * 365))
    assert "more than two years ahead" in message and "check the year" in message
    next_year = date.today() + timedelta(days=365)
    assert workspace.set_credit_prices(path, next_year).effective_from == next_year


def test_a_set_dated_before_the_bundled_one_is_listed_first(workspace, tmp_path) -> None:
    path = tmp_path / "prices.csv"
    path.write_text(f"{HEADER}\n{GOOD_ROWS}", encoding="utf-8")
    workspace.set_credit_prices(path, date(2020, 1, 1))
    dates = [prices.effective_from for prices in workspace.credit_price_sets()]
    assert dates == sorted(dates) and dates[0] == date(2020, 1, 1)


def run_set(tmp_path, capsys, file: str, day: str) -> tuple[int, str]:
    """``bng reference credit-prices set FILE --from DAY``: its exit status and stderr."""
    command = ["reference", "credit-prices", "set", file, "--from", day]
    data = str(tmp_path / "data")
    try:
        code = main(["--data-dir", data, "--quiet", *command])
    except SystemExit as usage:
        code = int(usage.code or 0)
    err = capsys.readouterr().err
    assert TRACEBACK not in err
    with Workspace.open(tmp_path / "data") as workspace:
        assert workspace.credit_prices.all() == [], "nothing was stored"
    return code, err


@pytest.mark.parametrize(
    ("day", "said"),
    [
        ("2025-13-01", "'2025-13-01' is not a date like 2025-01-31"),
        ("", "'' is not a date like 2025-01-31"),
        ("20250401", "'20250401' is not a date like 2025-01-31"),
        ("2025-W14-2", "'2025-W14-2' is not a date like 2025-01-31"),
        ("01/04/2025", "'01/04/2025' is not a date like 2025-01-31"),
        ("9999-12-31", "9999-12-31 is more than two years ahead"),
    ],
)
def test_a_bad_from_day_is_a_usage_error(tmp_path, capsys, day, said) -> None:
    path = tmp_path / "prices.csv"
    path.write_text(f"{HEADER}\n{GOOD_ROWS}", encoding="utf-8")
    code, err = run_set(tmp_path, capsys, str(path), day)
    assert code == ExitCode.USAGE
    assert "argument --from:" in err and said in err


def test_a_refused_file_on_the_command_line_names_the_cell(tmp_path, capsys) -> None:
    path = tmp_path / "prices.csv"
    path.write_text(with_a1('"42,5"'), encoding="utf-8")
    code, err = run_set(tmp_path, capsys, str(path), "2025-04-01")
    assert code == ExitCode.REFUSED
    told = [line for line in err.splitlines() if not line.startswith("First run")]
    assert told[0] == "bng: The credit prices in prices.csv cannot be used; nothing was changed"
    assert "prices.csv row 2, price_per_credit_gbp: found '42,5'" in err


@pytest.mark.parametrize("name", ["missing.csv", "a-folder"])
def test_a_file_that_cannot_be_read_is_named(tmp_path, capsys, name) -> None:
    (tmp_path / "a-folder").mkdir()
    code, err = run_set(tmp_path, capsys, str(tmp_path / name), "2025-04-01")
    assert code == ExitCode.ENVIRONMENT
    assert name in err and "nothing was changed" in err
