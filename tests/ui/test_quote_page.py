"""The quote page, end to end on the sample data, through the simulated user."""

from __future__ import annotations

import asyncio
import io

import openpyxl
import pytest
from nicegui.testing import User

from bng_desktop.core.errors import InfeasibleQuote, UnmetLine, UnmetReason
from bng_desktop.ui.components.demand import habitat_options
from tests.ui.app_fixtures import quote_until_cancelled
from tests.ui.conftest import choose

pytestmark = pytest.mark.asyncio


async def fill_site(user: User) -> None:
    choose(user, "lpa", "Winchester")
    choose(user, "nca", "South Downs")
    await user.should_see("banks: 3 local")


async def fill_demand(user: User, services) -> None:
    labels = habitat_options(services.snapshot())
    user.find(marker="habitat-1").click()
    user.find(labels["Grassland - Modified grassland"]).click()
    choose(user, "units-1", 1.2)
    user.find("Net Gain (area)").click()
    choose(user, "units-2", 0.8)


async def get_quote(user: User) -> None:
    user.find(marker="get-quote").click()
    await user.should_see("Quote ready", retries=100)


async def test_first_run_says_the_sample_data_is_loaded(user: User):
    await user.open("/")
    await user.should_see("SAMPLE reference data")
    await user.should_see("The quote appears here.")


async def test_full_quote_from_site_to_excel(user: User, services):
    await user.open("/")
    await fill_site(user)
    await fill_demand(user, services)
    await user.should_see("Total 2.00 units")
    await get_quote(user)
    await user.should_see("+ VAT")
    await user.should_see("proven cheapest")
    user.find("Client view").click()
    await user.should_see("Planning Discharge Pack")
    user.find(marker="client-name").type("Acme Homes")
    user.find(marker="save").click()
    await user.should_see("Saved as BNG-A-02025")
    user.find(marker="export").click()
    response = await user.download.next()
    book = openpyxl.load_workbook(io.BytesIO(response.content), data_only=True)
    assert {"Quote", "Allocation", "Details"} <= set(book.sheetnames)
    saved = services.workspace.quotes.get("BNG-A-02025")
    assert saved.client_name == "Acme Homes"
    cells = [c for row in book["Quote"].iter_rows(values_only=True) for c in row]
    assert saved.quote.totals.display_total in cells
    names = sorted({line.bank_name for line in saved.quote.optimiser_lines})
    await user.should_see(f"{'bank' if len(names) == 1 else 'banks'}: {', '.join(names)}")
    for bank_id in saved.quote.banks_used:
        await user.should_not_see(bank_id)


async def test_an_invalid_line_is_marked_and_blocks_the_quote(user: User, services):
    await user.open("/")
    await fill_site(user)
    choose(user, "habitat-1", "Urban - Developed land; sealed surface")
    choose(user, "units-1", 1)
    await user.should_see("V.Low area habitat: nothing to compensate")
    assert not user.find(marker="get-quote").elements.pop().enabled
    choose(user, "units-1", 0)
    choose(user, "habitat-1", "Grassland - Modified grassland")
    await user.should_see("units must be above 0")
    assert not user.find(marker="get-quote").elements.pop().enabled


async def test_cancel_stops_a_running_quote(user: User, services, monkeypatch):
    monkeypatch.setattr(services.workspace, "quote", quote_until_cancelled)
    await user.open("/")
    await fill_site(user)
    await fill_demand(user, services)
    user.find(marker="get-quote").click()
    await user.should_see("Working", retries=50)
    user.find(marker="cancel").click()
    await user.should_see("Cancelled; nothing changed.", retries=50)
    await user.should_see("The quote appears here.")


async def test_an_infeasible_quote_is_explained(user: User, services):
    await user.open("/")
    await fill_site(user)
    choose(user, "habitat-1", "Grassland - Lowland calcareous grassland")
    choose(user, "units-1", 900)
    await get_quote_failing(user)
    await user.should_see("The demand cannot be met as it stands")
    await user.should_see("What would help")


async def get_quote_failing(user: User) -> None:
    user.find(marker="get-quote").click()
    await user.should_see("the reasons are in the result", retries=100)


async def test_manual_lines_and_removal_update_the_totals(user: User, services):
    await user.open("/")
    await fill_site(user)
    await fill_demand(user, services)
    await get_quote(user)
    before = shown_total(user)
    user.find(marker="manual-hedgerow").click()
    choose(user, "manual-demand", "Native hedgerow")
    choose(user, "manual-supply", "Native hedgerow")
    choose(user, "manual-units", 1)
    choose(user, "manual-price", 10000)
    user.find(marker="manual-add").click()
    await user.should_see("manual")
    assert shown_total(user) == before + 10000
    user.find(marker="allocation").trigger("remove", {"line_id": "man-1"})
    await user.should_see("Line removed")
    assert shown_total(user) == before


async def test_a_bad_manual_line_is_refused_with_its_reason(user: User, services):
    await user.open("/")
    await fill_site(user)
    await fill_demand(user, services)
    await get_quote(user)
    before = shown_total(user)
    user.find(marker="manual-area").click()
    choose(user, "manual-demand", "Grassland - Modified grassland")
    choose(user, "manual-units", 0)
    user.find(marker="manual-add").click()
    await user.should_see("a habitat name")
    assert shown_total(user) == before


def shown_total(user: User) -> int:
    label = user.find(marker="quote-total").elements.pop()
    return int(label.text.split()[0].replace("£", "").replace(",", ""))


async def test_infeasible_explanations_name_the_action(user: User, services, monkeypatch):
    error = InfeasibleQuote(
        [
            UnmetLine(
                0,
                "Grassland - Modified grassland",
                UnmetReason.BANK_CAP,
                "needs 3 banks",
                "raise the bank cap, or allow split lines",
            )
        ]
    )

    def refuse(request, **kwargs):
        raise error

    monkeypatch.setattr(services.workspace, "quote", refuse)
    await user.open("/")
    await fill_site(user)
    await fill_demand(user, services)
    await get_quote_failing(user)
    await user.should_see("What would help: raise the bank cap, or allow split lines")
    await asyncio.sleep(0)
