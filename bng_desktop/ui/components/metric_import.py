"""Import metric…: read the developer's metric workbook in the background,
preview what it gives, and replace or append the demand lines.

A refused workbook is explained and changes nothing on the page.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

from nicegui import app, events, ui

from ...core.bands import UnitType
from ...core.errors import MetricError
from ...core.joint_offsetting import metric_plan
from ...core.metric import MetricImport
from ...core.offsetting import LedgerReport
from ...core.rounding import display_units
from ..jobs import Job, JobStatus
from ..quote_state import QuoteDraft
from ..services import AppServices
from .file_picker import saved_name
from .job_follower import JobFollower
from .onsite_choice import OnSiteChoice
from .progress_bar import progress_bar

ACCEPTED = ".xlsx,.xlsm"


class MetricImporter:
    def __init__(self, draft: QuoteDraft, services: AppServices, on_applied: Callable[[], None]):
        self.draft = draft
        self.services = services
        self.on_applied = on_applied
        self.folder: Path | None = None
        self.onsite: OnSiteChoice | None = None
        ui.button("Import metric…", icon="upload_file", on_click=self.choose).props(
            "outline dense"
        ).mark("import-metric")

    async def choose(self) -> None:
        if self.services.native:
            await self._choose_native()
            return
        with ui.dialog() as dialog, ui.card().classes("w-[480px]").mark("metric-upload"):
            ui.label("Import the developer's metric workbook").classes("text-lg font-medium")
            ui.label(
                "The statutory biodiversity metric (.xlsx or .xlsm). It is read on this "
                "computer; nothing is sent anywhere."
            ).classes("text-sm text-grey-8")
            ui.upload(
                auto_upload=True,
                max_file_size=64_000_000,
                on_upload=lambda e: self._uploaded(e, dialog),
            ).props(f'accept="{ACCEPTED}"').classes("w-full").mark("metric-file")
            ui.button("Cancel", on_click=dialog.close).props("flat")
        dialog.open()

    async def _choose_native(self) -> None:
        import webview  # native mode only

        chosen = await app.native.main_window.create_file_dialog(
            webview.FileDialog.OPEN, file_types=("Excel workbooks (*.xlsx;*.xlsm)",)
        )
        if chosen:
            self.start(Path(chosen[0] if not isinstance(chosen, str) else chosen))

    async def _uploaded(self, event: events.UploadEventArguments, dialog: ui.dialog) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="bng-metric-"))
        path = self.folder / saved_name(event.file.name, "metric.xlsx")
        await event.file.save(path)
        dialog.close()
        self.start(path)

    def start(self, path: Path) -> None:
        job = self.services.runner.submit(
            "metric",
            lambda progress, cancel: self.services.workspace.import_metric(
                path, progress=progress, cancel=cancel
            ),
        )
        with (
            ui.dialog().props("persistent") as self.progress_dialog,
            ui.card().classes("w-[420px]").mark("metric-progress"),
        ):
            ui.label(f"Reading {path.name}").classes("font-medium")
            bar = progress_bar()
            message = ui.label("Starting…").classes("text-sm")
            ui.button("Cancel", on_click=job.cancel).props("flat color=negative")
            JobFollower(bar, message, self._finished).follow(job)
        self.progress_dialog.open()

    def _finished(self, job: Job) -> None:
        self.progress_dialog.close()
        self._cleanup()
        if job.status is JobStatus.DONE:
            self.preview(job.result)
        elif job.status is JobStatus.CANCELLED:
            ui.notify("Import cancelled; the demand is unchanged.")
        else:
            self._refused(job)

    def _refused(self, job: Job) -> None:
        error = job.error
        text = str(error) if isinstance(error, MetricError) else job.message
        with ui.dialog() as dialog, ui.card().classes("w-[520px]").mark("metric-refused"):
            ui.label("This workbook was not imported").classes("text-lg font-medium")
            ui.label(text).classes("text-sm whitespace-pre-line")
            ui.label("The demand on the page is unchanged.").classes("text-sm text-grey-8")
            ui.button("Close", on_click=dialog.close).props("flat")
        dialog.open()

    def _cleanup(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def preview(self, imported: MetricImport) -> None:
        choice = {"suo": imported.eligible_surplus > 0}
        with (
            ui.dialog() as dialog,
            ui.card().classes("w-[900px] max-w-full").mark("metric-preview"),
        ):
            _preview_body(imported)
            self.onsite = OnSiteChoice(self.draft, self.services, imported)
            if imported.eligible_surplus > 0:
                ui.checkbox(
                    f"Apply the surplus uplift offset (SUO): "
                    f"{display_units(imported.eligible_surplus)} units of on-site surplus in "
                    "bands Medium and above",
                    value=True,
                    on_change=lambda e: self._reprice(bool(e.value)),
                ).bind_value(choice, "suo").mark("metric-suo")
            with ui.row().classes("w-full justify-end gap-2"):
                ui.button("Cancel", on_click=dialog.close).props("flat")
                ui.button(
                    "Append to the demand",
                    on_click=lambda: self._apply(dialog, imported, True, choice),
                ).props("outline").mark("metric-append")
                ui.button(
                    "Replace the demand",
                    on_click=lambda: self._apply(dialog, imported, False, choice),
                ).mark("metric-replace")
        dialog.open()
        self._reprice(bool(choice["suo"]))

    def _reprice(self, suo: bool) -> None:
        if self.onsite is not None:
            self.onsite.start(suo)

    def _apply(self, dialog: ui.dialog, imported: MetricImport, append: bool, choice) -> None:
        onsite = self.onsite
        if onsite is None:
            self.draft.take_metric(imported, append=append)
        else:
            self.draft.take_metric(imported, append=append, plan=onsite.plan, record=onsite.record)
        self.draft.suo = bool(choice["suo"])
        dialog.close()
        taken = self.draft.onsite_plan or metric_plan(imported)
        ui.notify(
            f"{len(taken.lines)} line(s) from {imported.source.file_name} "
            f"(on site: {taken.mode.value})",
            type="positive",
        )
        self.on_applied()


def _preview_body(imported: MetricImport) -> None:
    source = imported.source
    ui.label(
        f"{source.file_name} · metric {source.metric_version}"
        + (f" (release {source.release})" if source.release else "")
        + (f" · saved by {source.saved_by}" if source.saved_by else "")
    ).classes("text-lg font-medium")
    if source.trading_rules_satisfied:
        ui.label(
            f"The metric's own verdict: trading rules satisfied? {source.trading_rules_satisfied}"
        ).classes("text-sm")
    with ui.row().classes("w-full gap-3 items-stretch"):
        for report in source.reports:
            _report_card(report)
    for warning in imported.warnings:
        ui.label(f"⚠ {warning}").classes("text-sm text-warning")


def _report_card(report: LedgerReport) -> None:
    title = {
        UnitType.AREA: "Area",
        UnitType.HEDGEROW: "Hedgerow",
        UnitType.WATERCOURSE: "Watercourse",
    }[report.unit_type]
    deficits = sum((d.units for d in report.deficits), start=Fraction(0))
    facts = [
        ("Deficits found", deficits),
        ("Offset on site", report.offset_on_site),
        ("Still to buy", report.residual_deficit_units),
        (f"Net Gain ({float(report.target):.0%} of baseline)", report.net_gain_units),
        (
            "Surplus left",
            sum((b.units for b in report.surplus_left), start=Fraction(0)),
        ),
    ]
    with ui.card().classes("flex-1 min-w-[240px]").mark(f"metric-report-{report.unit_type}"):
        ui.label(title).classes("font-medium")
        for label, value in facts:
            with ui.row().classes("w-full justify-between text-sm"):
                ui.label(label)
                ui.label(display_units(value))
        theirs = report.metric_unit_deficit
        ours = report.residual_deficit_units + report.net_gain_units
        with ui.row().classes("w-full justify-between text-sm text-grey-8"):
            ui.label("Metric's own Unit Deficit / ours")
            ui.label(
                f"{display_units(theirs) if theirs is not None else '—'} / {display_units(ours)}"
            )
