"""Below the header: the offer of what a version the background sync pulled
does to open quotes, shown once per version in this window, until closed.
The Sync page's own "Sync now" shows its offer on the page instead."""

from __future__ import annotations

from nicegui import ui

from ...core.impact import VersionArrival
from ..services import AppServices
from .impact_offer import impact_offer_card

REFRESH_SECONDS = 5.0
"""A background sync may switch versions; the offer follows within this."""


class PulledBanner:
    def __init__(self, services: AppServices):
        self.services = services
        self.shown: int | None = None
        self.box = ui.row().classes("w-full items-start px-4 pt-2 no-wrap").mark("pulled-banner")
        self.box.set_visibility(False)
        ui.timer(REFRESH_SECONDS, self.refresh)

    def refresh(self) -> None:
        pulled = self.services.pulled_in_background()
        if pulled is None or pulled.version_id == self.shown:
            return
        self.shown = pulled.version_id
        offer = self.services.impact_offer(pulled.version_id, VersionArrival.PULLED)
        self.box.clear()
        with self.box:
            with ui.column().classes("flex-1"):
                impact_offer_card(offer, on_follow=self.hide)
            ui.button(icon="close", on_click=self.hide).props(
                'flat dense round aria-label="Hide this notice"'
            ).mark("pulled-banner-dismiss")
        self.box.set_visibility(True)

    def hide(self) -> None:
        self.box.set_visibility(False)


def pulled_banner(services: AppServices) -> PulledBanner:
    return PulledBanner(services)
