"""The client email (.eml) of a saved quote, parsed back with the ``email``
package: headers, the HTML and plain-text parts, the client table cell for
cell as the attached Excel Quote sheet shows it, the attachments opened back,
and every piece of data escaped."""

from __future__ import annotations

import email
import hashlib
import io
import shutil
from email import policy
from html.parser import HTMLParser

import openpyxl
import pytest

from bng_desktop.core.client_documents import SPREADSHEET_TYPES
from bng_desktop.io.client_email import InvalidRecipient
from tests.io.saved_quotes import CLIENT, metric_quote, metric_workbook, sheet_rows
from tests.shared_data import needs_shared

XLSX = SPREADSHEET_TYPES[".xlsx"]


def export_email(workspace, reference, path, **options):
    workspace.export_quote(reference, path, **options)
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


class TableCells(HTMLParser):
    """Each <tr> of the HTML body as its cells' texts."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_rows(html: str) -> list[list[str]]:
    parser = TableCells()
    parser.feed(html)
    return [[cell for cell in row if cell] for row in parser.rows]


def attachments(message) -> dict[str, object]:
    return {part.get_filename(): part for part in message.iter_attachments()}


def test_headers_name_the_client_reference_and_site(workspace, saved, tmp_path):
    message = export_email(
        workspace, saved.reference, tmp_path / "q.eml", recipient="Jo Bloggs <jo@acme.example>"
    )
    assert message["To"] == "Jo Bloggs <jo@acme.example>"
    assert saved.reference in message["Subject"]
    assert "Land at Bushfield Camp" in message["Subject"]
    assert message["X-Unsent"] == "1" and message["Date"] and message["Message-ID"]


def test_without_a_recipient_there_is_no_to_header(workspace, saved, tmp_path):
    message = export_email(workspace, saved.reference, tmp_path / "q.eml")
    assert message["To"] is None


def test_html_and_plain_text_alternatives_say_the_total_and_vat(workspace, saved, tmp_path):
    message = export_email(workspace, saved.reference, tmp_path / "q.eml")
    assert message.get_content_type() == "multipart/mixed"
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    total = f"£{saved.quote.totals.display_total:,}"
    for body in (html, text):
        assert f"Your quote – {total} + VAT" in body
        assert "All prices exclude VAT" in body
        assert "Next steps" in body and "held for 30 days" in body
        assert saved.reference in body
        assert "Arbtech has advised us" in body  # the promoter's introduction
    assert "Buy It Now" not in text or saved.quote.totals.display_total >= 10_000


def test_the_html_table_is_the_excel_quote_sheet_cell_for_cell(workspace, saved, tmp_path):
    message = export_email(workspace, saved.reference, tmp_path / "q.eml")
    workbook = attachments(message)[f"BNG_Quote_{saved.reference}.xlsx"]
    sheet = sheet_rows(io.BytesIO(workbook.get_content()))
    rows = html_rows(message.get_body(("html",)).get_content())
    table = rows[2:]  # under the two header rows
    assert table == sheet
    lines = [row for row in table if len(row) == 8]
    assert len(lines) >= len(saved.quote.request.demand) - 1  # Low + Net Gain may bundle
    money = [
        int(row[-1].lstrip("-£").replace(",", "")) * (-1 if row[-1][0] == "-" else 1)
        for row in table[1:]
        if row[-1].lstrip("-").startswith("£")
    ]
    *charged, total = money
    assert sum(charged) == total == saved.quote.totals.display_total


def test_the_excel_quote_is_attached_as_xlsx_and_opens_with_the_same_total(
    workspace, saved, tmp_path
):
    message = export_email(workspace, saved.reference, tmp_path / "q.eml")
    found = attachments(message)
    assert list(found) == [f"BNG_Quote_{saved.reference}.xlsx"]
    part = found[f"BNG_Quote_{saved.reference}.xlsx"]
    assert part.get_content_type() == XLSX
    book = openpyxl.load_workbook(io.BytesIO(part.get_content()), data_only=True)
    quote_sheet = book["Quote"]
    assert quote_sheet["B2"].value == saved.reference
    total_row = next(r for r in quote_sheet.iter_rows(values_only=True) if r[0] == "Total")
    assert total_row[7] == saved.quote.totals.display_total


def test_every_piece_of_data_is_escaped_in_the_html(workspace, saved, tmp_path):
    message = export_email(workspace, saved.reference, tmp_path / "q.eml")
    html = message.get_body(("html",)).get_content()
    assert "Acme &lt;Homes&gt; &amp; Sons" in html
    assert "<Homes>" not in html
    assert CLIENT in message.get_body(("plain",)).get_content()


def test_a_bad_recipient_is_refused_and_nothing_is_written(workspace, saved, tmp_path):
    target = tmp_path / "q.eml"
    with pytest.raises(InvalidRecipient, match="not one email address"):
        workspace.export_quote(saved.reference, target, recipient="jo at acme")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


@needs_shared
def test_the_developers_metric_is_attached_when_the_quote_came_from_one(workspace, tmp_path):
    saved = metric_quote(workspace, metric_workbook(tmp_path / "metric"))
    source = saved.quote.request.metric
    message = export_email(workspace, saved.reference, tmp_path / "q.eml")
    found = attachments(message)
    assert list(found) == [f"BNG_Quote_{saved.reference}.xlsx", source.file_name]
    metric = found[source.file_name]
    assert metric.get_content_type() == XLSX
    assert hashlib.sha256(metric.get_content()).hexdigest() == source.sha256
    assert openpyxl.load_workbook(io.BytesIO(metric.get_content()), read_only=True).sheetnames
    html = message.get_body(("html",)).get_content()
    assert "Surplus uplift offset" in html and "Thank you for your enquiry" in html


@needs_shared
def test_without_the_metric_on_this_desktop_the_email_says_so_and_goes_without(workspace, tmp_path):
    saved = metric_quote(workspace, metric_workbook(tmp_path / "metric"))
    shutil.rmtree(workspace.metric_files.folder)
    written = workspace.export_quote(saved.reference, tmp_path / "q.eml")
    assert written.attachments == (f"BNG_Quote_{saved.reference}.xlsx",)
    assert saved.quote.request.metric.file_name in written.notes[0]


def test_the_clipboard_table_is_the_emails_table(workspace, saved, tmp_path):
    message = export_email(workspace, saved.reference, tmp_path / "q.eml")
    copied = workspace.client_table(saved.reference)
    assert copied.html in message.get_body(("html",)).get_content()
    assert html_rows(copied.html) == html_rows(message.get_body(("html",)).get_content())
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # sent as CRLF
    assert copied.text in text


def test_both_parts_set_the_quote_beside_statutory_credits(workspace, saved, tmp_path):
    message = export_email(workspace, saved.reference, tmp_path / "credits.eml")
    credits = saved.quote.statutory_credits
    assert credits is not None and credits.total > saved.quote.totals.total
    cost = f"£{round(credits.total):,}"
    for part in ("html", "plain"):
        body = message.get_body((part,)).get_content()
        assert f"Statutory credits for the same demand: {cost} + VAT" in body
        assert "this quote is £" in body and " less." in body
