"""The quote page: the steps in the order a consultant works them.

The page is built from one draft (ui/quote_state.py), kept in the local store
on every change, so a visit to another page or an app restart loses nothing.
"""

from __future__ import annotations

from datetime import datetime

from nicegui import app, ui

from ...core.dates import UK_DATETIME, local
from ...core.errors import StoreError
from ...store import KeptDraft
from ...store.codec import dumps
from ..components.actions import QuoteActions
from ..components.demand import UNMET_CSS, DemandSection
from ..components.manual import ManualLines
from ..components.options import OptionsSection
from ..components.result import ResultSection
from ..components.run import RunSection
from ..components.site import SiteSection
from ..quote_state import QuoteDraft
from ..services import AppServices

CURRENT_DRAFT = "current_draft"
"""Client storage key: the draft on screen (for other pages and for tests)."""
HANDED_OVER = "handed_over"
"""Payload key: a draft another page (History's re-quote) made, not work restored."""
KEEP_EVERY_SECONDS = 1.0
"""How often bound fields (client name, options) are checked for changes to keep."""


class QuotePage:
    """Builds the page for one draft into ``container``; a new quote rebuilds it."""

    def __init__(
        self,
        services: AppServices,
        container: ui.element,
        draft: QuoteDraft,
        restored: str = "",
    ):
        self.services = services
        self.container = container
        self.kept = ""
        self.build(draft, restored)
        ui.timer(KEEP_EVERY_SECONDS, self.keep)

    def build(self, draft: QuoteDraft, restored: str = "") -> None:
        self.draft = draft
        app.storage.client[CURRENT_DRAFT] = draft
        self.container.clear()
        with self.container:
            layout = ui.element("div").classes("quote-layout w-full")
        with layout:
            with ui.column().classes("w-full min-w-0 gap-3").mark("quote-inputs"):
                if restored:
                    self._restored_banner(restored)
                if draft.based_on:
                    ui.label(f"Re-quoting {draft.based_on} on the current reference data.").classes(
                        "text-sm text-primary"
                    ).mark("requote-banner")
                self.site = SiteSection(draft, self.services, self.inputs_changed)
                self.demand = DemandSection(draft, self.services, self.inputs_changed)
                OptionsSection(draft, self.services, self.inputs_changed)
                self.run = RunSection(draft, self.services, self.result_changed)
            with ui.column().classes("w-full min-w-0 gap-3 quote-result").mark("quote-result"):
                self.result = ResultSection(
                    draft,
                    self.services,
                    self.result_changed,
                    self.restore_quoted_inputs,
                    self.run.keep_looking,
                )
                self.manual = ManualLines(draft, self.services, self.result_changed)
                self.actions = QuoteActions(draft, self.services, self.keep, self.start_new)
        self.keep()

    def _restored_banner(self, text: str) -> None:
        with (
            ui.row()
            .classes("w-full items-center gap-2 rounded bg-blue-1 px-3 py-1")
            .mark("restored-banner")
        ):
            ui.icon("history", color="primary")
            ui.label(text).classes("text-sm flex-1")
            ui.button("Discard", on_click=self.start_new).props(
                "flat dense no-caps color=negative"
            ).mark("discard-draft")

    def inputs_changed(self) -> None:
        self.run.update_controls(inputs_changed=True)
        self.demand.refresh_totals()
        self.demand.show_unmet()
        self.result.show_state()
        self.manual.refresh()
        self.actions.refresh()
        self.keep()

    def result_changed(self) -> None:
        self.result.render()
        self.demand.show_unmet()
        self.actions.refresh()
        self.manual.refresh()
        self.keep()
        show_result(self.container)

    def restore_quoted_inputs(self) -> None:
        self.draft.restore_quoted_inputs()
        self.build(self.draft)
        ui.notify("The inputs are back as they were quoted.")

    def start_new(self) -> None:
        self.services.discard_draft()
        self.build(QuoteDraft())

    def keep(self) -> None:
        """Keep the draft in the local store when it changed since last kept."""
        payload = self.draft.to_payload()
        text = dumps(payload)
        if text != self.kept:
            self.services.keep_draft(payload)
            self.kept = text


LAYOUT_CSS = """
.quote-layout {
  display: grid; gap: 1rem; align-items: start; grid-template-columns: minmax(0, 1fr);
}
@media (min-width: 1024px) {
  .quote-layout { grid-template-columns: minmax(26rem, 5fr) minmax(0, 6fr); }
  .quote-result {
    position: sticky; top: 4.5rem; max-height: calc(100vh - 5.5rem);
    overflow-y: auto; padding-right: 2px;
  }
}
.habitat-picker .q-field__native { flex-wrap: wrap; }
.habitat-picker .q-field__native > span { white-space: normal; overflow-wrap: anywhere; }
.habitat-picker:not(.q-field--focused) .q-field__native > span:not(:empty) ~ input {
  position: absolute; opacity: 0; width: 1px; min-width: 0 !important; height: 1px;
}
.habitat-options { max-width: min(40rem, 90vw); }
.habitat-options .q-item__label { white-space: normal; }
.allocation-table td, .allocation-table th { padding-left: 6px; padding-right: 6px; }
"""
"""Two columns from 1024 px: the steps on the left, the result on the right,
kept in view (sticky) however far down the demand goes; one column below."""


def show_result(page: ui.element) -> None:
    """Bring the result panel into view when a quote (or its refusal) arrives."""
    page.client.run_javascript(
        "document.querySelector('.quote-result')?.scrollIntoView({block: 'nearest'});"
    )


def restored_text(draft: QuoteDraft, kept: KeptDraft) -> str:
    """'Restored your unsaved quote from 10:42' (the date too when not today;
    '' when there is nothing to say)."""
    at = local(kept.kept_at.isoformat())
    when = at.strftime("%H:%M" if at.date() == datetime.now(at.tzinfo).date() else UK_DATETIME)
    if kept.payload.get(HANDED_OVER) or not draft.typed():
        return ""
    if draft.unsaved_work():
        return f"Restored your unsaved quote from {when}."
    return f"Restored your quote {draft.saved_reference} from {when}."


def kept_draft(services: AppServices) -> tuple[QuoteDraft, str]:
    """The draft kept in the local store (and what to say about it), or a new one."""
    kept = services.kept_draft()
    if kept is None:
        return QuoteDraft(), ""
    try:
        draft = QuoteDraft.from_payload(kept.payload)
    except StoreError as error:
        ui.notify(f"{error} A new quote is started.", type="warning", multi_line=True)
        return QuoteDraft(), ""
    return draft, restored_text(draft, kept)


def hand_over(services: AppServices, draft: QuoteDraft) -> None:
    """Put ``draft`` on the quote page for the next visit (History's re-quote)."""
    services.keep_draft({**draft.to_payload(), HANDED_OVER: True})


def quote_page(services: AppServices) -> None:
    ui.add_css(LAYOUT_CSS)
    ui.add_css(UNMET_CSS)
    draft, restored = kept_draft(services)
    QuotePage(services, ui.column().classes("w-full"), draft, restored)
