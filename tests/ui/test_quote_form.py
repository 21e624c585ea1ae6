"""The quote page's form as a consultant uses it: units kept exactly as typed
(or refused with what to type), status lines that match the page, the
keyboard, and the engine's details folded away from the price."""

from __future__ import annotations

import io
from fractions import Fraction

import openpyxl
import pytest
from nicegui import app
from nicegui.testing import User

from bng_desktop.core.errors import LocationError
from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.result import QuoteRequest
from bng_desktop.ui.pages.quote import CURRENT_DRAFT
from tests.ui.conftest import choose

pytestmark = pytest.mark.asyncio
MODIFIED = "Grassland - Modified grassland"


def draft(user: User):
    with user.client:
        return app.storage.client[CURRENT_DRAFT]


def text_of(user: User, marker: str) -> str:
    return user.find(marker=marker).elements.pop().text


def value_of(user: User, marker: str):
    return user.find(marker=marker).elements.pop().value


async def fill_site(user: User) -> None:
    choose(user, "lpa", "Winchester")
    choose(user, "nca", "South Downs")
    await user.should_see("banks: 3 local")


async def get_quote(user: User) -> None:
    user.find(marker="get-quote").click()
    await user.should_see(marker="quote-total", retries=100)


async def test_units_reach_the_engine_the_saved_quote_and_excel_as_typed(user: User, services):
    await user.open("/")
    await fill_site(user)
    choose(user, "habitat-1", MODIFIED)
    choose(user, "units-1", "3.4567")
    await user.should_see("Total 3.4567 units")
    await get_quote(user)
    quote = draft(user).result
    assert quote.request.demand[0].units == Fraction("3.4567")
    user.find(marker="client-name").type("Acme Homes")
    user.find(marker="save").click()
    await user.should_see("Saved as")
    saved = services.workspace.quotes.get(draft(user).saved_reference)
    assert saved.quote.request.demand[0].units == Fraction("3.4567")
    user.find(marker="export").click()
    response = await user.download.next()
    book = openpyxl.load_workbook(io.BytesIO(response.content), data_only=True)
    allocation = [c for row in book["Allocation"].iter_rows(values_only=True) for c in row]
    assert 3.4567 in allocation
    client_sheet = [c for row in book["Quote"].iter_rows(values_only=True) for c in row]
    assert 3.4567 in client_sheet, "the client sheet rounded the typed units"


async def test_123_456_stays_123_456(user: User):
    await user.open("/")
    choose(user, "habitat-1", MODIFIED)
    choose(user, "units-1", "123.456")
    await user.should_see("Total 123.456 units")
    assert draft(user).rows[0].units == Fraction("123.456")
    assert value_of(user, "units-1") == "123.456"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("1,5", "use a point for decimals: 1.5"),
        ("1,500", "leave out the thousands separator: 1500"),
        ("-2", "a negative number"),
        ("0", "zero units: type more than 0"),
        ("1e3", "without an exponent"),
        ("999999999", "more than 10,000 units"),
        ("lots", "type the units as a decimal"),
    ],
)
async def test_units_that_cannot_be_read_are_refused_under_the_field(user: User, typed, says):
    await user.open("/")
    choose(user, "habitat-1", MODIFIED)
    choose(user, "units-1", typed)
    await user.should_see(says)
    assert says in text_of(user, "problem-1")
    assert value_of(user, "units-1") == typed, "the typed text was changed"
    assert draft(user).rows[0].units is None
    assert not user.find(marker="get-quote").elements.pop().enabled
    await user.should_see("Fix the marked demand lines")
    await user.should_not_see("1e+09")


async def test_units_from_a_saved_quote_show_exactly(user: User, services):
    site = Site(lpa="Winchester", nca="South Downs")
    quote = services.workspace.quote(
        QuoteRequest(site, (DemandLine(MODIFIED, Fraction("3.5327")),))
    )
    reference = services.save(quote, "Acme").reference
    await user.open("/history")
    user.find(marker=f"re-quote-{reference}").click()
    await user.should_see(f"Re-quoting {reference}")
    assert value_of(user, "units-1") == "3.5327"
    assert draft(user).rows[0].units == Fraction("3.5327")


async def test_a_blank_line_is_neither_a_problem_nor_unmarked(user: User):
    await user.open("/")
    await fill_site(user)
    choose(user, "habitat-1", MODIFIED)
    choose(user, "units-1", "1.2")
    user.find(marker="add-line").click()
    await user.should_see(marker="habitat-2")
    await user.should_not_see("Fix the marked demand lines")
    assert user.find(marker="get-quote").elements.pop().enabled
    await get_quote(user)
    assert len(draft(user).result.request.demand) == 1


async def test_fix_the_marked_lines_only_when_a_line_is_marked(user: User):
    await user.open("/")
    choose(user, "units-1", "0")
    await user.should_see("Fix the marked demand lines")
    assert text_of(user, "problem-1"), "the status names marked lines but none is marked"


async def test_a_re_quote_with_site_and_demand_is_ready(user: User, services):
    site = Site(lpa="Winchester", nca="South Downs")
    quote = services.workspace.quote(QuoteRequest(site, (DemandLine(MODIFIED, Fraction(2)),)))
    reference = services.save(quote, "Acme").reference
    await user.open("/history")
    user.find(marker=f"re-quote-{reference}").click()
    await user.should_see(f"Re-quoting {reference}")
    assert "Fill in the site" not in text_of(user, "run-message")
    assert text_of(user, "run-message") == "Ready: get a quote."


async def test_the_lookup_failure_goes_once_the_site_is_picked_by_hand(
    user: User, services, monkeypatch
):
    def unreachable(text):
        raise LocationError("The postcode service cannot be reached; pick the LPA and NCA")

    monkeypatch.setattr(services, "locate", unreachable)
    await user.open("/")
    user.find(marker="postcode").type("SO23 9LJ")
    user.find(marker="locate").click()
    await user.should_see("cannot be reached")
    choose(user, "lpa", "Winchester")
    await user.should_see("cannot be reached")
    choose(user, "nca", "South Downs")
    await user.should_not_see("cannot be reached")


async def test_an_infeasible_quote_points_where_the_reasons_are(user: User):
    await user.open("/")
    await fill_site(user)
    choose(user, "habitat-1", "Grassland - Lowland calcareous grassland")
    choose(user, "units-1", "900")
    user.find(marker="get-quote").click()
    await user.should_see("The demand cannot be met as it stands", retries=100)
    message = text_of(user, "run-message")
    assert "below" not in message and "in the result" in message


async def test_a_quick_quote_does_not_say_0_0_s(user: User, services, monkeypatch):
    site = Site(lpa="Winchester", nca="South Downs")
    ready = services.workspace.quote(QuoteRequest(site, (DemandLine(MODIFIED, Fraction(1)),)))
    monkeypatch.setattr(services.workspace, "quote", lambda request, **kwargs: ready)
    await user.open("/")
    await fill_site(user)
    choose(user, "habitat-1", MODIFIED)
    choose(user, "units-1", "1")
    await get_quote(user)
    assert text_of(user, "run-message") == "Quote ready in under 0.1 s."


async def test_enter_in_units_adds_a_line(user: User):
    await user.open("/")
    choose(user, "habitat-1", MODIFIED)
    choose(user, "units-1", "1.5")
    user.find(marker="units-1").trigger("keydown.enter")
    await user.should_see(marker="habitat-2")
    assert len(draft(user).rows) == 2


async def test_enter_picks_the_only_habitat_that_matches(user: User):
    await user.open("/")
    picker = user.find(marker="habitat-1")
    picker.trigger("inputValue", "modified grass")
    picker.trigger("keydown.enter")
    await user.should_see("Total 0.00 units")
    assert draft(user).rows[0].habitat == MODIFIED


async def test_leaving_an_unpicked_habitat_keeps_and_marks_it(user: User):
    await user.open("/")
    await fill_site(user)
    picker = user.find(marker="habitat-1")
    picker.trigger("inputValue", "Grasland")
    picker.trigger("blur")
    await user.should_see("'Grasland' — choose a habitat from the list")
    assert draft(user).rows[0].habitat_typed == "Grasland"
    assert not user.find(marker="get-quote").elements.pop().enabled
    await user.should_see("Fix the marked demand lines")


async def test_the_price_stands_alone_and_the_engine_is_in_details(user: User):
    await user.open("/")
    await fill_site(user)
    choose(user, "habitat-1", MODIFIED)
    choose(user, "units-1", "1.2")
    await get_quote(user)
    summary = " ".join(
        label.text
        for label in user.find(marker="quote-summary").elements.pop().descendants()
        if hasattr(label, "text")
    )
    for jargon in ("HIGHS", "CBC", "optimal", "proven cheapest"):
        assert jargon not in summary
    details = user.find(marker="quote-details").elements.pop()
    assert details.value is False, "Details should start folded"
    sources = user.find(marker="price-sources").elements.pop()
    assert {row["source"] for row in sources.rows} <= {
        "price list, this habitat",
        "price list, a comparable habitat",
    }
    columns = [c["name"] for c in user.find(marker="allocation").elements.pop().columns]
    assert "source" not in columns and "stock" not in columns
