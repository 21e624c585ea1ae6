"""The About box: which version this is and where its files are, for support calls."""

from __future__ import annotations

from nicegui import ui

from ... import __version__
from ...logs import LOG_FILE
from ..services import AppServices


def about_button(services: AppServices) -> None:
    """An icon button for the header that opens the About box."""
    ui.button(icon="info_outline", on_click=lambda: about_dialog(services).open()).props(
        'flat round dense color=white aria-label="About BNG Desktop"'
    ).tooltip("About BNG Desktop").mark("about")


def about_dialog(services: AppServices) -> ui.dialog:
    """Built when asked, so the reference version shown is the current one."""
    paths = services.workspace.paths
    version = services.current_version()
    reference = (
        f"v{version.version_id} from {version.source} ({version.created_at[:10]})"
        if version
        else "none yet"
    )
    rows = (
        ("Version", __version__, "version"),
        ("Reference data", reference, "reference"),
        ("Data folder", str(paths.data_dir), "data-folder"),
        ("Log file", str(paths.log_dir / LOG_FILE), "log-file"),
    )
    with ui.dialog() as dialog, ui.card().classes("min-w-[28rem]").mark("about-dialog"):
        ui.label("BNG Desktop").classes("text-lg font-semibold")
        ui.label("Quotes Biodiversity Net Gain units, offline.").classes("text-sm text-grey-8")
        with ui.grid(columns="auto 1fr").classes("gap-x-4 gap-y-1 text-sm"):
            for name, value, marker in rows:
                ui.label(name).classes("text-grey-7")
                ui.label(value).classes("break-all select-all").mark(f"about-{marker}")
        with ui.row().classes("w-full justify-end"):
            ui.button("Close", on_click=dialog.close).props("flat").mark("about-close")
    dialog.on_value_change(lambda event: None if event.value else dialog.delete())
    return dialog
