"""Step 7: save to history, export to Excel, start a new quote.

Only a current result is saved or exported. Saving again after a change
makes the next revision; exporting an unsaved quote saves it first (after
asking for the client's name), so a client's file always has its reference;
an adjusted quote with unmet demand lines is saved or sent only once the
consultant confirms.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from nicegui import app, ui

from ...core.adjust import shortfalls
from ...core.errors import BngError
from ...core.result import Quote
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
                ui.input("Client name").bind_value(draft, "client_name").props(
                    "stack-label"
                ).classes("w-64").mark("client-name").on("keydown.enter", self.save)
                self.save_button = ui.button(
                    "Save to history", icon="save", on_click=self.save
                ).mark("save")
                self.export_button = (
                    ui.button("Export to Excel", icon="download", on_click=self.export)
                    .props("outline")
                    .mark("export")
                )
                ui.button("New quote", icon="note_add", on_click=self.new).props("flat").mark(
                    "new-quote"
                )
            self.status = ui.label().classes("text-sm text-grey-8").mark("save-status")
            self.client_exports = SavedQuoteExports(services)
        self.refresh()

    def refresh(self) -> None:
        has_result = self.draft.result is not None
        state = self.draft.state()
        saved = self.draft.saved_reference if state.current else ""
        self.client_exports.show(saved or None)
        self.card.set_visibility(has_result)
        self.save_button.set_enabled(state.current and not self.draft.saved_reference)
        self.export_button.set_enabled(state.current)
        self.status.set_text(self._status_text())

    def _status_text(self) -> str:
        state = self.draft.state()
        if self.draft.result is None:
            return ""
        if state.out_of_date:
            return f"{state.message()}: Save and Export wait for it."
        if self.draft.saved_reference:
            return f"Saved as {self.draft.saved_reference}."
        if self.draft.revision_of:
            return f"Not saved yet; saving makes the next revision of {self.draft.revision_of}."
        return "Not saved yet."

    async def save(self) -> None:
        quote = self._current_quote()
        if quote is None or self.draft.saved_reference:
            return
        if await self._confirm_unmet(quote, "Save"):
            self._save(quote)

    def _save(self, quote: Quote) -> bool:
        client = self.draft.client_name.strip()
        try:
            if self.draft.revision_of:
                saved = self.services.save_revision(self.draft.revision_of, quote, client)
            else:
                saved = self.services.save(quote, client, self.draft.customer)
        except BngError as error:
            ui.notify(str(error), type="negative", multi_line=True)
            return False
        self.draft.mark_saved(saved)
        ui.notify(f"Saved as {saved.reference}", type="positive")
        self.refresh()
        self.on_change()
        return True

    def _current_quote(self) -> Quote | None:
        """The result, when it still answers the inputs; else say why not."""
        state = self.draft.state()
        if self.draft.result is None:
            ui.notify("Get a quote first.", type="warning")
            return None
        if not state.current:
            ui.notify(state.message() + ".", type="warning")
            return None
        return self.draft.result

    async def _confirm_unmet(self, quote: Quote, action: str) -> bool:
        """An adjusted quote that leaves demand unmet goes out only when confirmed."""
        missing = shortfalls(quote) if quote.adjusted_by_hand else ()
        if not missing:
            return True
        with ui.dialog() as dialog, ui.card().mark("unmet-dialog"):
            ui.label("This adjusted quote does not meet all of the demand:").classes("font-medium")
            for shortfall in missing:
                ui.label(shortfall.text()).classes("text-sm text-negative")
            ui.label("The client's sheet shows the units not met.").classes("text-sm")
            with ui.row().classes("w-full justify-end"):
                ui.button("Go back", on_click=lambda: dialog.submit(False)).props("flat")
                ui.button(f"{action} anyway", on_click=lambda: dialog.submit(True)).props(
                    "color=warning"
                ).mark("unmet-confirm")
        confirmed = bool(await dialog)
        dialog.delete()
        return confirmed

    async def export(self) -> None:
        quote = self._current_quote()
        if quote is None or not await self._confirm_unmet(quote, "Export"):
            return
        if not self.draft.saved_reference and not await self._save_for_export(quote):
            return
        reference = self.draft.saved_reference
        name = f"BNG_Quote_{reference}_{datetime.now():%Y%m%d_%H%M}.xlsx"
        client = self.draft.client_name.strip()
        if self.services.native:
            await self._export_native(quote, name, reference, client)
            return
        ui.download.content(self.services.excel_bytes(quote, reference, client), name)

    async def _save_for_export(self, quote: Quote) -> bool:
        """A client's file carries the quote's reference: save it first, under
        the client's name."""
        with ui.dialog() as dialog, ui.card().classes("w-[28rem]").mark("export-save-dialog"):
            ui.label("Save the quote before sending it").classes("text-lg font-medium")
            ui.label(
                "The Excel file carries the quote's reference, so it is saved to the history first."
            ).classes("text-sm")
            name = (
                ui.input("Client name", value=self.draft.client_name)
                .classes("w-full")
                .mark("export-client-name")
            )
            problem = ui.label().classes("text-negative text-xs").mark("export-client-problem")

            def confirm() -> None:
                if not (name.value or "").strip():
                    problem.set_text("Type the client's name: it goes on the quote.")
                    return
                dialog.submit(True)

            with ui.row().classes("w-full justify-end"):
                ui.button("Cancel", on_click=lambda: dialog.submit(False)).props("flat")
                ui.button("Save and export", on_click=confirm).props("color=primary").mark(
                    "save-and-export"
                )
        confirmed, client = bool(await dialog), (name.value or "").strip()
        dialog.delete()
        if not confirmed:
            return False
        self.draft.client_name = client
        return self._save(quote)

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
        if self.draft.unsaved_work():
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
