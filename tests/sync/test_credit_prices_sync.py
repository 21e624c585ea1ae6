"""Statutory credit prices through the real central PostgreSQL: an admin sets
them with their date, a consultant cannot, and every desktop quotes with the
prices in force after its next sync."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from sqlalchemy.exc import ProgrammingError

from bng_desktop.cli import main
from bng_desktop.core.errors import NotAllowed
from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.result import QuoteRequest
from bng_desktop.core.statutory_credits import CreditPrices, CreditTier
from bng_desktop.sync.logins import TeamRole
from tests.sync.test_central_roles import Login, audit, logins  # noqa: F401 (the fixture)

GRASSLAND = QuoteRequest(
    Site(lpa="Winchester", nca="South Downs"),
    (DemandLine("Grassland - Modified grassland", Fraction(3, 2)),),
)
APRIL_2025 = date(2025, 4, 1)


def prices(a1: int, day: date = APRIL_2025) -> CreditPrices:
    by_tier = {tier: Fraction(100_000) for tier in CreditTier}
    by_tier[CreditTier.A1] = Fraction(a1)
    return CreditPrices(effective_from=day, prices=by_tier, source="prices.csv")


def test_an_admins_prices_reach_a_colleagues_quotes_with_their_date(central, desktop, logins):  # noqa: F811
    boss, alice = logins("boss", TeamRole.ADMIN), logins("alice")
    admin = desktop("admin")
    admin.sync.publish_credit_prices(prices(50_000), boss.url)
    with pytest.raises(NotAllowed, match="Setting statutory credit prices needs an admin login"):
        admin.sync.publish_credit_prices(prices(1, date(2025, 5, 1)), alice.url)
    assert admin.credit_schedule().prices[CreditTier.A1] == 50_000, "the admin's desktop at once"

    b = desktop("b")
    before = b.quote(GRASSLAND).statutory_credits
    assert before.prices_date == "2023-07-27" and before.total == 3 * 42_000
    report = b.sync.sync(alice.url)
    assert report.ok, report.error
    assert report.credit_price_sets == 1
    after = b.quote(GRASSLAND).statutory_credits
    assert after.prices_date == "2025-04-01"
    assert after.total == 3 * 50_000  # 1.5 units × 2 credits × the new A1 price
    assert admin.sync.credit_prices(alice.url) == [prices(50_000)]


def test_republishing_a_date_replaces_its_set_whole_and_is_audited(central, desktop, logins):  # noqa: F811
    boss = logins("boss", TeamRole.ADMIN)
    admin = desktop("admin")
    admin.sync.publish_credit_prices(prices(50_000), boss.url)
    admin.sync.publish_credit_prices(prices(55_000), boss.url)
    assert central.rows("SELECT price FROM credit_price WHERE tier = 'A1'") == [("55000",)]
    assert central.scalar("SELECT count(*) FROM credit_price") == len(CreditTier)
    changes = [(r.db_user, r.detail["change"]) for r in audit(central, "credit_prices")]
    assert changes.count((boss.name, "insert")) == 2 * len(CreditTier)
    assert changes.count((boss.name, "delete")) == len(CreditTier)


def test_only_an_admin_writes_credit_prices_in_the_database(central, logins):  # noqa: F811
    boss, alice = logins("boss", TeamRole.ADMIN), logins("alice")
    add = "INSERT INTO credit_price (effective_from, tier, price) VALUES ('2025-04-01', 'A1', '5')"
    with pytest.raises(ProgrammingError, match="permission denied for table credit_price"):
        alice.execute(add)
    boss.execute(add)
    with pytest.raises(ProgrammingError, match="permission denied for table credit_price"):
        alice.execute("UPDATE credit_price SET price = '1'")
    for bad in ("('2025-04-01', 'Z9', '5')", "('2025-05-01', 'A1', '-5')"):
        with pytest.raises(Exception, match="ck_credit_price"):
            boss.execute(f"INSERT INTO credit_price (effective_from, tier, price) VALUES {bad}")
    assert central.rows("SELECT tier, price FROM credit_price") == [("A1", "5")]


def test_the_command_line_replaces_the_teams_prices_for_a_date_only_with_yes(
    central,
    logins,  # noqa: F811
    tmp_path,
    capsys,
):
    boss = logins("boss", TeamRole.ADMIN)
    rows = "".join(f"{tier.value},100000\n" for tier in CreditTier if tier is not CreditTier.A1)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(f"tier,price_per_credit_gbp\nA1,50000\n{rows}", encoding="utf-8")
    second.write_text(f"tier,price_per_credit_gbp\nA1,55000\n{rows}", encoding="utf-8")
    bng = ["--data-dir", str(tmp_path / "admin"), "central", "credit-prices", "set"]
    dated = ["--from", "2025-04-01", "--url", boss.url]
    assert main([*bng, str(first), *dated]) == 0
    capsys.readouterr()
    assert main([*bng, str(second), *dated]) == 1
    refused = capsys.readouterr().err
    assert "The team's statutory credit prices of 1 April 2025 are already set" in refused
    assert "run the command again with --yes to confirm" in refused
    assert central.rows("SELECT price FROM credit_price WHERE tier = 'A1'") == [("50000",)]
    assert main([*bng, str(second), *dated, "--yes"]) == 0
    assert central.rows("SELECT price FROM credit_price WHERE tier = 'A1'") == [("55000",)]
