"""Team sync: status and Sync now, the connection settings, the sync log, and the
admin's publish of a backend workbook (problems shown as a table; nothing sent)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from nicegui import events, run, ui

from ...core.errors import BngError, ReferenceDataError
from ...core.impact import VersionArrival
from ...sync import SyncReport, SyncSettings
from ...sync.publish import Published
from ...sync.status import LogEntry, clock
from ..components.file_picker import FilePicker, saved_name
from ..components.impact_offer import impact_offer_card
from ..components.job_follower import JobFollower
from ..components.problems import problems_table
from ..components.progress_bar import progress_bar
from ..jobs import Job, JobStatus
from ..services import AppServices

LOG_COLUMNS = [
    {"name": "when", "label": "When", "field": "when", "align": "left"},
    {"name": "result", "label": "Result", "field": "result", "align": "left"},
    {"name": "pulled", "label": "Versions", "field": "pulled"},
    {"name": "pushed", "label": "Pushed", "field": "pushed"},
    {"name": "team", "label": "Team quotes", "field": "team"},
    {"name": "message", "label": "What happened", "field": "message", "align": "left"},
]


class SyncPage:
    def __init__(self, services: AppServices, on_changed: Callable[[], None] = lambda: None):
        self.services = services
        self.on_changed = on_changed
        """Called once a sync made a pulled version current (the header follows)."""
        ui.label("Team sync").classes("text-xl font-medium")
        self._status_card()
        self.offer = ui.column().classes("w-full")
        self._settings_card()
        self._publish_card()
        self.log = ui.column().classes("w-full")
        self.show()

    def _status_card(self) -> None:
        with ui.card().classes("w-full"), ui.row().classes("w-full items-center gap-3"):
            self.state = ui.label().classes("font-medium").mark("sync-page-status")
            self.go = ui.button("Sync now", icon="sync", on_click=self.sync_now).props(
                "unelevated color=primary"
            )
            self.go.mark("sync-now")
            self.message = ui.label().classes("text-sm text-grey-8").mark("sync-message")
            bar = progress_bar()
            bar.set_visibility(False)
        self.follower = JobFollower(bar, self.message, self._finished)

    def _settings_card(self) -> None:
        chosen = self.services.sync_settings()
        with ui.card().classes("w-full"):
            ui.label("Team database").classes("text-lg font-medium")
            with ui.row().classes("gap-3 items-end"):
                self.url = ui.input(
                    "Address (URL)", value=chosen.url, placeholder="postgresql://server/bng"
                )
                self.url.classes("w-96").mark("sync-url")
                self.user = ui.input("User", value=chosen.user).classes("w-40").mark("sync-user")
                self.password = ui.input("Password", password=True, password_toggle_button=True)
                self.password.classes("w-48").mark("sync-password")
                self.author = ui.input("Your name on quotes", value=chosen.author).classes("w-48")
                self.interval = ui.number(
                    "Sync every (minutes)", value=chosen.interval_minutes, min=1, step=1
                ).classes("w-40")
                ui.button("Save", icon="save", on_click=self.save).props("outline").mark(
                    "sync-save"
                )
            ui.label(
                f"The password is kept in {self.services.password_location()}, never in a "
                "file. Connections to a database on another computer are always encrypted, "
                "unless the address itself turns encryption off."
            ).classes("text-xs text-grey-7")

    def _publish_card(self) -> None:
        with ui.card().classes("w-full"):
            ui.label("Publish reference data to the team (admin)").classes("text-lg font-medium")
            ui.label(
                "The workbook is checked exactly as a local import is; one with problems is "
                "refused whole and nothing is sent. Desktops switch at their next sync."
            ).classes("text-sm text-grey-8")
            with ui.row().classes("items-center gap-3"):
                self.picker = FilePicker(
                    "Publish a workbook…",
                    self.publish_upload,
                    marker="publish",
                    props="outline no-caps",
                )
                self.local = (
                    ui.button(
                        "Publish this desktop's current version",
                        icon="publish",
                        on_click=self.publish_local,
                    )
                    .props("outline no-caps")
                    .mark("publish-local")
                )
            with ui.row().classes("items-center gap-2") as self.publishing:
                ui.spinner(size="1.2em")
                self.publishing_text = ui.label().classes("text-sm")
            self.publishing.set_visibility(False)
            self.problems = ui.column().classes("w-full").mark("publish-problems")

    def show(self) -> None:
        self.state.set_text(self.services.sync_status().text)
        rows = [
            {
                "id": n,
                "when": clock(entry.finished_at),
                "result": _result_word(entry),
                "pulled": entry.versions_pulled,
                "pushed": entry.quotes_pushed,
                "team": entry.team_quotes,
                "message": entry.message,
            }
            for n, entry in enumerate(self.services.sync_log())
        ]
        self.log.clear()
        with self.log:
            ui.label("Sync log").classes("text-lg font-medium")
            ui.table(columns=LOG_COLUMNS, rows=rows, row_key="id", pagination=15).props(
                'dense flat wrap-cells no-data-label="No syncs yet: set up the team '
                'database above, then Sync now."'
            ).classes("w-full").mark("sync-log")

    def sync_now(self) -> None:
        if self.follower.running:
            return
        self.go.set_enabled(False)
        self.follower.follow(self.services.start_sync())
        self.message.set_text("Syncing…")

    def _finished(self, job: Job) -> None:
        self.go.set_enabled(True)
        if job.status is JobStatus.DONE:
            self._report(job.result)
        else:
            self.message.set_text(job.message)
        self.show()

    def _report(self, report: SyncReport) -> None:
        self.message.set_text(" · ".join(report.lines()))
        self.offer.clear()
        if report.current is not None:
            self.on_changed()
            offer = self.services.impact_offer(report.current.version_id, VersionArrival.PULLED)
            with self.offer:
                impact_offer_card(offer)
        for old, new in report.pushed.renumbered:
            ui.notify(
                f"Quote {old} is now {new}: a colleague had already used {old}.",
                type="warning",
                close_button=True,
                timeout=0,
            )
        ui.notify(
            "Synced." if report.ok else report.error,
            type="positive" if report.ok else "warning",
        )

    async def save(self) -> None:
        """Off the event loop: an OS keyring may take a while (or ask the user)."""
        chosen = SyncSettings(
            url=self.url.value or "",
            user=self.user.value or "",
            interval_minutes=int(self.interval.value or 15),
            author=self.author.value or "",
        )
        try:
            await run.io_bound(self.services.save_sync_settings, chosen, self.password.value or "")
        except BngError as error:
            ui.notify(str(error), type="negative", multi_line=True)
            return
        self.password.set_value("")
        ui.notify("Saved. Syncing in the background now.", type="positive")
        self.show()

    async def publish_upload(self, event: events.UploadEventArguments) -> None:
        self.problems.clear()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / saved_name(event.file.name, "reference.xlsx")
            await event.file.save(path)
            doing = f"Checking {path.name} and publishing it to the team…"
            await self._publish(doing, self.services.publish_workbook, path)

    async def publish_local(self) -> None:
        self.problems.clear()
        await self._publish("Publishing this desktop's version…", self.services.publish_local)

    async def _publish(self, doing: str, action, *args) -> None:
        self.publishing_text.set_text(doing)
        self.publishing.set_visibility(True)
        self.picker.set_enabled(False)
        self.local.set_enabled(False)
        try:
            published: Published = await run.io_bound(action, *args)
        except ReferenceDataError as error:
            self._show_problems(error)
            return
        except BngError as error:
            ui.notify(str(error), type="negative", multi_line=True, close_button=True)
            return
        finally:
            self.publishing.set_visibility(False)
            self.picker.set_enabled(True)
            self.local.set_enabled(True)
        if published.unchanged:
            ui.notify(f"The team's version {published.central_id} already has this content.")
        else:
            ui.notify(
                f"Published {published.source} as the team's version {published.central_id}.",
                type="positive",
            )

    def _show_problems(self, error: ReferenceDataError) -> None:
        with self.problems:
            problems_table(error, heading="Not published", marker="publish-problem-table")
        ui.notify("The workbook was refused; nothing was published.", type="negative")


def _result_word(entry: LogEntry) -> str:
    if entry.ok:
        return "Synced"
    return "Offline" if not entry.online else "Problem"


def sync_page(services: AppServices, on_changed: Callable[[], None] = lambda: None) -> None:
    SyncPage(services, on_changed)
