"""The three client documents on screen: a History row's Export menu, the
buttons of a quote opened in History, and the quote page's row once the quote
is saved (none before: a client document needs its reference). Each download
is opened back."""

from __future__ import annotations

import email
import io
from email import policy

import openpyxl
from nicegui.testing import User
from pypdf import PdfReader

from tests.ui.test_history_page import a_quote, save_quotes, shown
from tests.ui.test_quote_page import fill_demand, fill_site, get_quote


def pdf_text(content: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())


async def test_a_rows_export_menu_offers_the_three_documents(user: User, services):
    (reference,) = save_quotes(services, "Acme Homes")
    total = services.workspace.quotes.get(reference).quote.totals.display_total
    await user.open("/history")
    user.find(marker=f"export-{reference}").click()
    user.find(marker=f"export-pdf-{reference}").click()
    response = await user.download.next()
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert reference in text and "Acme Homes" in text and f"£{total:,} + VAT" in text
    user.find(marker=f"export-xlsx-{reference}").click()
    book = openpyxl.load_workbook(io.BytesIO((await user.download.next()).content))
    assert book["Quote"]["B2"].value == reference


async def test_the_opened_quote_has_the_three_buttons(user: User, services):
    (reference,) = save_quotes(services, "Acme Homes")
    await user.open("/history")
    user.find(marker=f"open-{reference}").click()
    for document in ("xlsx", "pdf", "eml"):
        assert shown(user, f"export-{document}-document")
    user.find(marker="export-eml-document").click()
    response = await user.download.next()
    message = email.message_from_bytes(response.content, policy=policy.default)
    assert reference in message["Subject"]
    assert "Acme Homes" in message.get_body(("html",)).get_content()
    assert [p.get_filename() for p in message.iter_attachments()] == [f"BNG_Quote_{reference}.xlsx"]


async def test_the_quote_page_offers_them_once_the_quote_is_saved(user: User, services):
    await user.open("/")
    await fill_site(user)
    await fill_demand(user, services)
    await get_quote(user)
    assert not shown(user, "export-pdf-quote")
    user.find(marker="client-name").type("Acme Homes")
    user.find(marker="save").click()
    await user.should_see("Saved as BNG-A-02025")
    user.find(marker="export-pdf-quote").click()
    response = await user.download.next()
    assert "BNG-A-02025" in pdf_text(response.content)


async def test_a_revision_exports_as_itself(user: User, services):
    (reference,) = save_quotes(services, "Acme Homes")
    revision = services.save_revision(reference, a_quote(services)).reference
    await user.open("/history")
    user.find(marker=f"export-{revision}").click()
    user.find(marker=f"export-pdf-{revision}").click()
    assert revision in pdf_text((await user.download.next()).content)


async def test_the_client_table_can_be_copied(user: User, services):
    (reference,) = save_quotes(services, "Acme Homes")
    await user.open("/history")
    user.find(marker=f"open-{reference}").click()
    user.find(marker="copy-table-document").click()
    await user.should_see(f"The client table of {reference} is on the clipboard.")
