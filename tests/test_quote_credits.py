"""Every quote carries the same demand priced as statutory credits: in the
quote itself, in the saved copy and in the CLI's JSON."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

import bng_desktop.workspace as workspace_module
from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.result import QuoteRequest
from bng_desktop.core.statutory_credits import CreditTier
from bng_desktop.io.quote_json import quote_to_json
from bng_desktop.workspace import Workspace

DEMAND = (
    DemandLine("Grassland - Modified grassland", Fraction(12, 10)),
    DemandLine("Net Gain (area)", Fraction(8, 10)),
    DemandLine("Native hedgerow", Fraction(3, 10)),
)
SITE = Site(lpa="Winchester", nca="South Downs")


@pytest.fixture
def workspace(tmp_path):
    with Workspace.open(tmp_path / "data") as ws:
        ws.ensure_reference()
        yield ws


def test_a_quote_carries_its_demand_priced_as_credits(workspace) -> None:
    quote = workspace.quote(QuoteRequest(SITE, DEMAND))
    credits = quote.statutory_credits
    assert credits is not None
    by_tier = {tier.tier: tier for tier in credits.tiers}
    # 1.2 + 0.8 area units at A1: 4 credits × £42,000; 0.3 hedgerow: 0.6 × £44,000
    assert by_tier[CreditTier.A1].cost == 168_000
    assert by_tier[CreditTier.H].cost == 26_400
    assert credits.total == 194_400
    assert credits.saving_against(quote.totals.total) == 194_400 - quote.totals.total


def test_the_saved_quote_and_the_cached_answer_keep_the_credits(workspace) -> None:
    quote = workspace.quote(QuoteRequest(SITE, DEMAND))
    saved = workspace.save_quote(quote, client_name="Acme Homes")
    reopened = workspace.quotes.get(saved.reference).quote
    assert reopened.statutory_credits == quote.statutory_credits
    assert workspace.quote(QuoteRequest(SITE, DEMAND)).statutory_credits == quote.statutory_credits


def test_the_json_states_the_credits_and_the_saving(workspace) -> None:
    quote = workspace.quote(QuoteRequest(SITE, DEMAND))
    credits = quote_to_json(quote)["statutory_credits"]
    assert credits["total"] == 194_400
    assert credits["prices_date"] == "2023-07-27"
    assert credits["vat"] == "excluded"
    assert [tier["tier"] for tier in credits["tiers"]] == ["A1", "H"]
    assert credits["summary"].startswith("Statutory credits for the same demand: £194,400 + VAT")


def test_the_workspace_works_out_alternatives_for_the_json(workspace) -> None:
    quote = workspace.quote(QuoteRequest(SITE, DEMAND))
    found = workspace.alternatives(quote)
    out = quote_to_json(quote, alternatives=found)["alternatives"]
    assert {a["change"] for a in out} == {"without_bank"}, "the sample's two banks both matter"
    assert {a["bank_id"] for a in out} == set(quote.banks_used)
    for alternative, shown in zip(found, out, strict=True):
        assert shown["description"] == alternative.description
        assert alternative.difference != 0
    assert "alternatives" not in quote_to_json(quote)


def test_a_cached_answer_carries_the_credit_prices_published_since(workspace, monkeypatch) -> None:
    first = workspace.quote(QuoteRequest(SITE, DEMAND))
    schedule = workspace.credit_schedule()
    doubled = dataclasses.replace(
        schedule, prices={tier: price * 2 for tier, price in schedule.prices.items()}
    )
    monkeypatch.setattr(workspace, "credit_schedule", lambda: doubled)
    monkeypatch.setattr(workspace_module, "make_quote", _engine_must_not_run)
    again = workspace.quote(QuoteRequest(SITE, DEMAND))
    assert again.lines == first.lines
    assert again.statutory_credits.total == 2 * first.statutory_credits.total


def _engine_must_not_run(*args, **kwargs):
    raise AssertionError("the engine ran for a cached request")
