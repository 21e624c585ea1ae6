"""The app's root page: header, navigation, the SAMPLE data banner, and the pages."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from .. import __version__
from .components.about import about_button
from .components.pulled_banner import pulled_banner
from .components.sample_banner import sample_banner
from .components.sync_indicator import SyncIndicator, sync_indicator
from .pages.history import history_page
from .pages.impact import impact_page
from .pages.quote import quote_page
from .pages.reference import reference_page
from .pages.sync import sync_page
from .services import AppServices

PRIMARY = "#2A514A"
ACCENT = "#F8C237"


def create_root(services: AppServices) -> Callable[[], None]:
    """The root function for ``ui.run``: one per window, pages as sub-pages."""

    def root() -> None:
        ui.colors(primary=PRIMARY, accent=ACCENT)
        ui.query("body").classes("bg-grey-1")
        indicator = _header(services)
        banner = sample_banner(services)
        pulled_banner(services)

        def reference_changed() -> None:
            """A version became current here: the header and banner say so at once."""
            indicator.refresh()
            banner.refresh()

        with ui.column().classes("w-full max-w-[1600px] mx-auto p-4"):
            ui.sub_pages(
                {
                    "/": lambda: quote_page(services),
                    "/history": lambda: history_page(services),
                    "/reference": lambda: reference_page(services, on_changed=reference_changed),
                    "/impact": lambda version=None, run=None: impact_page(services, version, run),
                    "/sync": lambda: sync_page(services, on_changed=reference_changed),
                }
            ).classes("w-full")

    return root


def _header(services: AppServices) -> SyncIndicator:
    with (
        ui.header().classes("items-center justify-between px-4 py-2").style(f"background:{PRIMARY}")
    ):
        with ui.row().classes("items-center gap-6"):
            ui.label("BNG Desktop").classes("text-lg font-semibold")
            for label, path in (
                ("Quote", "/"),
                ("History", "/history"),
                ("Reference", "/reference"),
                ("Impact", "/impact"),
                ("Sync", "/sync"),
            ):
                ui.link(label, path).classes("text-white no-underline").mark(f"nav-{label.lower()}")
        with ui.row().classes("items-center gap-2"):
            indicator = sync_indicator(services)
            ui.label(f"· app {__version__}").classes("text-xs opacity-80")
            about_button(services)
    return indicator
