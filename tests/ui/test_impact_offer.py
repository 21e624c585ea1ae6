"""After a reference import the consultant is told what it means for open
quotes and taken to the comparison in one click; with none open, told so."""

from __future__ import annotations

from nicegui.testing import User

from bng_desktop.core.impact import VersionArrival
from tests.ui.test_impact_page import dearer_version, save_quote, wait_for
from tests.ui.test_reference_page import upload, workbook_bytes


def dearer_prices(book) -> None:
    """Every bank price in the workbook 10 % higher."""
    sheet = book["Pricing"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("price") + 1
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(cell.value, (int, float)):
            cell.value = cell.value * 1.1


async def test_an_import_offers_the_impact_and_following_it_shows_the_table(
    user: User, services, tmp_path
):
    first = save_quote(services, "Acme Homes")
    second = save_quote(services, "Brook Estates")
    await user.open("/reference")
    await upload(user, "dearer.xlsx", workbook_bytes(services, tmp_path, dearer_prices))
    await user.should_see("Imported dearer.xlsx as version 2", retries=100)
    await user.should_see("Version 2 imported. See what it does to 2 open quotes.")
    user.find(marker="impact-offer-open").click()
    await wait_for(user, "2 open quotes: 2 dearer")
    assert user.find(marker="impact-version").elements.pop().value == 2
    table = user.find(marker="impact-table").elements.pop()
    assert {row["reference"] for row in table.rows} == {first, second}


async def test_with_no_open_quotes_the_import_says_so_and_offers_nothing(
    user: User, services, tmp_path
):
    await user.open("/reference")
    await upload(user, "backend.xlsx", workbook_bytes(services, tmp_path))
    await user.should_see("Imported backend.xlsx as version 2", retries=100)
    await user.should_see(
        "Version 2 imported. No open quotes were saved in the last 90 days to compare."
    )
    await user.should_not_see(marker="impact-offer-open")


async def test_the_impact_page_opened_with_version_and_run_compares_that_version_at_once(
    user: User, services, monkeypatch
):
    save_quote(services, "Acme Homes")
    dearer = dearer_version(services)
    assert services.current_version().version_id == dearer
    started = []
    start_impact = services.start_impact

    def recorded(version_id, **kwargs):
        started.append(version_id)
        return start_impact(version_id, **kwargs)

    monkeypatch.setattr(services, "start_impact", recorded)
    await user.open("/impact?version=1&run=1")
    await wait_for(user, "1 open quote: 1 unchanged")
    assert started == [1]
    assert user.find(marker="impact-version").elements.pop().value == 1


async def test_the_impact_page_without_run_waits_for_compare(user: User, services, monkeypatch):
    started = []
    monkeypatch.setattr(services, "start_impact", lambda *args, **kwargs: started.append(args))
    await user.open("/impact?version=1")
    await user.should_see("Choose a reference version and press Compare")
    assert started == []


def test_the_offer_counts_open_quotes_saved_in_the_period(services):
    save_quote(services, "Acme Homes")
    offer = services.impact_offer(1, VersionArrival.PULLED)
    assert (offer.open_quotes, offer.worth_comparing) == (1, True)
    assert offer.text == (
        "Version 1 pulled from the team database. See what it does to 1 open quote."
    )
    services.workspace.quotes.delete(
        services.workspace.quote_history()[0].latest.reference, confirm=True
    )
    assert services.impact_offer(1, VersionArrival.PULLED).worth_comparing is False
