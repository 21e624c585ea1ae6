"""The history page as a list of documents: one row per quote with its
re-quotes folded under it, the actions on each row, the whole quote on
opening it, dates as dd/mm/yyyy."""

from __future__ import annotations

import io
from fractions import Fraction

import openpyxl
from nicegui.testing import User
from sqlalchemy import update

from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.result import QuoteRequest
from bng_desktop.store.tables import QuoteRow

WINCHESTER = Site(lpa="Winchester", nca="South Downs", label="Land at Bushfield Camp")
MODIFIED = "Grassland - Modified grassland"


def a_quote(services, units=Fraction(3, 2)):
    request = QuoteRequest(WINCHESTER, (DemandLine(MODIFIED, units),))
    return services.workspace.quote(request)


def save_quotes(services, *clients: str) -> list[str]:
    quote = a_quote(services)
    return [services.save(quote, client).reference for client in clients]


def saved_on(services, reference: str, iso: str) -> None:
    """Set when a quote was saved (as if saved then)."""
    with services.workspace.store.transaction() as conn:
        conn.execute(
            update(QuoteRow.__table__)
            .where(QuoteRow.__table__.c.reference == reference)
            .values(created_at=iso)
        )


def shown(user: User, marker: str) -> bool:
    try:
        user.find(marker=marker)
    except AssertionError:
        return False
    return True


def rows(user: User) -> list[str]:
    """The references of the rows on screen, top to bottom."""
    found = sorted(user.find(marker="quote-row").elements, key=lambda e: e.id)
    return [next(m[4:] for m in e._markers if m.startswith("row-")) for e in found]


async def test_empty_history_explains_itself_and_offers_a_quote(user: User):
    await user.open("/history")
    await user.should_see("No saved quotes yet.")
    await user.should_see("appears here, with its re-quotes folded under it")
    user.find("Start a quote").click()
    await user.should_see("Get quote")


async def test_re_quotes_fold_under_their_quote(user: User, services):
    first, other = save_quotes(services, "Acme Homes", "Brook Estates")
    services.save_revision(first, a_quote(services, Fraction(2)))
    services.save_revision(first, a_quote(services, Fraction(5, 2)))
    await user.open("/history")
    assert sorted(rows(user)) == sorted([f"{first}.2", other]), "one row per quote"
    await user.should_see("latest of 3")
    await user.should_see("2 quotes, 1 with re-quotes")
    assert not shown(user, f"row-{first}.1") and not shown(user, f"row-{first}")
    user.find(marker=f"versions-{first}").click()
    assert shown(user, f"row-{first}.1") and shown(user, f"row-{first}")
    user.find(marker=f"versions-{first}").click()
    assert not shown(user, f"row-{first}.1")


async def test_every_row_carries_its_own_actions_and_no_checkboxes(user: User, services):
    (reference,) = save_quotes(services, "Acme Homes")
    services.save_revision(reference, a_quote(services, Fraction(2)))
    await user.open("/history")
    user.find(marker=f"versions-{reference}").click()
    for ref in (f"{reference}.1", reference):
        for action in ("open", "re-quote", "export", "delete"):
            assert shown(user, f"{action}-{ref}"), f"{action} missing on {ref}"
    await user.should_not_see("Select a quote")
    assert not [e for e in user.find(marker="history-list").elements if "checkbox" in str(e)]


async def test_export_on_a_row_downloads_that_version(user: User, services):
    (reference,) = save_quotes(services, "Acme Homes")
    services.save_revision(reference, a_quote(services, Fraction(2)))
    await user.open("/history")
    user.find(marker=f"versions-{reference}").click()
    user.find(marker=f"export-{reference}").click()
    user.find(marker=f"export-xlsx-{reference}").click()
    response = await user.download.next()
    book = openpyxl.load_workbook(io.BytesIO(response.content), data_only=True)
    assert book["Quote"]["B2"].value == reference
    assert book["Quote"]["B3"].value == "Acme Homes"


async def test_opening_shows_the_whole_quote_with_its_actions(user: User, services):
    (reference,) = save_quotes(services, "Acme Homes")
    saved_on(services, reference, "2026-03-04T10:00:00+00:00")
    quote = services.workspace.quotes.get(reference).quote
    await user.open("/history")
    user.find(marker=f"open-{reference}").click()
    await user.should_see(f"{reference} · Acme Homes")
    await user.should_see("Land at Bushfield Camp")  # the site
    await user.should_see("Winchester")
    demand = user.find(marker="document-demand-table").elements.pop()
    assert [(r["habitat"], r["units"]) for r in demand.rows] == [(MODIFIED, "1.50")]
    allocation = user.find(marker="document-allocation-table").elements.pop()
    banks = {r["bank"] for r in allocation.rows}
    assert banks == {line.bank_name for line in quote.lines}
    await user.should_see("Planning Discharge Pack")  # the totals
    await user.should_see(f"£{quote.totals.display_total:,} + VAT")
    await user.should_see("saved 04/03/2026")  # who and when
    await user.should_see("Priced on reference data version 1 (sample)")
    for action in ("document-requote", "export-xlsx-document", "document-delete", "document-close"):
        assert shown(user, action)
    await user.should_not_see("tolerance_rel")


async def test_dates_are_day_month_year(user: User, services):
    (reference,) = save_quotes(services, "Acme Homes")
    saved_on(services, reference, "2026-03-04T10:00:00+00:00")  # 4 March, not 3 April
    await user.open("/history")
    saved = user.find(marker=f"saved-{reference}").elements.pop().text
    assert "saved 04/03/2026" in saved, saved
    assert "2026-03-04" not in saved


async def test_date_filters_take_day_month_year_and_say_what_to_type(user: User, services):
    march, april = save_quotes(services, "March client", "April client")
    saved_on(services, march, "2026-03-04T10:00:00+00:00")
    saved_on(services, april, "2026-04-03T10:00:00+00:00")
    await user.open("/history")
    user.find(marker="filter-from").type("31/02/2026")
    await user.should_see("Type a date as dd/mm/yyyy")
    assert sorted(rows(user)) == sorted([march, april]), "a wrong date filters nothing"
    user.find(marker="filter-from").clear().type("01/04/2026")
    await user.should_see("1 quote")
    assert rows(user) == [april]
    await user.should_not_see("Type a date as dd/mm/yyyy")


async def test_search_by_client_and_the_filtered_empty_state(user: User, services):
    save_quotes(services, "Acme Homes", "Brook Estates")
    await user.open("/history")
    user.find(marker="filter-client").type("acme")
    await user.should_see("1 quote")
    user.find(marker="filter-client").clear().type("nobody")
    await user.should_see("No saved quotes match these filters.")
    user.find("Clear the filters").click()
    await user.should_see("2 quotes")


async def test_re_quote_from_a_row_saves_the_next_revision(user: User, services):
    (reference,) = save_quotes(services, "Acme Homes")
    await user.open("/history")
    user.find(marker=f"re-quote-{reference}").click()
    await user.should_see(f"Re-quoting {reference}")
    user.find(marker="get-quote").click()
    await user.should_see("Quote ready", retries=100)
    user.find(marker="save").click()
    await user.should_see(f"Saved as {reference}.1")
    assert services.workspace.quotes.get(f"{reference}.1").client_name == "Acme Homes"


async def test_delete_on_a_row_asks_first_and_keeps_the_other_versions(user: User, services):
    (reference,) = save_quotes(services, "Acme Homes")
    services.save_revision(reference, a_quote(services, Fraction(2)))
    await user.open("/history")
    user.find(marker=f"delete-{reference}.1").click()
    await user.should_see(f"Delete {reference}.1 for good?")
    user.find(marker="keep-it").click()
    assert services.workspace.quotes.get(f"{reference}.1")
    user.find(marker=f"delete-{reference}.1").click()
    user.find(marker="confirm-delete").click()
    await user.should_see(f"Deleted {reference}.1")
    assert [s.reference for s in services.workspace.quotes.search()] == [reference]
    assert rows(user) == [reference]


async def test_delete_from_the_opened_quote_closes_it(user: User, services):
    (reference,) = save_quotes(services, "Acme Homes")
    await user.open("/history")
    user.find(marker=f"open-{reference}").click()
    user.find(marker="document-delete").click()
    user.find(marker="confirm-delete").click()
    await user.should_see(f"Deleted {reference}")
    assert not shown(user, "quote-dialog")
    await user.should_see("No saved quotes yet.")


async def test_a_long_history_comes_in_pages(user: User, services):
    quote = a_quote(services)
    for number in range(23):
        services.save(quote, f"Client {number:02d}")
    await user.open("/history")
    await user.should_see("23 quotes")
    assert len(rows(user)) == 20
    pager = user.find(marker="history-pages").elements.pop()
    pager.value = 2
    assert len(rows(user)) == 3
    user.find(marker="filter-client").type("Client 0")
    await user.should_see("10 quotes")
    assert len(rows(user)) == 10 and pager.value == 1
