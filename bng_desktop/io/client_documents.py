"""Writing a saved quote as the client document its file name asks for.

    write_client_document(saved, "BNG-A-02025.pdf", metric=path_or_None, recipient="")

The Excel quote (io/excel_quote.py), the PDF quote (io/client_pdf.py) or the
client email (io/client_email.py, the Excel quote attached, and the
developer's metric workbook when ``metric`` is given). Every document is
made from the same client report, so the three show the same figures.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..core.alternatives import Alternative
from ..core.client_documents import ClientDocument
from ..core.client_letter import ClientLetter, client_letter
from ..core.dates import local
from ..core.report import client_report
from ..store import SavedQuote
from .atomic_file import write_atomically
from .client_email import Attachment, client_email, html_table
from .client_pdf import write_client_pdf
from .client_report import plain_text_table, shown_table
from .excel_quote import write_quote_workbook


@dataclass(frozen=True)
class WrittenDocument:
    """What was written, and for an email what it carries."""

    document: ClientDocument
    path: Path
    attachments: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    """Plain sentences for the user, e.g. why the metric is not attached."""


@dataclass(frozen=True)
class DocumentFile:
    """A client document in memory, for a download."""

    name: str
    content: bytes
    notes: tuple[str, ...] = ()


def write_client_document(
    saved: SavedQuote,
    path: str | os.PathLike[str],
    *,
    metric: Path | None = None,
    recipient: str = "",
    alternatives: Sequence[Alternative] | None = None,
) -> WrittenDocument:
    """Write ``saved`` as the document named by ``path``'s ending (UnknownDocumentType
    for any other ending, before anything is written). ``alternatives`` go on the
    Excel quote's Allocation sheet (also the one an email attaches)."""
    target = Path(path)
    document = ClientDocument.for_file_name(target)
    if document is ClientDocument.EXCEL:
        _write_excel(saved, target, alternatives)
        return WrittenDocument(document, target)
    letter = letter_for(saved)
    table = shown_table(client_report(saved.quote))
    if document is ClientDocument.PDF:
        write_client_pdf(letter, table, target)
        return WrittenDocument(document, target)
    excel = excel_bytes(saved, alternatives)
    attachments = [Attachment(ClientDocument.EXCEL.file_name(saved.reference), excel)]
    notes: list[str] = []
    source = saved.quote.request.metric
    if source is not None and metric is not None:
        attachments.append(Attachment(source.file_name, metric.read_bytes()))
    elif source is not None:
        notes.append(
            f"The developer's metric {source.file_name} is not attached: this desktop has "
            "no copy of it (it was imported elsewhere, or before copies were kept)."
        )
    message = client_email(letter, table, attachments, recipient=recipient)
    data = bytes(message)
    write_atomically(target, lambda stream: stream.write(data))
    return WrittenDocument(document, target, tuple(a.file_name for a in attachments), tuple(notes))


@dataclass(frozen=True)
class ClientTable:
    """The client table of a saved quote, to paste into an email of one's own."""

    html: str
    text: str


def client_table_of(saved: SavedQuote) -> ClientTable:
    table = shown_table(client_report(saved.quote))
    return ClientTable(html_table(table), plain_text_table(table))


def letter_for(saved: SavedQuote) -> ClientLetter:
    return client_letter(
        saved.quote,
        reference=saved.reference,
        client=saved.client_name,
        quote_date=local(saved.created_at).date(),
        author=saved.author,
    )


def _write_excel(
    saved: SavedQuote, target: Path, alternatives: Sequence[Alternative] | None
) -> Path:
    return write_quote_workbook(
        saved.quote,
        target,
        reference=saved.reference,
        client_name=saved.client_name,
        created_at=datetime.fromisoformat(saved.created_at),
        alternatives=alternatives,
    )


def excel_bytes(saved: SavedQuote, alternatives: Sequence[Alternative] | None = None) -> bytes:
    with tempfile.TemporaryDirectory(prefix="bng-quote-") as folder:
        return _write_excel(saved, Path(folder) / "quote.xlsx", alternatives).read_bytes()
