"""The three client documents of a saved quote — Excel quote, PDF quote, client
email — as buttons (the quote page once the quote is saved, a quote opened in
History) or as a menu (a History row). Each is made through the workspace off
the event loop: downloaded in the browser, saved where the user chooses in the
desktop window."""

from __future__ import annotations

import json
from pathlib import Path

from nicegui import app, run, ui

from ...core.client_documents import ClientDocument
from ...core.errors import BngError
from ..services import AppServices

EXPORTS: tuple[tuple[ClientDocument, str, str], ...] = (
    (ClientDocument.EXCEL, "Excel quote", "table_view"),
    (ClientDocument.PDF, "PDF quote", "picture_as_pdf"),
    (ClientDocument.EMAIL, "Client email", "forward_to_inbox"),
)
TIPS = {
    ClientDocument.EXCEL: "The client's Excel quote (.xlsx)",
    ClientDocument.PDF: "A one-page PDF quote for the client (.pdf)",
    ClientDocument.EMAIL: (
        "An email to open in your mail program and send (.eml): the quote table, "
        "with the Excel quote and the developer's metric attached"
    ),
}


def marker(document: ClientDocument, suffix: str) -> str:
    """'export-pdf-BNG-A-02025': one marker per document and place."""
    return f"export-{document.value}-{suffix}"


def export_buttons(services: AppServices, reference: str, *, place: str) -> None:
    """A row of the three buttons for ``reference``, and one copying the client
    table to the clipboard; ``place`` tells the markers apart."""
    with ui.row().classes("gap-1 items-center no-wrap").mark(f"client-exports-{place}"):
        ui.button(icon="content_copy", on_click=lambda: copy_table(services, reference)).props(
            f'flat dense round aria-label="Copy the client table of {reference}"'
        ).tooltip("Copy the client table, to paste into an email of your own").mark(
            f"copy-table-{place}"
        )
        for document, label, icon in EXPORTS:
            ui.button(
                label,
                icon=icon,
                on_click=lambda d=document: export_document(services, reference, d),
            ).props(f'outline dense no-caps aria-label="{label} of {reference}"').tooltip(
                TIPS[document]
            ).mark(marker(document, place))


class SavedQuoteExports:
    """The quote page's row of the three buttons: shown once the quote is saved
    (a client document needs its reference), empty before."""

    def __init__(self, services: AppServices):
        self.services = services
        self.row = ui.row().classes("w-full items-center gap-2").mark("saved-quote-exports")

    def show(self, reference: str | None) -> None:
        self.row.clear()
        self.row.set_visibility(reference is not None)
        if reference is None:
            return
        with self.row:
            ui.label(f"For the client, {reference}:").classes("text-sm text-grey-8")
            export_buttons(self.services, reference, place="quote")


def export_menu(services: AppServices, reference: str) -> None:
    """An "Export" menu of the three documents, for a History row."""
    with (
        ui.dropdown_button("Export", icon="download", auto_close=True)
        .props(f'flat dense no-caps aria-label="Export {reference}"')
        .mark(f"export-{reference}")
    ):
        for document, label, icon in EXPORTS:
            with (
                ui.item(on_click=lambda d=document: export_document(services, reference, d))
                .props("dense")
                .mark(marker(document, reference))
            ):
                with ui.item_section().props("avatar"):
                    ui.icon(icon)
                with ui.item_section():
                    ui.item_label(f"{label} ({document.suffix})")


COPY_JS = """
const item = new ClipboardItem({
    'text/html': new Blob([%s], {type: 'text/html'}),
    'text/plain': new Blob([%s], {type: 'text/plain'}),
});
navigator.clipboard.write([item]);
"""
"""Both forms on the clipboard: mail programs paste the HTML, others the text."""


async def copy_table(services: AppServices, reference: str) -> None:
    try:
        table = await run.io_bound(services.workspace.client_table, reference)
    except BngError as error:
        ui.notify(str(error), type="negative", multi_line=True)
        return
    ui.run_javascript(COPY_JS % (json.dumps(table.html), json.dumps(table.text)))
    ui.notify(f"The client table of {reference} is on the clipboard.", type="positive")


async def export_document(services: AppServices, reference: str, document: ClientDocument) -> None:
    try:
        if services.native:
            await _save_native(services, reference, document)
        else:
            file = await run.io_bound(services.workspace.client_document_file, reference, document)
            ui.download.content(file.content, file.name, media_type=document.media_type)
            _tell(file.notes)
    except BngError as error:
        ui.notify(str(error), type="negative", multi_line=True)


async def _save_native(services: AppServices, reference: str, document: ClientDocument) -> None:
    import webview  # only in native mode, where pywebview is installed

    chosen = await app.native.main_window.create_file_dialog(
        webview.FileDialog.SAVE, save_filename=document.file_name(reference)
    )
    if not chosen:
        return
    target = Path(chosen if isinstance(chosen, str) else chosen[0])
    written = await run.io_bound(services.workspace.export_quote, reference, target)
    ui.notify(f"Wrote {target.name}", type="positive")
    _tell(written.notes)


def _tell(notes: tuple[str, ...]) -> None:
    for note in notes:
        ui.notify(note, type="info", multi_line=True)
