"""The header's sync indicator: reference version, online/offline, last sync, quotes to send.

Read from the local store only (no network), every few seconds by a
``ui.timer``, so it follows the background sync without ever waiting on it.
The reference version follows at once: the page that imports or pulls one
calls ``refresh``, and a version the background sync switched to is noticed
within ``SWITCH_CHECK_SECONDS`` (an in-memory check, no store read).
"""

from __future__ import annotations

from nicegui import ui

from ...sync import SyncStatus
from ..services import AppServices

REFRESH_SECONDS = 5.0
SWITCH_CHECK_SECONDS = 0.5


def status_icon(status: SyncStatus) -> str:
    if not status.configured:
        return "cloud_queue"
    if status.running:
        return "cloud_sync"
    if status.online is False:
        return "cloud_off"
    if status.last_error:
        return "sync_problem"
    return "cloud_done"


class SyncIndicator:
    def __init__(self, services: AppServices):
        self.services = services
        with (
            ui.link(target="/sync")
            .classes("text-white no-underline row items-center gap-1")
            .mark("sync-indicator")
        ):
            self.icon = ui.icon("cloud_queue", size="xs")
            self.label = ui.label().classes("text-xs opacity-80").mark("sync-status")
            with self.label:
                self.tip = ui.tooltip("")
        self.switched = services.background_switch()
        self.refresh()
        ui.timer(REFRESH_SECONDS, self.refresh)
        ui.timer(SWITCH_CHECK_SECONDS, self._follow_background_switch)

    def _follow_background_switch(self) -> None:
        switched = self.services.background_switch()
        if switched is not self.switched:
            self.switched = switched
            self.refresh()

    def refresh(self) -> None:
        status = self.services.sync_status()
        version = self.services.current_version()
        reference = f"reference v{version.version_id} ({version.source})" if version else "no data"
        self.label.set_text(f"{reference} · {status.text}")
        self.icon.name = status_icon(status)
        self.tip.set_text(status.last_error or "Open the Sync page")


def sync_indicator(services: AppServices) -> SyncIndicator:
    return SyncIndicator(services)
