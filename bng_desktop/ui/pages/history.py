"""The quote history: search, sort, open read-only, re-quote, export, delete."""

from __future__ import annotations

from nicegui import app, ui

from ...core.errors import BngError
from ...core.rounding import format_money
from ...store import QuoteSummary
from ..components.client_view import client_view
from ..components.result import summary_card
from ..quote_state import QuoteDraft
from ..services import AppServices
from .quote import PENDING_DRAFT

COLUMNS = [
    {
        "name": "reference",
        "label": "Reference",
        "field": "reference",
        "sortable": True,
        "align": "left",
    },
    {"name": "created", "label": "Saved", "field": "created", "sortable": True, "align": "left"},
    {"name": "client", "label": "Client", "field": "client", "sortable": True, "align": "left"},
    {"name": "author", "label": "Author", "field": "author", "sortable": True, "align": "left"},
    {"name": "lpa", "label": "LPA", "field": "lpa", "sortable": True, "align": "left"},
    {"name": "nca", "label": "NCA", "field": "nca", "sortable": True, "align": "left"},
    {"name": "size", "label": "Size", "field": "size"},
    {
        "name": "total",
        "label": "Total",
        "field": "total",
        "sortable": True,
        "align": "right",
        ":format": "value => '£' + value.toLocaleString('en-GB')",
    },
]


class HistoryPage:
    def __init__(self, services: AppServices):
        self.services = services
        self.filters = {
            "client": "",
            "reference": "",
            "lpa": "",
            "nca": "",
            "author": "",
            "from": "",
            "to": "",
        }
        self.whose = "all"
        ui.label("Quote history").classes("text-xl font-medium")
        with ui.row().classes("gap-3 items-end").mark("history-filters"):
            for key, label in (
                ("client", "Client"),
                ("reference", "Reference"),
                ("lpa", "LPA"),
                ("nca", "NCA"),
                ("author", "Author"),
            ):
                ui.input(label, on_change=self.search).bind_value(self.filters, key).props(
                    "clearable dense debounce=250"
                ).classes("w-44").mark(f"filter-{key}")
            for key, label in (("from", "Saved from"), ("to", "Saved to")):
                ui.input(label, on_change=self.search).bind_value(self.filters, key).props(
                    "type=date dense stack-label"
                ).classes("w-40")
            ui.toggle(
                {"all": "All", "mine": "Mine", "team": "Team's"},
                value="all",
                on_change=self.search,
            ).bind_value(self, "whose").props("dense").mark("filter-whose")
        self.table = (
            ui.table(
                columns=COLUMNS,
                rows=[],
                row_key="reference",
                selection="single",
                pagination={"rowsPerPage": 15, "sortBy": "created", "descending": True},
            )
            .classes("w-full")
            .props("dense flat hide-no-data")
            .mark("history-table")
        )
        self.table.on("rowDblclick", lambda e: self.open(e.args[1]["reference"]))
        self.empty = ui.label().classes("text-grey-7 italic")
        with ui.row().classes("gap-2"):
            for label, icon, action in (
                ("Open", "visibility", self.open_selected),
                ("Re-quote", "refresh", self.requote_selected),
                ("Export to Excel", "download", self.export_selected),
                ("Delete", "delete", self.delete_selected),
            ):
                ui.button(label, icon=icon, on_click=action).props("outline dense").mark(
                    f"history-{label.split()[0].lower()}"
                )
        self.search()

    def search(self) -> None:
        f = self.filters
        try:
            found = self.services.workspace.quotes.search(
                client=f["client"] or None,
                reference=f["reference"] or None,
                lpa=f["lpa"] or None,
                nca=f["nca"] or None,
                author=f["author"] or None,
                team={"all": None, "mine": False, "team": True}[self.whose],
                date_from=f["from"] or None,
                date_to=f["to"] or None,
                limit=500,
            )
        except BngError as error:
            ui.notify(str(error), type="warning")
            return
        self.table.rows = [_row(s) for s in found]
        self.table.selected = []
        self.table.update()
        self.empty.set_text(
            ""
            if found
            else (
                "No saved quotes match these filters."
                if any(f.values())
                else "No saved quotes yet. Quotes you save on the Quote page appear here."
            )
        )

    def _selected(self) -> str | None:
        if not self.table.selected:
            ui.notify("Select a quote in the table first.", type="warning")
            return None
        return self.table.selected[0]["reference"]

    def open_selected(self) -> None:
        if reference := self._selected():
            self.open(reference)

    def open(self, reference: str) -> None:
        saved = self.services.workspace.quotes.get(reference)
        with (
            ui.dialog().props("maximized=false") as dialog,
            ui.card().classes("w-[1000px] max-w-full").mark("quote-dialog"),
        ):
            with ui.row().classes("w-full justify-between items-center"):
                ui.label(
                    f"{saved.reference} · {saved.client_name or 'no client'} · "
                    f"saved {saved.created_at[:16].replace('T', ' ')}"
                ).classes("text-lg")
                ui.button(icon="close", on_click=dialog.close).props("flat round")
            summary_card(saved.quote)
            client_view(saved.quote)
        dialog.open()

    def requote_selected(self) -> None:
        reference = self._selected()
        if reference is None:
            return
        saved = self.services.workspace.quotes.get(reference)
        app.storage.client[PENDING_DRAFT] = QuoteDraft.from_quote(
            saved.quote, based_on=saved.base_reference, client_name=saved.client_name
        )
        ui.navigate.to("/")

    def export_selected(self) -> None:
        reference = self._selected()
        if reference is None:
            return
        saved = self.services.workspace.quotes.get(reference)
        data = self.services.excel_bytes(saved.quote, saved.reference, saved.client_name)
        ui.download.content(data, f"BNG_Quote_{saved.reference}.xlsx")

    def delete_selected(self) -> None:
        reference = self._selected()
        if reference is None:
            return
        with ui.dialog() as dialog, ui.card().mark("delete-dialog"):
            ui.label(f"Delete {reference} for good? This cannot be undone.")
            with ui.row().classes("w-full justify-end"):
                ui.button("Keep it", on_click=dialog.close).props("flat")
                ui.button("Delete", on_click=lambda: self._delete(dialog, reference)).props(
                    "color=negative"
                ).mark("confirm-delete")
        dialog.open()

    def _delete(self, dialog, reference: str) -> None:
        dialog.close()
        try:
            self.services.workspace.quotes.delete(reference, confirm=True)
        except BngError as error:
            ui.notify(str(error), type="warning", multi_line=True)
            return
        ui.notify(f"Deleted {reference}")
        self.search()


def _row(summary: QuoteSummary) -> dict:
    return {
        "reference": summary.reference,
        "created": summary.created_at[:16].replace("T", " "),
        "client": summary.client_name,
        "author": summary.author,
        "lpa": summary.lpa,
        "nca": summary.nca,
        "size": summary.contract_size,
        "total": summary.display_total,
        "total_text": format_money(summary.display_total),
    }


def history_page(services: AppServices) -> None:
    HistoryPage(services)
