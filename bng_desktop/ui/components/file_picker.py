"""A button that opens the file chooser, instead of the upload widget's own box
(which shows a tick and 100 % as soon as the file has arrived, before any of
the work on it is done). The page reports the work itself."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from nicegui import events, ui

WORKBOOKS = ".xlsx,.xlsm"
MAX_BYTES = 50_000_000


def saved_name(sent: str, fallback: str) -> str:
    """The name to save an upload under, in a folder of the app's own: the last
    part of the name the browser sent (Windows separators too), or ``fallback``
    when that is empty, "." or ".." and would name the folder itself."""
    name = Path(sent.replace("\\", "/")).name
    return name if name not in ("", ".", "..") else fallback


class FilePicker:
    def __init__(
        self,
        label: str,
        on_file: Callable[[events.UploadEventArguments], Awaitable[None]],
        *,
        marker: str,
        accept: str = WORKBOOKS,
        props: str = "unelevated color=primary no-caps",
        kind: str = "workbook",
    ):
        """``kind`` names what to choose when a file is turned away."""
        self.on_file = on_file
        self.upload = (
            ui.upload(auto_upload=True, on_upload=self._arrived, max_file_size=MAX_BYTES)
            .props(f'accept="{accept}"')
            .classes("hidden")
            .mark(f"{marker}-upload")
        )
        self.upload.on_rejected(
            lambda: ui.notify(f"Choose a {kind} ({accept}) of at most 50 MB.", type="warning")
        )
        self.button = ui.button(label, icon="upload_file").props(props).mark(marker)
        self.button.on("click", js_handler=f"(e) => runMethod({self.upload.id}, 'pickFiles', [e])")

    async def _arrived(self, event: events.UploadEventArguments) -> None:
        self.upload.reset()
        await self.on_file(event)

    def set_enabled(self, enabled: bool) -> None:
        self.button.set_enabled(enabled)
