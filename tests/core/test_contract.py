"""Contract size, bank cap and admin fee."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bng_desktop.core.bands import ContractSize
from bng_desktop.core.contract import admin_fee, contract_size, ideal_size
from bng_desktop.core.errors import InfeasibleQuote
from bng_desktop.core.model import Bank, StockLine
from bng_desktop.core.policy import Policy
from tests.core.engine_builders import (
    CALCAREOUS,
    HEATH,
    MODIFIED,
    NEUTRAL,
    ORCHARD,
    prices_for,
    quote,
    snapshot,
)

F = Fraction
FRACTIONAL, SMALL, MEDIUM, LARGE = ContractSize
ALL = tuple(ContractSize)


# --- thresholds --------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "size"),
    [
        ("0.0001", FRACTIONAL),
        ("0.0999", FRACTIONAL),
        ("0.1", SMALL),
        ("1", SMALL),
        ("2.4999", SMALL),
        ("2.5", MEDIUM),
        ("14.99", MEDIUM),
        ("15", LARGE),
        ("1000", LARGE),
    ],
    ids=lambda v: str(v),
)
def test_default_thresholds(total, size):
    assert ideal_size(F(total), Policy()) is size
    assert contract_size(F(total), ALL, Policy()) is size


@pytest.mark.parametrize(
    ("total", "size"),
    [
        ("0.49", FRACTIONAL),
        ("0.5", SMALL),
        ("4.99", SMALL),
        ("5", MEDIUM),
        ("49", MEDIUM),
        ("50", LARGE),
    ],
    ids=lambda v: str(v),
)
def test_policy_thresholds(total, size):
    policy = Policy(fractional_below=F(1, 2), small_below=F(5), medium_below=F(50))
    assert contract_size(F(total), ALL, policy) is size


def test_units_are_summed_exactly_in_a_quote():
    # 0.01 + 0.09 is 0.1 exactly: small, not fractional (floats give 0.09999...)
    assert 0.01 + 0.09 < 0.1
    snap = snapshot(
        stock=[StockLine("L-1", "L", NEUTRAL, F(10))], prices=prices_for("L", NEUTRAL, 20000)
    )
    q = quote(snap, [(MODIFIED, "0.01"), (NEUTRAL, "0.09")])
    assert q.total_demand == F(1, 10)
    assert q.contract_size is SMALL
    assert q.totals.admin_fee == 500


# --- sizes missing from Pricing ----------------------------------------------


@pytest.mark.parametrize(
    ("total", "present", "size"),
    [
        ("0.05", (SMALL, MEDIUM, LARGE), SMALL),
        ("0.05", (MEDIUM,), MEDIUM),
        ("0.05", (LARGE,), LARGE),
        ("1", (FRACTIONAL, MEDIUM, LARGE), MEDIUM),
        ("1", (FRACTIONAL, LARGE), LARGE),
        ("3", (FRACTIONAL, SMALL, LARGE), LARGE),
        ("1", (FRACTIONAL,), FRACTIONAL),
        ("20", (FRACTIONAL, SMALL, MEDIUM), MEDIUM),
        ("20", (FRACTIONAL, SMALL), SMALL),
        ("3", (FRACTIONAL, SMALL), SMALL),
        ("1", (SMALL,), SMALL),
        ("1", (), SMALL),
    ],
    ids=[
        "fractional missing -> small",
        "fractional missing -> medium",
        "only large",
        "small missing -> medium",
        "small, medium missing -> large",
        "medium missing -> large",
        "nothing big enough -> largest (fractional)",
        "large missing -> medium",
        "large, medium missing -> small",
        "medium missing, no larger -> small",
        "present as wanted",
        "no pricing at all -> ideal",
    ],
)
def test_size_missing_from_pricing(total, present, size):
    assert contract_size(F(total), present, Policy()) is size


def test_quote_takes_a_present_size_and_its_fee_when_fractional_has_no_rows():
    snap = snapshot(
        stock=[StockLine("L-1", "L", NEUTRAL, F(10))],
        prices=prices_for("L", NEUTRAL, 20000, sizes=(SMALL, MEDIUM)),
    )
    q = quote(snap, [(MODIFIED, "0.05")])
    assert (q.contract_size, q.pricing_size, q.totals.admin_fee) == (SMALL, SMALL, 500)


# --- bank cap ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "cap"),
    [("1", 2), ("4.99", 2), ("5", 2), ("5.0001", 5), ("6", 5), ("100", 5)],
    ids=lambda v: str(v),
)
def test_bank_cap(total, cap):
    assert Policy().bank_cap(F(total)) == cap


def test_bank_cap_policy():
    policy = Policy(bank_cap_small=1, bank_cap_large=3, bank_cap_threshold=F(2))
    assert [policy.bank_cap(F(t)) for t in ("2", "2.01")] == [1, 3]


THREE_BANKS = snapshot(
    banks=[Bank(b, b, "Winchester", "South Downs") for b in ("B1", "B2", "B3")],
    stock=[
        StockLine("B1-1", "B1", CALCAREOUS, F(10)),
        StockLine("B2-1", "B2", HEATH, F(10)),
        StockLine("B3-1", "B3", ORCHARD, F(10)),
    ],
    prices=prices_for("B1", CALCAREOUS, 30000)
    + prices_for("B2", HEATH, 30000)
    + prices_for("B3", ORCHARD, 30000),
)


def test_total_of_exactly_five_caps_at_two_banks():
    with pytest.raises(InfeasibleQuote) as caught:
        quote(THREE_BANKS, [(CALCAREOUS, 2), (HEATH, 2), (ORCHARD, 1)])
    assert {u.code for u in caught.value.lines} == {"bank_cap"}


def test_total_above_five_allows_five_banks():
    q = quote(THREE_BANKS, [(CALCAREOUS, 2), (HEATH, 2), (ORCHARD, "1.01")])
    assert q.bank_cap == 5
    assert q.banks_used == ("B1", "B2", "B3")


# --- admin fee ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "policy", "fee"),
    [
        (FRACTIONAL, Policy(), 300),
        (SMALL, Policy(), 500),
        (MEDIUM, Policy(), 500),
        (LARGE, Policy(), 500),
        (FRACTIONAL, Policy(admin_fee_fractional=F(250), admin_fee_other=F(750)), 250),
        (LARGE, Policy(admin_fee_fractional=F(250), admin_fee_other=F(750)), 750),
    ],
    ids=["fractional", "small", "medium", "large", "policy fractional", "policy other"],
)
def test_admin_fee(size, policy, fee):
    assert admin_fee(size, policy) == fee


@pytest.mark.parametrize(
    ("units", "size", "fee"),
    [("0.05", FRACTIONAL, 300), ("0.1", SMALL, 500), ("3", MEDIUM, 500), ("15", LARGE, 500)],
    ids=["fractional", "small", "medium", "large"],
)
def test_quote_admin_fee_follows_contract_size(units, size, fee):
    snap = snapshot(
        stock=[StockLine("L-1", "L", NEUTRAL, F(100))], prices=prices_for("L", NEUTRAL, 20000)
    )
    q = quote(snap, [(NEUTRAL, units)])
    assert (q.contract_size, q.totals.admin_fee) == (size, fee)
    assert q.totals.total == F(units) * 20000 + fee


@pytest.mark.parametrize(
    ("units", "size", "fee"),
    [("0.3", FRACTIONAL, 275), ("0.5", SMALL, 650), ("5", MEDIUM, 650)],
    ids=["0.3 fractional under policy", "0.5 small under policy", "5 medium under policy"],
)
def test_quote_follows_policy_thresholds_and_fees(units, size, fee):
    policy = Policy(
        fractional_below=F(1, 2),
        small_below=F(5),
        medium_below=F(50),
        admin_fee_fractional=F(275),
        admin_fee_other=F(650),
    )
    snap = snapshot(
        stock=[StockLine("L-1", "L", NEUTRAL, F(100))], prices=prices_for("L", NEUTRAL, 20000)
    )
    q = quote(snap, [(NEUTRAL, units)], policy=policy)
    assert (q.contract_size, q.totals.admin_fee) == (size, fee)
