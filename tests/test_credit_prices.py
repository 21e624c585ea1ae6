"""Statutory credit prices an admin sets with their date: the file checked with
clear messages, stored in the real SQLite store, and quotes priced at the set
in force on their date, saying which."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest

from bng_desktop.cli import main
from bng_desktop.core.errors import ReferenceDataError, ReplaceNotConfirmed
from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.result import QuoteRequest
from bng_desktop.core.statutory_credits import CreditTier, describe
from bng_desktop.io.quote_json import quote_to_json
from bng_desktop.workspace import Workspace

REQUEST = QuoteRequest(
    Site(lpa="Winchester", nca="South Downs"),
    (
        DemandLine("Grassland - Modified grassland", Fraction(1)),
        DemandLine("Native hedgerow", Fraction(1, 2)),
    ),
)
GOOD = {"A1": "50000", "A2": "56000", "A3": "76000", "A4": "145000", "A5": "760000"}
GOOD |= {"H": "51000", "W": "268000"}


def prices_file(folder, rows: dict[str, str], name: str = "prices.csv"):
    path = folder / name
    lines = ["tier,price_per_credit_gbp,applies_to"]
    lines += [f"{tier},{price},note" for tier, price in rows.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def workspace(tmp_path):
    with Workspace.open(tmp_path / "data") as ws:
        ws.ensure_reference()
        yield ws


def test_quotes_use_the_prices_in_force_on_their_date_and_say_it(workspace, tmp_path) -> None:
    bundled = workspace.quote(REQUEST, use_cache=False).statutory_credits
    assert bundled.prices_date == "2023-07-27"
    assert bundled.total == 2 * 42_000 + 1 * 44_000
    workspace.set_credit_prices(prices_file(tmp_path, GOOD), date(2025, 4, 1))
    later = dict(GOOD, A1="99000")
    workspace.set_credit_prices(prices_file(tmp_path, later), date.today() + timedelta(days=30))

    today = workspace.quote(REQUEST).statutory_credits
    assert today.prices_date == "2025-04-01", "the future set is not in force yet"
    assert today.total == 2 * 50_000 + 1 * 51_000
    assert "(prices of 1 April 2025)" in describe(today, 10_000)
    assert quote_to_json(workspace.quote(REQUEST))["statutory_credits"]["prices_date"] == (
        "2025-04-01"
    )
    assert workspace.credit_schedule(date(2024, 1, 1)).prices[CreditTier.A1] == 42_000
    future = workspace.credit_schedule(date.today() + timedelta(days=31))
    assert future.prices[CreditTier.A1] == 99_000


def test_setting_a_date_again_replaces_its_prices_only_when_confirmed(workspace, tmp_path) -> None:
    workspace.set_credit_prices(prices_file(tmp_path, GOOD), date(2025, 4, 1))
    cheaper = prices_file(tmp_path, dict(GOOD, H="1"), "cheaper.csv")
    with pytest.raises(ReplaceNotConfirmed, match="prices of 1 April 2025 are already set"):
        workspace.set_credit_prices(cheaper, date(2025, 4, 1))
    assert workspace.credit_prices.all()[0].prices[CreditTier.H] == 51_000, "nothing changed"
    with pytest.raises(ReplaceNotConfirmed, match="prices of 27 July 2023"):
        workspace.set_credit_prices(cheaper, date(2023, 7, 27))
    workspace.set_credit_prices(cheaper, date(2025, 4, 1), replace=True)
    stored = workspace.credit_prices.all()
    assert len(stored) == 1 and stored[0].prices[CreditTier.H] == 1
    assert [p.effective_from for p in workspace.credit_price_sets()] == [
        date(2023, 7, 27),
        date(2025, 4, 1),
    ]


@pytest.mark.parametrize(
    ("rows", "said"),
    [
        (dict(GOOD, A2="-3"), "prices.csv row 3, price_per_credit_gbp: found '-3'"),
        (dict(GOOD, A2="£56k"), "prices.csv row 3, price_per_credit_gbp: found '£56k'"),
        ({**GOOD, "B9": "1"}, "prices.csv row 9, tier: found 'B9'; expected one of A1"),
        ({k: v for k, v in GOOD.items() if k != "W"}, "prices.csv, tier: a row for tier W"),
    ],
)
def test_a_bad_file_is_refused_naming_the_cell_and_nothing_changes(
    workspace, tmp_path, rows, said
) -> None:
    with pytest.raises(ReferenceDataError, match="nothing was changed") as refused:
        workspace.set_credit_prices(prices_file(tmp_path, rows), date(2025, 4, 1))
    assert said in str(refused.value)
    assert workspace.credit_prices.all() == []


def test_a_thousands_comma_and_a_missing_column_are_named(workspace, tmp_path) -> None:
    comma = tmp_path / "comma.csv"
    comma.write_text("tier,price_per_credit_gbp\nA1,42,000\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"comma\.csv row 2: found '000'"):
        workspace.set_credit_prices(comma, date(2025, 4, 1))
    header = tmp_path / "header.csv"
    header.write_text("tier,price\nA1,42000\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="a column named 'price_per_credit_gbp'"):
        workspace.set_credit_prices(header, date(2025, 4, 1))


def test_the_command_line_sets_and_lists_the_prices(tmp_path, capsys) -> None:
    data = str(tmp_path / "data")
    path = prices_file(tmp_path, GOOD)
    with pytest.raises(SystemExit) as usage:
        main(["--data-dir", data, "reference", "credit-prices", "set", str(path)])
    assert usage.value.code == 2 and "--from" in capsys.readouterr().err
    command = ["reference", "credit-prices", "set", str(path), "--from", "2025-04-01"]
    assert main(["--data-dir", data, *command]) == 0
    assert "prices of 1 April 2025" in capsys.readouterr().out
    assert main(["--data-dir", data, "reference", "credit-prices", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0].startswith("2023-07-27\tGOV.UK (bundled)\tA1 42000")
    assert listed[1].startswith("2025-04-01\tprices.csv\tA1 50000")
    bad = prices_file(tmp_path, dict(GOOD, A1="x"), "bad.csv")
    command = ["reference", "credit-prices", "set", str(bad), "--from", "2025-05-01"]
    assert main(["--data-dir", data, *command]) == 1
    assert "bad.csv row 2, price_per_credit_gbp: found 'x'" in capsys.readouterr().err


def test_the_command_line_replaces_a_dates_prices_only_with_yes(tmp_path, capsys) -> None:
    data = str(tmp_path / "data")
    first, second = prices_file(tmp_path, GOOD), prices_file(tmp_path, dict(GOOD, W="1"), "w.csv")
    command = ["--data-dir", data, "reference", "credit-prices", "set"]
    assert main([*command, str(first), "--from", "2025-04-01"]) == 0
    capsys.readouterr()
    assert main([*command, str(second), "--from", "2025-04-01"]) == 1
    refused = capsys.readouterr().err
    assert "prices of 1 April 2025 are already set, from prices.csv;" in refused
    assert "run the command again with --yes to confirm" in refused
    assert main(["--data-dir", data, "reference", "credit-prices", "list"]) == 0
    assert "W 268000" in capsys.readouterr().out.splitlines()[1], "nothing was replaced"
    assert main([*command, str(second), "--from", "2025-04-01", "--yes"]) == 0
    assert main(["--data-dir", data, "reference", "credit-prices", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[-1].startswith("2025-04-01\tw.csv") and listed[-1].endswith("W 1")
