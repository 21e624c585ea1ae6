"""The quote draft as one source of truth, through the simulated user: a result
that no longer answers the inputs cannot be saved or sent, a stopped run leaves
no current-looking result, the draft survives other pages and a restart, an
adjusted quote says what it no longer meets, and saving makes revisions."""

from __future__ import annotations

import io
import threading
from fractions import Fraction

import openpyxl
import pytest
from nicegui import app
from nicegui.testing import User

from bng_desktop.ui.app import create_root
from bng_desktop.ui.jobs import JobRunner
from bng_desktop.ui.pages.quote import CURRENT_DRAFT
from bng_desktop.ui.quote_state import QuoteDraft
from bng_desktop.ui.services import AppServices
from bng_desktop.workspace import Workspace
from tests.ui.app_fixtures import quote_until_cancelled
from tests.ui.conftest import choose
from tests.ui.simulation import locked_user
from tests.ui.test_quote_page import fill_demand, fill_site, get_quote

pytestmark = pytest.mark.asyncio

STALE = "The demand changed — get a new quote"


def draft(user: User) -> QuoteDraft:
    with user.client:
        return app.storage.client[CURRENT_DRAFT]


def enabled(user: User, marker: str) -> bool:
    return user.find(marker=marker).elements.pop().enabled


async def quoted(user: User, services) -> None:
    await user.open("/")
    await fill_site(user)
    await fill_demand(user, services)
    await get_quote(user)


async def test_an_edit_after_quoting_greys_the_result_and_blocks_save_and_export(
    user: User, services
):
    await quoted(user, services)
    assert enabled(user, "save") and enabled(user, "export")
    await user.should_not_see(marker="stale-banner")
    choose(user, "units-1", 1.5)
    await user.should_see(STALE)
    await user.should_see(marker="stale-banner")
    assert "opacity-40" in user.find(marker="result-section").elements.pop().classes
    assert not enabled(user, "save") and not enabled(user, "export")
    assert not enabled(user, "manual-area")
    user.find(marker="restore-inputs").click()
    await user.should_see("The inputs are back as they were quoted.")
    assert draft(user).rows[0].units == Fraction(6, 5)
    assert enabled(user, "save") and enabled(user, "export")
    await user.should_not_see(marker="stale-banner")


async def test_a_changed_site_or_option_also_marks_the_result_out_of_date(user: User, services):
    await quoted(user, services)
    choose(user, "lpa", "Test Valley")
    await user.should_see("The site changed — get a new quote")
    assert not enabled(user, "save")


async def test_a_cancelled_run_leaves_no_current_looking_result(user: User, services, monkeypatch):
    await quoted(user, services)
    total_before = draft(user).result.totals.display_total

    monkeypatch.setattr(services.workspace, "quote", quote_until_cancelled)
    choose(user, "units-1", 3)
    user.find(marker="get-quote").click()
    await user.should_see("Working", retries=50)
    user.find(marker="cancel").click()
    await user.should_see("the quote shown is for the earlier inputs", retries=50)
    await user.should_see(STALE)
    assert draft(user).result.totals.display_total == total_before
    assert not enabled(user, "save") and not enabled(user, "export")


async def test_a_result_arriving_after_an_edit_answers_the_inputs_it_started_from(
    user: User, services, monkeypatch
):
    real_quote = services.workspace.quote
    edited = threading.Event()

    def held_until_edited(request, **kwargs):
        edited.wait(20)
        return real_quote(request, **kwargs)

    monkeypatch.setattr(services.workspace, "quote", held_until_edited)
    await user.open("/")
    await fill_site(user)
    await fill_demand(user, services)
    user.find(marker="get-quote").click()
    choose(user, "units-1", 2.5)
    edited.set()
    await user.should_see("Quote ready", retries=100)
    await user.should_see(STALE)
    assert draft(user).result.request.demand[0].units == Fraction(6, 5)
    assert not enabled(user, "save") and not enabled(user, "export")


async def test_the_draft_survives_a_visit_to_history(user: User, services):
    await quoted(user, services)
    total = draft(user).result.totals.display_total
    await user.open("/history")
    await user.open("/")
    await user.should_see("Restored your unsaved quote from")
    assert draft(user).result.totals.display_total == total
    assert [r.habitat for r in draft(user).rows] == [
        "Grassland - Modified grassland",
        "Net Gain (area)",
    ]
    assert enabled(user, "save")


async def test_discard_on_the_restored_banner_starts_a_new_quote(user: User, services):
    await quoted(user, services)
    await user.open("/history")
    await user.open("/")
    user.find(marker="discard-draft").click()
    await user.should_see("The quote appears here.")
    assert services.kept_draft() is not None
    assert QuoteDraft.from_payload(services.kept_draft().payload).result is None


def started(folder) -> AppServices:
    services = AppServices(Workspace.open(folder), JobRunner())
    services.start()
    return services


async def test_an_app_restart_keeps_the_draft(tmp_path):
    first = started(tmp_path / "data")
    try:
        async with locked_user(create_root(first)) as user:
            await quoted(user, first)
            choose(user, "units-1", 1.7)
            await user.should_see(STALE)
            total = draft(user).result.totals.display_total
    finally:
        first.close()
    second = started(tmp_path / "data")
    try:
        async with locked_user(create_root(second)) as user:
            await user.open("/")
            await user.should_see("Restored your unsaved quote from")
            await user.should_see(STALE)
            restored = draft(user)
            assert restored.rows[0].units == Fraction(17, 10)
            assert restored.result.totals.display_total == total
            assert not enabled(user, "save")
    finally:
        second.close()


async def test_a_removal_flags_the_unmet_line_and_the_header(user: User, services):
    await quoted(user, services)
    await user.should_see("proven cheapest")
    first = next(ln for ln in draft(user).result.lines if ln.demand_index == 0)
    user.find(marker="allocation").trigger("remove", {"line_id": first.line_id})
    await user.should_see("Adjusted by hand — not the optimiser's answer")
    await user.should_not_see("proven cheapest")
    await user.should_see("Line 1 (Grassland - Modified grassland): 1.20 of 1.20 units not met")
    user.find(marker="client-name").type("Acme Homes")
    user.find(marker="save").click()
    await user.should_see("This adjusted quote does not meet all of the demand")
    user.find(marker="unmet-confirm").click()
    await user.should_see("Saved as BNG-A-02025")
    user.find(marker="export").click()
    await user.should_see("This adjusted quote does not meet all of the demand")
    user.find(marker="unmet-confirm").click()
    response = await user.download.next()
    book = openpyxl.load_workbook(io.BytesIO(response.content), data_only=True)
    cells = [c for row in book["Quote"].iter_rows(values_only=True) for c in row]
    assert "Not met by this quote" in cells
    assert 1.2 in cells


async def test_saving_again_after_a_change_makes_the_next_revision(user: User, services):
    await quoted(user, services)
    user.find(marker="client-name").type("Acme Homes")
    user.find(marker="save").click()
    await user.should_see("Saved as BNG-A-02025.")
    choose(user, "units-1", 2)
    await user.should_see(STALE)
    await get_quote(user)
    await user.should_see("saving makes the next revision of BNG-A-02025")
    user.find(marker="save").click()
    await user.should_see("Saved as BNG-A-02025.1")
    revision = services.workspace.quotes.get("BNG-A-02025.1")
    assert revision.client_name == "Acme Homes"
    assert revision.quote.request.demand[0].units == 2
    assert [f.base_reference for f in services.workspace.quote_history()] == ["BNG-A-02025"]


async def test_export_of_an_unsaved_quote_asks_the_client_and_saves_first(user: User, services):
    await quoted(user, services)
    user.find(marker="export").click()
    await user.should_see("Save the quote before sending it")
    user.find(marker="save-and-export").click()
    await user.should_see("Type the client's name")
    user.find(marker="export-client-name").type("Brook Estates")
    user.find(marker="save-and-export").click()
    response = await user.download.next()
    book = openpyxl.load_workbook(io.BytesIO(response.content), data_only=True)
    fields = {row[0]: row[1] for row in book["Quote"].iter_rows(values_only=True) if row[0]}
    assert fields["Reference"] == "BNG-A-02025"
    assert fields["Client"] == "Brook Estates"
    assert services.workspace.quotes.get("BNG-A-02025").client_name == "Brook Estates"
    await user.should_see("Saved as BNG-A-02025.")


async def test_new_quote_asks_first_only_over_unsaved_work(user: User, services):
    await quoted(user, services)
    user.find(marker="new-quote").click()
    await user.should_see("This quote is not saved. Start a new one anyway?")
    user.find(marker="discard").click()
    await user.should_see("The quote appears here.")
    assert not draft(user).typed()
    await fill_site(user)
    await get_quote_saved(user, services)
    user.find(marker="new-quote").click()
    await user.should_see("The quote appears here.")
    assert not draft(user).typed()


async def get_quote_saved(user: User, services) -> None:
    await fill_demand(user, services)
    await get_quote(user)
    user.find(marker="save").click()
    await user.should_see("Saved as BNG-A-02025.")


async def test_re_quote_from_history_asks_before_replacing_an_unsaved_draft(user: User, services):
    await quoted(user, services)
    user.find(marker="save").click()
    await user.should_see("Saved as BNG-A-02025.")
    choose(user, "units-1", 4)
    await user.should_see(STALE)
    await user.open("/history")
    user.find(marker="re-quote-BNG-A-02025").click()
    await user.should_see("The quote page holds an unsaved quote")
    user.find(marker="replace-draft").click()
    await user.should_see("Re-quoting BNG-A-02025")
    await user.should_not_see("Restored your")
    kept = QuoteDraft.from_payload(services.kept_draft().payload)
    assert kept.rows[0].units == Fraction(6, 5)
    assert kept.revision_of == "BNG-A-02025"
    assert kept.result is None
