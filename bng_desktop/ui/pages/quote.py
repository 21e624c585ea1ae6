"""The quote page: the steps in the order a consultant works them."""

from __future__ import annotations

from nicegui import app, ui

from ..components.actions import QuoteActions
from ..components.demand import DemandSection
from ..components.manual import ManualLines
from ..components.options import OptionsSection
from ..components.result import ResultSection
from ..components.run import RunSection
from ..components.site import SiteSection
from ..quote_state import QuoteDraft
from ..services import AppServices

PENDING_DRAFT = "pending_draft"
"""Client storage key: a draft handed over by another page (a re-quote)."""
CURRENT_DRAFT = "current_draft"
"""Client storage key: the draft on screen (for other pages and for tests)."""


class QuotePage:
    """Builds the page for one draft into ``container``; a new quote rebuilds it."""

    def __init__(self, services: AppServices, container: ui.element, draft: QuoteDraft):
        self.services = services
        self.container = container
        self.build(draft)

    def build(self, draft: QuoteDraft) -> None:
        self.draft = draft
        app.storage.client[CURRENT_DRAFT] = draft
        self.container.clear()
        with self.container:
            layout = ui.element("div").classes("quote-layout w-full")
        with layout:
            with ui.column().classes("w-full min-w-0 gap-3").mark("quote-inputs"):
                if draft.based_on:
                    ui.label(f"Re-quoting {draft.based_on} on the current reference data.").classes(
                        "text-sm text-primary"
                    ).mark("requote-banner")
                self.site = SiteSection(draft, self.services, self.inputs_changed)
                self.demand = DemandSection(draft, self.services, self.inputs_changed)
                OptionsSection(draft, self.services, self.inputs_changed)
                self.run = RunSection(draft, self.services, self.result_changed)
            with ui.column().classes("w-full min-w-0 gap-3 quote-result").mark("quote-result"):
                self.result = ResultSection(draft, self.services, self.result_changed)
                self.manual = ManualLines(draft, self.services, self.result_changed)
                self.actions = QuoteActions(
                    draft, self.services, self.result_changed, lambda: self.build(QuoteDraft())
                )
        self.manual.row.set_visibility(draft.result is not None)

    def inputs_changed(self) -> None:
        self.run.update_controls(inputs_changed=True)
        self.demand.refresh_totals()

    def result_changed(self) -> None:
        self.result.render()
        self.actions.refresh()
        self.manual.row.set_visibility(self.draft.result is not None)
        show_result(self.container)


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


def quote_page(services: AppServices) -> None:
    ui.add_css(LAYOUT_CSS)
    draft = app.storage.client.pop(PENDING_DRAFT, None) or QuoteDraft()
    QuotePage(services, ui.column().classes("w-full"), draft)
