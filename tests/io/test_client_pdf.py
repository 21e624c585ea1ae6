"""The PDF quote of a saved quote, read back with pypdf: A4, one page for an
ordinary quote, fonts embedded, and its text holding the reference, the
client, every table line's habitats and units, and the total; a long
allocation runs onto more pages with the table's header repeated."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from bng_desktop.core.client_letter import client_letter, long_uk_date
from bng_desktop.core.dates import local
from bng_desktop.core.report import client_report
from bng_desktop.io import client_pdf
from bng_desktop.io.client_pdf import write_client_pdf
from bng_desktop.io.client_report import ShownRow, ShownRowKind, shown_table
from tests.io.saved_quotes import CLIENT

A4_POINTS = (595.28, 841.89)


def words(text: str) -> str:
    """Text with its line breaks and runs of spaces as single spaces (cells wrap)."""
    return " ".join(text.split())


def test_one_a4_page_with_the_fonts_embedded(workspace, saved, tmp_path):
    written = workspace.export_quote(saved.reference, tmp_path / "quote.pdf")
    reader = PdfReader(written.path)
    assert len(reader.pages) == 1
    page = reader.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width, 2), round(height, 2)) == A4_POINTS
    fonts = page["/Resources"]["/Font"]
    for ref in fonts.values():
        font = ref.get_object()
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
    assert reader.metadata.title == f"Biodiversity Net Gain Quote {saved.reference}"


def test_the_text_holds_reference_client_every_line_and_the_total(workspace, saved, tmp_path):
    written = workspace.export_quote(saved.reference, tmp_path / "quote.pdf")
    text = words(PdfReader(written.path).pages[0].extract_text())
    assert saved.reference in text
    assert CLIENT in text
    assert "Land at Bushfield Camp" in text
    table = shown_table(client_report(saved.quote))
    assert table.lines, "the quote has lines"
    for line in table.lines:
        _, lost, lost_units, _, supplied, supplied_units, price, cost = line.cells
        for cell in (lost, lost_units, supplied, supplied_units, price, cost):
            assert words(cell) in text, f"{cell!r} missing from the PDF"
    total = f"£{saved.quote.totals.display_total:,}"
    assert f"Total: {total} + VAT" in text
    assert "All prices exclude VAT" in text
    assert "held for 30 days" in text and "Next steps" in text
    assert "Statutory credits for the same demand" in text


def test_the_quote_date_and_validity_are_written_the_uk_way(workspace, saved, tmp_path):
    written = workspace.export_quote(saved.reference, tmp_path / "quote.pdf")
    text = words(PdfReader(written.path).pages[0].extract_text())
    saved_on = local(saved.created_at).date()
    assert f"Date {long_uk_date(saved_on)}" in text
    assert f"Valid until {long_uk_date(saved_on + timedelta(days=30))}" in text


def test_a_long_allocation_runs_onto_more_pages_with_the_header_repeated(saved, tmp_path):
    table = shown_table(client_report(saved.quote))
    line = table.lines[0]
    many = tuple(
        ShownRow(ShownRowKind.LINE, (*line.cells[:1], f"Habitat number {n}", *line.cells[2:]))
        for n in range(90)
    )
    long_table = type(table)(
        rows=(table.rows[0], *many, *table.rows[-2:]), total=table.total, note=table.note
    )
    letter = client_letter(
        saved.quote, reference=saved.reference, client=CLIENT, quote_date=date(2026, 3, 4)
    )
    path = write_client_pdf(letter, long_table, tmp_path / "long.pdf")
    reader = PdfReader(path)
    assert len(reader.pages) >= 2
    texts = [words(page.extract_text()) for page in reader.pages]
    assert all("Habitats Supplied" in text for text in texts)
    assert "Habitat number 0 " in texts[0] and "Habitat number 89 " in " ".join(texts)
    assert f"Page {len(reader.pages)}" in texts[-1]


def test_a_failed_write_leaves_the_earlier_file(saved, tmp_path, monkeypatch):
    target = tmp_path / "quote.pdf"
    target.write_bytes(b"earlier")

    def fails_half_way(letter, table, stream):
        stream.write(b"%PDF-1.4 half")
        raise OSError("disk full")

    monkeypatch.setattr(client_pdf, "_build", fails_half_way)
    letter = client_letter(
        saved.quote, reference=saved.reference, client=CLIENT, quote_date=date(2026, 3, 4)
    )
    with pytest.raises(OSError, match="disk full"):
        write_client_pdf(letter, shown_table(client_report(saved.quote)), target)
    assert target.read_bytes() == b"earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["quote.pdf"]
