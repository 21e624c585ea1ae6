"""Step 7: save to history, export to Excel, start a new quote."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from nicegui import app, ui

from ...core.errors import BngError
from ..quote_state import QuoteDraft
from ..services import AppServices
from .client_exports import SavedQuoteExports
from .customer_picker import CustomerPicker


class QuoteActions:
    def __init__(
        self,
        draft: QuoteDraft,
        services: AppServices,
        on_change: Callable[[], None],
        on_new: Callable[[], None],
    ):
        self.draft = draft
        self.services = services
        self.on_change = on_change
        self.on_new = on_new
        self.card = ui.card().classes("w-full").mark("quote-actions")
        with self.card:
            CustomerPicker(services, draft)
            with ui.row().classes("w-full items-center gap-3"):
                ui.input("Client name").bind_value(draft, "client_name").classes("w-64").mark(
                    "client-name"
                ).on("keydown.enter", self.save)
                self.save_button = ui.button(
                    "Save to history", icon="save", on_click=self.save
                ).mark("save")
                ui.button("Export to Excel", icon="download", on_click=self.export).props(
                    "outline"
                ).mark("export")
                ui.button("New quote", icon="note_add", on_click=self.new).props("flat").mark(
                    "new-quote"
                )
            self.status = ui.label().classes("text-sm text-grey-8").mark("save-status")
            self.client_exports = SavedQuoteExports(services)
        self.refresh()

    def refresh(self) -> None:
        has_result = self.draft.result is not None
        self.client_exports.show(self.draft.saved.reference if self.draft.saved else None)
        self.card.set_visibility(has_result)
        self.save_button.set_enabled(has_result and self.draft.saved is None)
        if self.draft.saved is not None:
            self.status.set_text(f"Saved as {self.draft.saved.reference}.")
        elif has_result:
            target = f"as the next revision of {self.draft.based_on}" if self.draft.based_on else ""
            self.status.set_text(f"Not saved yet {target}".strip() + ".")
        else:
            self.status.set_text("")

    def save(self) -> None:
        quote = self.draft.result
        if quote is None or self.draft.saved is not None:
            return
        try:
            if self.draft.based_on:
                saved = self.services.save_revision(self.draft.based_on, quote)
            else:
                saved = self.services.save(
                    quote, self.draft.client_name.strip(), self.draft.customer
                )
        except BngError as error:
            ui.notify(str(error), type="negative", multi_line=True)
            return
        self.draft.saved = saved
        ui.notify(f"Saved as {saved.reference}", type="positive")
        self.refresh()

    async def export(self) -> None:
        quote = self.draft.result
        if quote is None:
            ui.notify("Get a quote first.", type="warning")
            return
        reference = self.draft.saved.reference if self.draft.saved else ""
        name = f"BNG_Quote_{reference or 'draft'}_{datetime.now():%Y%m%d_%H%M}.xlsx"
        client = self.draft.client_name.strip()
        if self.services.native:
            await self._export_native(quote, name, reference, client)
            return
        ui.download.content(self.services.excel_bytes(quote, reference, client), name)

    async def _export_native(self, quote, name: str, reference: str, client: str) -> None:
        import webview  # only in native mode, where pywebview is installed

        chosen = await app.native.main_window.create_file_dialog(
            webview.FileDialog.SAVE, save_filename=name
        )
        if not chosen:
            return
        target = Path(chosen if isinstance(chosen, str) else chosen[0])
        self.services.write_excel(quote, target, reference, client)
        ui.notify(f"Wrote {target.name}", type="positive")

    def new(self) -> None:
        if self.draft.result is not None and self.draft.saved is None:
            with ui.dialog() as dialog, ui.card():
                ui.label("This quote is not saved. Start a new one anyway?")
                with ui.row().classes("w-full justify-end"):
                    ui.button("Keep working", on_click=dialog.close).props("flat")
                    ui.button(
                        "Discard and start new", on_click=lambda: (dialog.close(), self.on_new())
                    ).props("color=negative").mark("discard")
            dialog.open()
            return
        self.on_new()
