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
            layout = ui.element("div").classes("grid w-full gap-4 items-start")
        layout.style("grid-template-columns: 560px minmax(0, 1fr)")
        with layout:
            with ui.column().classes("w-full gap-3"):
                if draft.based_on:
                    ui.label(f"Re-quoting {draft.based_on} on the current reference data.").classes(
                        "text-sm text-primary"
                    ).mark("requote-banner")
                self.site = SiteSection(draft, self.services, self.inputs_changed)
                self.demand = DemandSection(draft, self.services, self.inputs_changed)
                OptionsSection(draft, self.services, self.inputs_changed)
                self.run = RunSection(draft, self.services, self.result_changed)
            with ui.column().classes("w-full gap-3"):
                self.result = ResultSection(draft, self.services, self.result_changed)
                self.manual = ManualLines(draft, self.services, self.result_changed)
                self.actions = QuoteActions(
                    draft, self.services, self.result_changed, lambda: self.build(QuoteDraft())
                )
        self.manual.row.set_visibility(draft.result is not None)

    def inputs_changed(self) -> None:
        self.run.update_controls()
        self.demand.refresh_totals()

    def result_changed(self) -> None:
        self.result.render()
        self.actions.refresh()
        self.manual.row.set_visibility(self.draft.result is not None)


def quote_page(services: AppServices) -> None:
    draft = app.storage.client.pop(PENDING_DRAFT, None) or QuoteDraft()
    QuotePage(services, ui.column().classes("w-full"), draft)
