"""Customers and promoters on the quote page and in History, through the simulated user."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest
from nicegui.testing import User

from bng_desktop.core.customers import CustomerDetails
from bng_desktop.core.policy import Promoter
from tests.ui.conftest import choose
from tests.ui.test_history_page import a_quote, rows
from tests.ui.test_quote_page import fill_demand, fill_site, get_quote

pytestmark = pytest.mark.asyncio

ACME = CustomerDetails(name="Acme Homes", company="Acme Homes Ltd", email="jo@acme.example.com")


async def quote_on_screen(user: User, services) -> None:
    await user.open("/")
    await fill_site(user)
    await fill_demand(user, services)
    await get_quote(user)


async def test_a_found_customer_is_saved_with_the_quote(user: User, services):
    acme = services.workspace.add_customer(ACME)
    services.workspace.add_customer(CustomerDetails(name="Brook Estates"))
    await quote_on_screen(user, services)
    user.find(marker="customer-search").type("ACME")
    await user.should_see("Acme Homes (Acme Homes Ltd) · jo@acme.example.com")
    await user.should_not_see("Brook Estates")
    user.find(marker="customer-option").click()
    await user.should_see("For Acme Homes (Acme Homes Ltd)")
    user.find(marker="save").click()
    await user.should_see("Saved as BNG-A-02025")
    saved = services.workspace.quotes.get("BNG-A-02025")
    assert saved.customer_uuid == acme.uuid and saved.client_name == "Acme Homes"
    families = services.workspace.customer_quotes(acme.uuid)
    assert [f.base_reference for f in families] == ["BNG-A-02025"]


async def test_a_new_customer_with_a_known_email_is_offered_for_reuse(user: User, services):
    acme = services.workspace.add_customer(ACME)
    await quote_on_screen(user, services)
    user.find(marker="customer-new").click()
    await user.should_see("New customer")
    user.find(marker="customer-name").type("Jo at Acme")
    user.find(marker="customer-email").type(" JO@Acme.Example.com ")
    user.find(marker="customer-add").click()
    await user.should_see("already has the email jo@acme.example.com")
    user.find(marker="customer-use-existing").click()
    await user.should_see("For Acme Homes (Acme Homes Ltd)")
    assert [c.uuid for c in services.workspace.customers.search()] == [acme.uuid]

    user.find(marker="customer-new").click()
    user.find(marker="customer-phone").type("12345")
    user.find(marker="customer-add").click()
    await user.should_see("the name is required")
    await user.should_see("'12345' is not a UK number")
    user.find(marker="customer-name").type("Brook Estates")
    user.find(marker="customer-phone").clear().type("+44 1632 960123")
    user.find(marker="customer-add").click()
    await user.should_see("For Brook Estates · +44 1632 960123")
    user.find(marker="save").click()
    await user.should_see("Saved as BNG-A-02025")
    brook = services.workspace.customers.search("brook")[0]
    assert services.workspace.quotes.get("BNG-A-02025").customer_uuid == brook.uuid


async def test_the_quote_page_offers_the_pulled_promoters_and_applies_the_discount(
    user: User, services
):
    services.workspace.promoters.replace(
        [Promoter("Green Introductions", "percentage", Fraction(10)), Promoter("Plain Ltd")]
    )
    await user.open("/")
    await user.should_not_see("No promoters yet")
    choose(user, "promoter", "Green Introductions")
    await fill_site(user)
    await fill_demand(user, services)
    await get_quote(user)
    user.find(marker="save").click()
    await user.should_see("Saved as BNG-A-02025")
    saved = services.workspace.quotes.get("BNG-A-02025").quote
    green = Promoter("Green Introductions", "percentage", Fraction(10))
    assert saved.request.policy.promoter == green
    without = dataclasses.replace(saved.request.policy, promoter=None)
    undiscounted = services.workspace.quote(dataclasses.replace(saved.request, policy=without))
    assert saved.totals.subtotal == undiscounted.totals.subtotal * Fraction(9, 10)


async def test_without_promoters_the_page_says_where_they_come_from(user: User):
    await user.open("/")
    await user.should_see("No promoters yet")


async def test_history_filters_by_customer(user: User, services):
    acme = services.workspace.add_customer(ACME)
    quote = a_quote(services)
    mine = services.save(quote, "", acme).reference
    other = services.save(quote, "Brook Estates").reference
    await user.open("/history")
    assert sorted(rows(user)) == sorted([mine, other])
    choose(user, "filter-customer", acme.uuid)
    await user.should_not_see(other)
    assert rows(user) == [mine]
    choose(user, "filter-customer", None)
    await user.should_see(other)


async def test_the_chosen_customer_is_kept_with_the_unsaved_draft(services):
    import json

    from bng_desktop.ui.quote_state import QuoteDraft

    acme = services.workspace.add_customer(ACME)
    draft = QuoteDraft(client_name="Acme Homes", customer=acme)
    kept = QuoteDraft.from_payload(json.loads(json.dumps(draft.to_payload())))
    assert kept.customer == acme
    payload = draft.to_payload()
    del payload["customer"]  # a draft kept before customers existed
    assert QuoteDraft.from_payload(payload).customer is None
