"""The SAMPLE data banner: shown while quotes are made on the bundled sample
reference data, gone as soon as a version with other content is current
(imported here, or pulled from the team). The rule is the workspace's
(``showing_sample_data``); this only shows it."""

from __future__ import annotations

from nicegui import ui

from ..services import AppServices

REFRESH_SECONDS = 3.0
"""A background sync may switch versions; the banner follows within this."""

ON_SAMPLE = (
    "You are quoting on the bundled SAMPLE reference data (invented banks, stock and "
    "prices over the real habitat list). Import your backend workbook on the Reference page."
)


class SampleBanner:
    def __init__(self, services: AppServices):
        self.services = services
        self.dismissed = False
        with (
            ui.row()
            .classes("w-full items-center bg-amber-2 px-4 py-2 no-wrap")
            .mark("first-run-banner") as self.row
        ):
            ui.icon("info", color="amber-9")
            self.text = ui.label().classes("text-sm flex-1")
            ui.link("Open Reference", "/reference").classes("text-sm").mark("banner-reference")
            ui.button(icon="close", on_click=self.dismiss).props(
                'flat dense round aria-label="Hide this notice"'
            ).mark("dismiss")
        self.refresh()
        ui.timer(REFRESH_SECONDS, self.refresh)

    def refresh(self) -> None:
        showing = not self.dismissed and self.services.sample_in_use()
        if showing:
            notice = self.services.notice
            self.text.set_text(notice.text if notice is not None else ON_SAMPLE)
        self.row.set_visibility(showing)

    def dismiss(self) -> None:
        self.dismissed = True
        self.row.set_visibility(False)


def sample_banner(services: AppServices) -> SampleBanner:
    return SampleBanner(services)
