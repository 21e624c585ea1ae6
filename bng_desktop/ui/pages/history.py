"""The quote history as a list of documents: one row per quote with its
revisions folded under it, the actions on each row (open, re-quote, export,
delete after a confirmation), and the whole quote on opening it."""

from __future__ import annotations

from nicegui import ui

from ...core.dates import uk_datetime
from ...core.errors import BngError
from ...core.rounding import format_money
from ...store import QuoteSummary, SavedQuote
from ...store.quote_families import FAMILY_ORDER_LABELS, FamilyOrder, QuoteFamily
from ..components.client_exports import export_buttons, export_menu
from ..components.quote_document import quote_document, version_label
from ..components.uk_date import UkDateInput
from ..quote_state import QuoteDraft
from ..services import AppServices
from .quote import hand_over, kept_draft

PAGE_SIZE = 20
ROW_GRID = "display:grid;grid-template-columns:2.5rem minmax(0,1fr) 7rem auto;gap:0.75rem"
TEXT_FILTERS = (
    ("client", "Client"),
    ("reference", "Reference"),
    ("lpa", "LPA"),
    ("nca", "NCA"),
    ("author", "Author"),
)
WHOSE = {"all": None, "mine": False, "team": True}
CUSTOMERS_LISTED = 1000


class HistoryPage:
    def __init__(self, services: AppServices):
        self.services = services
        self.filters = dict.fromkeys((key for key, _ in TEXT_FILTERS), "")
        self.whose = "all"
        self.customer: str | None = None
        self.order = FamilyOrder.NEWEST
        self.page = 1
        self.expanded: set[str] = set()
        self.families: list[QuoteFamily] = []
        with ui.row().classes("w-full items-baseline gap-3"):
            ui.label("Quote history").classes("text-xl font-medium")
            self.count = ui.label().classes("text-sm text-grey-7").mark("history-count")
        self._filter_bar()
        with ui.card().props("flat bordered").classes("w-full p-0 px-3"):
            self.list = ui.column().classes("w-full gap-0").mark("history-list")
        self.pager = ui.pagination(1, 1, direction_links=True, on_change=self._paged)
        self.pager.mark("history-pages")
        self.search()

    def _filter_bar(self) -> None:
        with ui.row().classes("w-full gap-3 items-end").mark("history-filters"):
            for key, label in TEXT_FILTERS:
                ui.input(label, on_change=self.search).bind_value(self.filters, key).props(
                    "clearable dense debounce=250"
                ).classes("w-40").mark(f"filter-{key}")
            self._customer_filter()
            self.date_from = UkDateInput("Saved from", self.search, marker="filter-from")
            self.date_to = UkDateInput("Saved to", self.search, marker="filter-to")
            ui.toggle(
                {"all": "All", "mine": "Mine", "team": "Team's"}, value="all", on_change=self.search
            ).bind_value(self, "whose").props("dense no-caps").mark("filter-whose")
            ui.select(
                {order: label for order, label in FAMILY_ORDER_LABELS.items()},
                value=FamilyOrder.NEWEST,
                label="Order",
                on_change=self.search,
            ).bind_value(self, "order").props("dense").classes("w-44").mark("history-order")

    def _customer_filter(self) -> None:
        """One customer's quotes (typing narrows the list of customers)."""
        customers = self.services.search_customers(limit=CUSTOMERS_LISTED)
        ui.select(
            {c.uuid: c.display_name() for c in customers},
            label="Customer",
            with_input=True,
            clearable=True,
            on_change=self.search,
        ).bind_value(self, "customer").props("dense").classes("w-56").mark("filter-customer")

    # ------------------------------------------------------------ the list

    def search(self) -> None:
        f = self.filters
        try:
            self.families = self.services.workspace.quote_history(
                order=FamilyOrder(self.order),
                client=f["client"] or None,
                reference=f["reference"] or None,
                lpa=f["lpa"] or None,
                nca=f["nca"] or None,
                author=f["author"] or None,
                customer=self.customer or None,
                team=WHOSE[self.whose],
                date_from=self.date_from.value,
                date_to=self.date_to.value,
                limit=2000,
            )
        except BngError as error:
            ui.notify(str(error), type="warning")
            return
        if self.page != 1:
            self.pager.set_value(1)  # back to the first page: _paged renders
        else:
            self.render()

    def _paged(self) -> None:
        self.page = int(self.pager.value or 1)
        self.render()

    def render(self) -> None:
        families = self.families
        pages = max(1, -(-len(families) // PAGE_SIZE))
        self.pager.max = pages
        self.pager.set_visibility(pages > 1)
        shown = families[(self.page - 1) * PAGE_SIZE : self.page * PAGE_SIZE]
        self.count.set_text(_count_text(families))
        self.list.clear()
        with self.list:
            if not families:
                self._empty()
                return
            for family in shown:
                self._family(family)

    def _empty(self) -> None:
        filtered = (
            any(self.filters.values())
            or self.customer
            or self.date_from.value
            or self.date_to.value
        )
        with ui.column().classes("w-full items-center py-10 gap-2").mark("history-empty"):
            ui.icon("folder_open", size="xl", color="grey-5")
            if filtered or self.whose != "all":
                ui.label("No saved quotes match these filters.").classes("text-grey-8")
                ui.button("Clear the filters", on_click=self._clear_filters).props("flat")
                return
            ui.label("No saved quotes yet.").classes("text-grey-8 text-base")
            ui.label(
                "A quote you save on the Quote page appears here, with its re-quotes "
                "folded under it; colleagues' quotes arrive with the team sync."
            ).classes("text-sm text-grey-7 text-center max-w-xl")
            ui.button("Start a quote", icon="add", on_click=lambda: ui.navigate.to("/")).props(
                "unelevated color=primary"
            )

    def _clear_filters(self) -> None:
        for key in self.filters:
            self.filters[key] = ""
        self.date_from.clear()
        self.date_to.clear()
        self.whose = "all"
        self.customer = None
        self.search()

    def _family(self, family: QuoteFamily) -> None:
        base = family.base_reference
        open_now = base in self.expanded
        with ui.column().classes("w-full gap-0 py-1").style("border-bottom: 1px solid #e0e0e0"):
            self._row(family.latest, family=family, expanded=open_now)
            if family.earlier:
                with ui.column().classes("w-full gap-0 pl-10").mark(f"earlier-{base}") as earlier:
                    for summary in family.earlier:
                        self._row(summary)
                earlier.set_visibility(open_now)

    def _row(
        self, summary: QuoteSummary, *, family: QuoteFamily | None = None, expanded: bool = False
    ) -> None:
        ref = summary.reference
        with (
            ui.element("div")
            .style(ROW_GRID)
            .classes("w-full items-center py-1")
            .mark(f"quote-row row-{ref}")
        ):
            self._toggle(family, expanded)
            with ui.column().classes("gap-0 min-w-0"):
                with ui.row().classes("items-center gap-2"):
                    ui.label(ref).classes("font-medium").mark(f"ref-{ref}")
                    ui.label(summary.client_name or "no client name").classes("break-words")
                    if family is not None and family.earlier:
                        ui.badge(f"latest of {len(family.versions)}", color="grey-3").props(
                            "text-color=grey-9"
                        )
                    if summary.from_team:
                        ui.badge("team", color="blue-1").props("text-color=blue-9")
                site = " · ".join(part for part in (summary.lpa, summary.nca) if part) or "no site"
                ui.label(
                    f"{site} — saved {uk_datetime(summary.created_at)}"
                    + (f" by {summary.author}" if summary.author else "")
                ).classes("text-sm text-grey-7 break-words").mark(f"saved-{ref}")
            ui.label(format_money(summary.display_total)).classes("text-right font-medium")
            self._actions(summary)

    def _toggle(self, family: QuoteFamily | None, expanded: bool) -> None:
        if family is None or not family.earlier:
            ui.element("div")
            return
        count = len(family.earlier)
        words = f"{'Hide' if expanded else 'Show'} {count} earlier version{'s' * (count > 1)}"
        button = ui.button(
            icon="expand_less" if expanded else "expand_more",
            on_click=lambda: self._fold(family.base_reference),
        ).props(f'flat dense round aria-label="{words}" aria-expanded={str(expanded).lower()}')
        button.tooltip(words).mark(f"versions-{family.base_reference}")

    def _fold(self, base: str) -> None:
        self.expanded ^= {base}
        self.render()

    def _actions(self, summary: QuoteSummary) -> None:
        ref = summary.reference
        with ui.row().classes("gap-1 no-wrap"):
            for label, icon, action, tip in (
                ("Open", "visibility", self.open, f"See the whole of {ref}"),
                ("Re-quote", "refresh", self.requote, f"Quote {ref} again as its next revision"),
            ):
                ui.button(label, icon=icon, on_click=lambda a=action: a(ref)).props(
                    f'flat dense no-caps aria-label="{label} {ref}"'
                ).tooltip(tip).mark(f"{label.lower()}-{ref}")
            export_menu(self.services, ref)
            delete = (
                ui.button("Delete", icon="delete", on_click=lambda: self.confirm_delete(ref))
                .props(f'flat dense no-caps color=grey-8 aria-label="Delete {ref}"')
                .mark(f"delete-{ref}")
            )
            if summary.from_team:
                delete.disable()
                delete.tooltip("A colleague's quote: read-only here (re-quote it to make your own)")
            else:
                delete.tooltip(f"Delete {ref} (asks first)")

    # ------------------------------------------------------------ the actions

    def open(self, reference: str) -> None:
        saved = self.services.workspace.quotes.get(reference)
        from_team = any(
            s.from_team
            for family in self.families
            for s in family.versions
            if s.reference == reference
        )
        with (
            ui.dialog() as dialog,
            ui.card()
            .classes("w-[1100px] max-w-[96vw]")
            .style("max-height: 92vh; overflow-y: auto")
            .mark("quote-dialog"),
        ):
            self._document_header(saved, dialog, from_team)
            quote_document(saved, from_team=from_team, made_on=self._made_on(saved))
        dialog.open()

    def _document_header(self, saved: SavedQuote, dialog: ui.dialog, from_team: bool) -> None:
        ref = saved.reference
        with ui.row().classes("w-full items-start justify-between gap-3"):
            with ui.column().classes("gap-0 min-w-0"):
                ui.label(f"{ref} · {saved.client_name or 'no client name'}").classes(
                    "text-lg font-medium break-words"
                )
                ui.label(
                    f"{format_money(saved.quote.totals.display_total)} + VAT · "
                    f"{version_label(saved)}"
                ).classes("text-base")
            with ui.row().classes("gap-1 items-center"):
                ui.button("Re-quote", icon="refresh", on_click=lambda: self.requote(ref)).props(
                    "outline dense no-caps"
                ).mark("document-requote")
                export_buttons(self.services, ref, place="document")
                delete = (
                    ui.button(
                        "Delete", icon="delete", on_click=lambda: self.confirm_delete(ref, dialog)
                    )
                    .props("outline dense no-caps color=negative")
                    .mark("document-delete")
                )
                if from_team:
                    delete.disable()
                ui.button(icon="close", on_click=dialog.close).props(
                    'flat dense round aria-label="Close"'
                ).mark("document-close")

    def _made_on(self, saved: SavedQuote) -> str:
        quote = saved.quote
        versions = {v.version_id: v for v in self.services.versions()}
        version = versions.get(quote.reference_version)
        if version is not None and version.content_hash == quote.reference_hash:
            return f"reference data version {version.version_id} ({version.source})"
        return f"reference data version {quote.reference_version} of the desktop that made it"

    def requote(self, reference: str) -> None:
        """On the quote page, over the draft there: asked first when that is unsaved work."""
        current, _ = kept_draft(self.services)
        if not current.unsaved_work():
            self._requote(reference)
            return
        with ui.dialog() as dialog, ui.card().mark("requote-over-draft"):
            ui.label(f"The quote page holds an unsaved quote. Re-quoting {reference} replaces it.")
            with ui.row().classes("w-full justify-end"):
                ui.button("Keep my quote", on_click=dialog.close).props("flat")
                ui.button(
                    "Replace it", on_click=lambda: (dialog.close(), self._requote(reference))
                ).props("color=negative").mark("replace-draft")
        dialog.open()

    def _requote(self, reference: str) -> None:
        saved = self.services.workspace.quotes.get(reference)
        draft = QuoteDraft.from_quote(
            saved.quote, based_on=saved.base_reference, client_name=saved.client_name
        )
        hand_over(self.services, draft)
        ui.navigate.to("/")

    def confirm_delete(self, reference: str, document: ui.dialog | None = None) -> None:
        with ui.dialog() as dialog, ui.card().mark("delete-dialog"):
            ui.label(f"Delete {reference} for good? This cannot be undone.")
            ui.label(
                "Its other versions stay. A reference already sent to a client is never reused."
            ).classes("text-sm text-grey-7")
            with ui.row().classes("w-full justify-end"):
                ui.button("Keep it", on_click=dialog.close).props("flat").mark("keep-it")
                ui.button(
                    "Delete", on_click=lambda: self._delete(dialog, reference, document)
                ).props("color=negative").mark("confirm-delete")
        dialog.open()

    def _delete(self, dialog: ui.dialog, reference: str, document: ui.dialog | None) -> None:
        dialog.close()
        try:
            self.services.workspace.quotes.delete(reference, confirm=True)
        except BngError as error:
            ui.notify(str(error), type="warning", multi_line=True)
            return
        if document is not None:
            document.close()
        ui.notify(f"Deleted {reference}")
        self.search()


def _count_text(families: list[QuoteFamily]) -> str:
    if not families:
        return ""
    said = f"{len(families)} quote{'s' if len(families) != 1 else ''}"
    revised = sum(1 for family in families if family.earlier)
    return said + (f", {revised} with re-quotes" if revised else "")


def history_page(services: AppServices) -> None:
    HistoryPage(services)
