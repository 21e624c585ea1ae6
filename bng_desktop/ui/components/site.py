"""Step 1: where the site is. Decides every bank's tier."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from ...core.bands import Tier
from ...core.tiers import tier_counts
from ..quote_state import QuoteDraft
from ..services import AppServices


class SiteSection:
    def __init__(self, draft: QuoteDraft, services: AppServices, on_change: Callable[[], None]):
        self.draft = draft
        self.services = services
        self.on_change = on_change
        with ui.card().classes("w-full").mark("site-section"):
            ui.label("1. Site").classes("text-lg font-medium")
            self._lookup_row()
            with ui.row().classes("w-full no-wrap gap-3"):
                self.lpa = self._picker(services.districts, "Local planning authority", "lpa")
                self.nca = self._picker(services.ncas, "National Character Area", "nca")
            self.summary = ui.label().classes("text-sm text-grey-8").mark("site-summary")
        self.lpa.on_value_change(self._changed)
        self.nca.on_value_change(self._changed)
        self.refresh()

    def _picker(self, names: list[str], label: str, field: str) -> ui.select:
        return (
            ui.select(names, with_input=True, clearable=True, label=label)
            .bind_value(self.draft, field)
            .classes("flex-1")
            .props('hint="type to search"')
            .mark(field)
        )

    def _lookup_row(self) -> None:
        with ui.row().classes("w-full items-center no-wrap gap-3"):
            self.lookup = (
                ui.input("Postcode or address", placeholder="e.g. SO23 9LJ")
                .classes("flex-1")
                .mark("postcode")
                .on("keydown.enter", self._locate)
            )
            ui.button("Locate", icon="place", on_click=self._locate).props("flat")

    def _locate(self) -> None:
        ui.notify(
            "Postcode lookup is not available in this version: pick the LPA and NCA below.",
            type="warning",
        )

    def _changed(self) -> None:
        self.refresh()
        self.on_change()

    def refresh(self) -> None:
        site = self.services.complete_site(self.draft.site())
        if not site.has_location:
            self.summary.set_text("No location yet: every bank would be priced as far.")
            return
        counts = tier_counts(self.services.snapshot().banks.values(), site)
        self.summary.set_text(
            f"{len(site.lpa_neighbours)} neighbouring LPAs, {len(site.nca_neighbours)} "
            f"neighbouring NCAs · banks: {counts[Tier.LOCAL]} local, "
            f"{counts[Tier.ADJACENT]} adjacent, {counts[Tier.FAR]} far"
        )
