"""The impact page: open quotes re-quoted on a chosen reference version in
the background, the table and its summary, Excel, and a one-click re-quote
saved as the next revision."""

from __future__ import annotations

import asyncio
import dataclasses
import io
from fractions import Fraction

import openpyxl
from nicegui.testing import User

from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.result import QuoteRequest
from tests.ui.conftest import choose

WINCHESTER = Site(lpa="Winchester", nca="South Downs")
MODIFIED = "Grassland - Modified grassland"


def save_quote(services, client: str) -> str:
    quote = services.workspace.quote(QuoteRequest(WINCHESTER, (DemandLine(MODIFIED, Fraction(2)),)))
    return services.save(quote, client).reference


def dearer_version(services) -> int:
    """The current data with every price 10 % higher, stored as a new version."""
    data = services.workspace.references.load_data(services.current_version().version_id)
    prices = tuple(dataclasses.replace(p, price=p.price * Fraction(11, 10)) for p in data.prices)
    stored = services.workspace.references.import_data(
        dataclasses.replace(data, prices=prices), "test", label="dearer"
    )
    return stored.version_id


async def wait_for(user: User, text: str, seconds: float = 20) -> None:
    for _ in range(int(seconds * 10)):
        try:
            await user.should_see(text, retries=1)
            return
        except AssertionError:
            await asyncio.sleep(0.1)
    await user.should_see(text)


async def test_before_comparing_the_page_says_what_it_does(user: User, services):
    await user.open("/impact")
    await user.should_see("Choose a reference version and press Compare")
    assert not user.find(marker="impact-export").elements.pop().enabled


async def test_compare_shows_the_dearer_quotes_and_exports_them(user: User, services):
    first = save_quote(services, "Acme Homes")
    second = save_quote(services, "Brook Estates")
    version = dearer_version(services)
    await user.open("/impact")
    choose(user, "impact-version", version)
    user.find(marker="impact-compare").click()
    await wait_for(user, "2 open quotes: 2 dearer")
    table = user.find(marker="impact-table").elements.pop()
    assert {row["reference"] for row in table.rows} == {first, second}
    assert {row["outcome"] for row in table.rows} == {"Dearer"}
    assert all(row["change"].startswith("+£") for row in table.rows)
    user.find(marker="impact-export").click()
    response = await user.download.next()
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "2 open quotes: 2 dearer"


async def test_a_row_is_re_quoted_as_its_next_revision(user: User, services):
    reference = save_quote(services, "Acme Homes")
    version = dearer_version(services)
    await user.open("/impact")
    choose(user, "impact-version", version)
    user.find(marker="impact-compare").click()
    await wait_for(user, "1 open quote: 1 dearer")
    user.find(marker="impact-table").trigger("requote", reference)
    await wait_for(user, f"Saved {reference}.1, the next revision of {reference}.")
    revision = services.workspace.quotes.get(f"{reference}.1")
    assert revision.quote.reference_version == version
