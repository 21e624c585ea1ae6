"""What a reference version does to open quotes: each re-quoted on it in the
background (progress, cancel), the table sorted by what needs attention, an
Excel copy, and a one-click re-quote of any row as its next revision."""

from __future__ import annotations

from datetime import date, timedelta

from nicegui import ui

from ...core.dates import uk_date
from ...core.impact import ImpactOutcome, ImpactReport, ImpactRow
from ...core.rounding import display_money, format_money
from ...store import StoredVersion
from ...workspace import OPEN_QUOTE_DAYS
from ..components.job_follower import JobFollower
from ..components.progress_bar import progress_bar
from ..components.uk_date import UkDateInput
from ..jobs import Job, JobStatus
from ..services import AppServices

OUTCOME_TEXT = {
    ImpactOutcome.IMPOSSIBLE: "Can no longer be met",
    ImpactOutcome.DEARER: "Dearer",
    ImpactOutcome.UNCHANGED: "Unchanged",
    ImpactOutcome.CHEAPER: "Cheaper",
}
COLUMNS = [
    {"name": "reference", "label": "Reference", "field": "reference", "align": "left"},
    {"name": "client", "label": "Client", "field": "client", "align": "left"},
    {"name": "old", "label": "Sent total", "field": "old", "align": "right"},
    {"name": "new", "label": "New total", "field": "new", "align": "right"},
    {"name": "change", "label": "Change", "field": "change", "align": "right"},
    {"name": "outcome", "label": "", "field": "outcome", "align": "left"},
    {"name": "action", "label": "", "field": "reference", "align": "right"},
]
REQUOTE_SLOT = r"""
<q-td :props="props">
  <q-btn flat dense no-caps color="primary" label="Re-quote as next revision"
         :aria-label="'Re-quote ' + props.row.reference + ' as its next revision'"
         @click="$parent.$emit('requote', props.row.reference)" />
</q-td>
"""


class ImpactPage:
    def __init__(self, services: AppServices, *, version: int | None = None, run: bool = False):
        """``version`` preselected, and compared at once if ``run`` (the
        offer after an import or a pull links here so)."""
        self.services = services
        self.report: ImpactReport | None = None
        ui.label("Open quotes on new reference data").classes("text-xl font-medium")
        ui.label(
            "Re-quotes every open quote on a reference version without saving anything, "
            "and shows what changes for each client."
        ).classes("text-sm text-grey-8")
        self._controls(version)
        with ui.row().classes("w-full items-center gap-3"):
            bar = progress_bar().classes("w-64")
            self.message = ui.label().classes("text-sm").mark("impact-message")
        bar.set_visibility(False)
        self.follower = JobFollower(bar, self.message, self._finished)
        self.summary = ui.label().classes("text-base font-medium").mark("impact-summary")
        self.table = ui.table(columns=COLUMNS, rows=[], row_key="reference").classes("w-full")
        self.table.props("flat bordered dense wrap-cells :pagination='{rowsPerPage: 25}'")
        self.table.add_slot("body-cell-action", REQUOTE_SLOT)
        self.table.on("requote", lambda event: self._requote(str(event.args)))
        self.table.mark("impact-table")
        self.table.set_visibility(False)
        self.empty = (
            ui.label(
                "Choose a reference version and press Compare. Nothing is saved until you "
                "re-quote a row."
            )
            .classes("text-grey-7")
            .mark("impact-empty")
        )
        if run:
            self.start()

    def _controls(self, chosen: int | None) -> None:
        versions = self.services.versions()
        current = self.services.current_version()
        options = {
            v.version_id: f"Version {v.version_id}"
            + (f" — {v.label}" if v.label else "")
            + (" (current)" if v.is_current else "")
            for v in versions
        }
        with ui.row().classes("w-full items-end gap-3"):
            self.version = (
                ui.select(
                    options,
                    label="Reference version",
                    value=chosen if chosen in options else _current_id(current),
                )
                .classes("w-72")
                .mark("impact-version")
            )
            self.since = UkDateInput("Saved since", lambda: None, marker="impact-since")
            self.since.input.set_value(uk_date(_default_since().isoformat()))
            self.compare = ui.button("Compare", on_click=self.start).mark("impact-compare")
            self.cancel = ui.button("Cancel", on_click=self._cancel).props("flat")
            self.cancel.mark("impact-cancel").set_visibility(False)
            self.export = ui.button("Export to Excel", on_click=self._export).props("outline")
            self.export.mark("impact-export").set_enabled(False)

    def start(self) -> None:
        if self.follower.running:
            return
        if self.version.value is None:
            self.message.set_text("There is no reference version to compare on yet.")
            return
        job = self.services.start_impact(int(self.version.value), since=self.since.value)
        self.compare.set_enabled(False)
        self.cancel.set_visibility(True)
        self.follower.follow(job)

    def _cancel(self) -> None:
        if self.follower.job is not None:
            self.follower.job.cancel()

    def _finished(self, job: Job) -> None:
        self.compare.set_enabled(True)
        self.cancel.set_visibility(False)
        if job.status is JobStatus.CANCELLED:
            self.message.set_text("Cancelled: nothing was compared or saved.")
            return
        if job.status is not JobStatus.DONE:
            self.message.set_text(job.message)
            return
        self.message.set_text("")
        self.show(job.result)

    def show(self, report: ImpactReport) -> None:
        self.report = report
        self.summary.set_text(report.summary)
        self.table.rows = [_table_row(row) for row in report.rows]
        self.table.update()
        self.table.set_visibility(bool(report.rows))
        self.empty.set_visibility(not report.rows)
        self.empty.set_text("No open quotes were saved in that period.")
        self.export.set_enabled(bool(report.rows))

    def _export(self) -> None:
        if self.report is None:
            return
        ui.download(
            self.services.impact_excel_bytes(self.report),
            f"impact-version-{self.report.version_id}.xlsx",
        )

    def _requote(self, reference: str) -> None:
        job = self.services.start_requote_as_revision(reference, self.report_version())
        self.follower.on_finished = lambda finished: self._requoted(reference, finished)
        self.follower.follow(job)

    def _requoted(self, reference: str, job: Job) -> None:
        self.follower.on_finished = self._finished
        if job.status is JobStatus.DONE:
            saved = job.result.reference
            self.message.set_text(f"Saved {saved}, the next revision of {reference}.")
            ui.notify(f"Saved {saved}", type="positive")
        else:
            self.message.set_text(job.message)

    def report_version(self) -> int | None:
        return self.report.version_id if self.report is not None else None


def _current_id(current: StoredVersion | None) -> int | None:
    return current.version_id if current else None


def _default_since() -> date:
    return date.today() - timedelta(days=OPEN_QUOTE_DAYS)


def _table_row(row: ImpactRow) -> dict[str, str]:
    change = row.change
    return {
        "reference": row.reference,
        "client": row.client_name or "—",
        "old": format_money(display_money(row.old_total)),
        "new": "—" if row.new_total is None else format_money(display_money(row.new_total)),
        "change": "—" if change is None else _signed(display_money(change)),
        "outcome": OUTCOME_TEXT[row.outcome],
    }


def _signed(amount: int) -> str:
    return f"+{format_money(amount)}" if amount > 0 else format_money(amount)


def impact_page(services: AppServices, version: str | None = None, run: str | None = None) -> None:
    """``version`` and ``run`` as the page's address gives them (query parameters)."""
    ImpactPage(services, version=_whole_number(version), run=run == "1")


def _whole_number(text: str | None) -> int | None:
    return int(text) if text is not None and text.strip().isdigit() else None
