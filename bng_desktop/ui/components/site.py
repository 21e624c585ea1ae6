"""Step 1: where the site is. Decides every bank's tier.

A postcode or address is looked up off the event loop (cached on disk); when
that cannot be done — offline, not found — the message says so and the
manual LPA/NCA pickers are the way on.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import run, ui

from ...core.bands import Tier
from ...core.errors import LocationError
from ...core.tiers import tier_counts
from ..quote_state import QuoteDraft
from ..services import AppServices

HOW_LOCATED = {
    "postcode": "located by postcode",
    "address": "located by address",
    "point": "located by coordinates",
    "cached": "located earlier (from the cache)",
    "manual": "picked by hand",
}


class SiteSection:
    def __init__(self, draft: QuoteDraft, services: AppServices, on_change: Callable[[], None]):
        self.draft = draft
        self.services = services
        self.on_change = on_change
        with ui.card().classes("w-full").mark("site-section"):
            ui.label("1. Site").classes("text-lg font-medium")
            self._lookup_row()
            self.lookup_message = ui.label().classes("text-sm").mark("lookup-message")
            self.lookup_message.set_visibility(False)
            self.lookup_failed = False
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
                .on("keydown.enter", self.locate)
            )
            self.locate_button = (
                ui.button("Locate", icon="place", on_click=self.locate).props("flat").mark("locate")
            )
            self.spinner = ui.spinner(size="md")
            self.spinner.set_visibility(False)

    async def locate(self) -> None:
        text = (self.lookup.value or "").strip()
        if not text:
            self._say("Type a postcode or an address first.", error=True)
            return
        self._busy(True)
        try:
            location = await run.io_bound(self.services.locate, text)
        except LocationError as error:
            self._say(str(error), error=True)
            return
        finally:
            self._busy(False)
        site = location.to_site(label=text)
        self.draft.located = site
        self.draft.lpa, self.draft.nca = site.lpa, site.nca
        notes = "; ".join(location.warnings)
        self._say(
            f"{site.lpa or '?'} / {site.nca or '?'} — {HOW_LOCATED[site.located_by]}"
            + (f". {notes}" if notes else ""),
            error=False,
        )
        self._changed()

    def _busy(self, busy: bool) -> None:
        self.spinner.set_visibility(busy)
        self.locate_button.set_enabled(not busy)

    def _say(self, text: str, *, error: bool) -> None:
        self.lookup_failed = error
        self.lookup_message.set_text(text)
        self.lookup_message.classes(
            replace="text-sm " + ("text-negative" if error else "text-positive")
        )
        self.lookup_message.set_visibility(True)

    def _changed(self) -> None:
        if self.lookup_failed and self.draft.lpa and self.draft.nca:
            self.lookup_failed = False
            self.lookup_message.set_visibility(False)
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
            f"{counts[Tier.ADJACENT]} adjacent, {counts[Tier.FAR]} far · "
            f"{HOW_LOCATED.get(site.located_by, site.located_by)}"
        )
