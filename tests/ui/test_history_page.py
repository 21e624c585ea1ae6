"""The history page: search, open, re-quote, export, delete with confirmation."""

from __future__ import annotations

import io
from fractions import Fraction

import openpyxl
import pytest
from nicegui.testing import User

from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.result import QuoteRequest

pytestmark = pytest.mark.asyncio


def save_quotes(services, *clients: str) -> list[str]:
    request = QuoteRequest(
        Site(lpa="Winchester", nca="South Downs"),
        (DemandLine("Grassland - Modified grassland", Fraction(3, 2)),),
    )
    quote = services.workspace.quote(request)
    return [services.save(quote, client).reference for client in clients]


def select(user: User, reference: str) -> None:
    table = user.find(marker="history-table").elements.pop()
    table.selected = [row for row in table.rows if row["reference"] == reference]


async def test_empty_history_says_what_will_appear(user: User):
    await user.open("/history")
    await user.should_see("No saved quotes yet")


def listed_clients(user: User) -> list[str]:
    return [row["client"] for row in user.find(marker="history-table").elements.pop().rows]


async def test_search_by_client_finds_only_matching_quotes(user: User, services):
    save_quotes(services, "Acme Homes", "Brook Estates")
    await user.open("/history")
    assert sorted(listed_clients(user)) == ["Acme Homes", "Brook Estates"]
    user.find(marker="filter-client").type("acme")
    assert listed_clients(user) == ["Acme Homes"]
    user.find(marker="filter-client").clear().type("nobody")
    await user.should_see("No saved quotes match these filters.")
    assert listed_clients(user) == []


async def test_open_shows_the_saved_quote_read_only(user: User, services):
    (reference,) = save_quotes(services, "Acme Homes")
    await user.open("/history")
    select(user, reference)
    user.find(marker="history-open").click()
    await user.should_see(f"{reference} · Acme Homes")
    await user.should_see("Planning Discharge Pack")


async def test_requote_loads_the_quote_page_and_saves_a_revision(user: User, services):
    (reference,) = save_quotes(services, "Acme Homes")
    await user.open("/history")
    select(user, reference)
    user.find(marker="history-re-quote").click()
    await user.should_see(f"Re-quoting {reference}")
    user.find(marker="get-quote").click()
    await user.should_see("Quote ready", retries=100)
    user.find(marker="save").click()
    await user.should_see(f"Saved as {reference}.1")
    assert services.workspace.quotes.get(f"{reference}.1").client_name == "Acme Homes"


async def test_export_downloads_the_excel_quote(user: User, services):
    (reference,) = save_quotes(services, "Acme Homes")
    await user.open("/history")
    select(user, reference)
    user.find(marker="history-export").click()
    response = await user.download.next()
    book = openpyxl.load_workbook(io.BytesIO(response.content), data_only=True)
    details = [c for row in book["Details"].iter_rows(values_only=True) for c in row]
    assert reference in details


async def test_delete_asks_first_and_only_then_deletes(user: User, services):
    (reference,) = save_quotes(services, "Acme Homes")
    await user.open("/history")
    select(user, reference)
    user.find(marker="history-delete").click()
    await user.should_see(f"Delete {reference} for good?")
    user.find("Keep it").click()
    assert services.workspace.quotes.get(reference)
    select(user, reference)
    user.find(marker="history-delete").click()
    user.find(marker="confirm-delete").click()
    await user.should_see(f"Deleted {reference}")
    assert services.workspace.quotes.search() == []


async def test_actions_without_a_selection_say_so(user: User, services):
    save_quotes(services, "Acme Homes")
    await user.open("/history")
    user.find(marker="history-delete").click()
    await user.should_see("Select a quote in the table first.")
