"""Reference data: the current version, its rows, older versions, the
admin's import (validation problems shown as a table; nothing half-imported)
and the statutory credit prices by date."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from nicegui import events, ui

from ...core.errors import ReferenceDataError
from ...core.impact import VersionArrival
from ...core.version_terms import headline_figures, other_figures
from ..components.credit_prices_card import CreditPricesCard
from ..components.file_picker import FilePicker, saved_name
from ..components.impact_offer import impact_offer_card
from ..components.import_stages import ImportStages
from ..components.job_follower import JobFollower
from ..components.problems import problems_table
from ..components.progress_bar import progress_bar
from ..jobs import Job, JobStatus
from ..services import AppServices

VERSION_COLUMNS = [
    {"name": "version", "label": "Version", "field": "version", "align": "left"},
    {"name": "origin", "label": "Where it came from", "field": "origin", "align": "left"},
    {"name": "when", "label": "When", "field": "when", "align": "left"},
    {"name": "holds", "label": "What it holds", "field": "holds", "align": "left"},
    {"name": "current", "label": "", "field": "current"},
]
FINGERPRINT_COLUMNS = [
    {"name": "version", "label": "Version", "field": "version", "align": "left"},
    {"name": "hash", "label": "Fingerprint", "field": "hash", "align": "left"},
]


class ReferencePage:
    def __init__(self, services: AppServices, on_changed: Callable[[], None]):
        self.services = services
        self.on_changed = on_changed
        """Called once a new version is current (the SAMPLE banner follows)."""
        self.folder: Path | None = None
        ui.label("Reference data").classes("text-xl font-medium")
        self.current = ui.column().classes("w-full").mark("reference-current")
        self._import_card()
        self.banks = ui.column().classes("w-full").mark("bank-locations")
        self.versions = ui.column().classes("w-full")
        CreditPricesCard(services)
        self.show()

    def show(self) -> None:
        self.current.clear()
        version = self.services.current_version()
        with self.current, ui.card().classes("w-full"):
            if version is None:
                ui.label("No reference data yet.")
                return
            origin = self.services.version_origin(version)
            ui.label(f"Version {version.version_id} is in use").classes("font-medium").mark(
                "current-version"
            )
            ui.label(f"{origin.how()} · {origin.when()}").classes("text-sm").mark("current-origin")
            ui.label(headline_figures(version.row_counts)).classes("text-sm").mark(
                "current-figures"
            )
            for warning in version.warnings:
                ui.label(f"⚠ {warning}").classes("text-sm text-warning")
        self._bank_locations()
        self._versions()

    def _versions(self) -> None:
        self.versions.clear()
        versions = self.services.versions()
        rows = [
            {
                "version": v.version_id,
                "origin": (origin := self.services.version_origin(v)).how(),
                "when": origin.when(),
                "holds": headline_figures(v.row_counts),
                "current": "in use" if v.is_current else "",
            }
            for v in versions
        ]
        with self.versions:
            ui.label("All versions").classes("text-lg font-medium")
            ui.table(columns=VERSION_COLUMNS, rows=rows, row_key="version").props(
                "dense flat wrap-cells"
            ).classes("w-full").mark("version-table")
            with ui.expansion("Details").classes("w-full").mark("version-details"):
                current = next((v for v in versions if v.is_current), None)
                if current is not None:
                    others = ", ".join(other_figures(current.row_counts))
                    ui.label(f"Version {current.version_id} also holds {others}.").classes(
                        "text-sm"
                    )
                ui.label(
                    "Each version's fingerprint: the same fingerprint means the same data, "
                    "whatever its version number (support may ask for it)."
                ).classes("text-sm text-grey-8")
                fingerprints = [
                    {"version": v.version_id, "hash": v.content_hash[:16] + "…"} for v in versions
                ]
                ui.table(columns=FINGERPRINT_COLUMNS, rows=fingerprints, row_key="version").props(
                    "dense flat wrap-cells"
                ).classes("w-full").mark("fingerprints")

    def _bank_locations(self) -> None:
        self.banks.clear()
        missing = self.services.banks_needing_location()
        if not missing:
            return
        with self.banks, ui.card().classes("w-full"):
            ui.label(
                f"{missing} bank(s) have no LPA or NCA: they are priced as far until located."
            ).classes("text-sm")
            with ui.row().classes("w-full items-center gap-3"):
                button = ui.button("Look them up", icon="travel_explore").props("outline")
                bar = progress_bar().classes("flex-1")
                message = ui.label().classes("text-sm")
            bar.set_visibility(False)
            follower = JobFollower(bar, message, self._banks_located)

            def start() -> None:
                button.set_enabled(False)
                follower.follow(self.services.start_locating_banks())

            button.on_click(start)

    def _banks_located(self, job: Job) -> None:
        self.show()
        if job.status is JobStatus.DONE:
            batch = job.result
            ui.notify(
                f"Located {len(batch.located)} bank(s); {len(batch.failed)} could not be located."
            )
        else:
            ui.notify(job.message, type="warning")

    def _import_card(self) -> None:
        with ui.card().classes("w-full"):
            ui.label("Import a backend workbook (admin)").classes("text-lg font-medium")
            ui.label(
                "Sheets Banks, Pricing, HabitatCatalog, Stock, DistinctivenessLevels, SRM, "
                "TradingRules. Every row is checked; a workbook with problems is refused "
                "whole and nothing changes."
            ).classes("text-sm text-grey-8")
            self.picker = FilePicker("Choose a workbook…", self.uploaded, marker="reference")
            self.stages = ImportStages(self._finished)
            self.outcome = ui.label().classes("text-sm").mark("import-outcome")
            self.offer = ui.column().classes("w-full")
            self.problems = ui.column().classes("w-full").mark("reference-problems")

    async def uploaded(self, event: events.UploadEventArguments) -> None:
        if self.stages.running:
            ui.notify("An import is already under way.", type="warning")
            return
        self.problems.clear()
        self.offer.clear()
        self.outcome.set_text("")
        self.folder = Path(tempfile.mkdtemp(prefix="bng-reference-"))
        path = self.folder / saved_name(event.file.name, "reference.xlsx")
        await event.file.save(path)
        self.picker.set_enabled(False)
        self.stages.follow(self.services.start_reference_import(path), path.name)

    def _finished(self, job: Job) -> None:
        self.picker.set_enabled(True)
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
        if job.status is JobStatus.DONE:
            version = job.result
            said = f"Imported {version.source} as version {version.version_id}; it is now current."
            self.outcome.set_text(said)
            ui.notify(said, type="positive")
            self.show()
            self.on_changed()
            with self.offer:
                impact_offer_card(
                    self.services.impact_offer(version.version_id, VersionArrival.IMPORTED)
                )
        elif isinstance(job.error, ReferenceDataError):
            self._show_problems(job.error)
        else:
            self.outcome.set_text(f"{job.message}. The current reference data is unchanged.")

    def _show_problems(self, error: ReferenceDataError) -> None:
        self.outcome.set_text(
            "Nothing changed. Correct what the table lists in the workbook, then import it again."
        )
        with self.problems:
            problems_table(error, heading="Not imported", marker="problem-table")
        ui.notify("The workbook was refused; nothing changed.", type="negative")


def reference_page(services: AppServices, on_changed: Callable[[], None] = lambda: None) -> None:
    ReferencePage(services, on_changed)
