"""A reference import's progress by stage — reading, checking, storing — as the
workspace reports it: a tick only beside a stage that finished, a spinner on
the one under way, a cross on the one that failed, the overall bar at the
fraction really reached, and Cancel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from nicegui import ui

from ...core.progress import ImportStage
from ..jobs import Job, JobStatus
from .progress_bar import progress_bar

POLL_SECONDS = 0.1
STAGE_LABELS = {
    ImportStage.READING: "Reading the workbook",
    ImportStage.CHECKING: "Checking every row",
    ImportStage.STORING: "Storing it as the new version",
}
STAGES = tuple(ImportStage)


class StageState(StrEnum):
    WAITING = "waiting"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


STATE_ICONS = {
    StageState.WAITING: ("radio_button_unchecked", "grey-5"),
    StageState.DONE: ("check_circle", "positive"),
    StageState.FAILED: ("cancel", "negative"),
    StageState.CANCELLED: ("block", "grey-7"),
}
STATE_WORDS = {
    StageState.WAITING: "not started",
    StageState.RUNNING: "under way",
    StageState.DONE: "done",
    StageState.FAILED: "failed",
    StageState.CANCELLED: "cancelled",
}


ENDINGS = {
    JobStatus.DONE: "Imported {name}",
    JobStatus.FAILED: "{name} was not imported",
    JobStatus.CANCELLED: "The import of {name} was cancelled",
}


def stage_states(stage: str, status: JobStatus) -> dict[ImportStage, StageState]:
    """Each stage's state, from the stage the job last reported and how it stands.

    Only stages the job has moved past, or all of them once it is done, are DONE."""
    if status is JobStatus.DONE:
        return dict.fromkeys(STAGES, StageState.DONE)
    current = STAGES.index(ImportStage(stage)) if stage in STAGES else -1
    ending = {
        JobStatus.FAILED: StageState.FAILED,
        JobStatus.CANCELLED: StageState.CANCELLED,
    }.get(status, StageState.RUNNING)
    if current < 0:
        first = StageState.WAITING if status is JobStatus.QUEUED else ending
        return {s: first if i == 0 else StageState.WAITING for i, s in enumerate(STAGES)}
    return {
        s: StageState.DONE if i < current else ending if i == current else StageState.WAITING
        for i, s in enumerate(STAGES)
    }


@dataclass
class StageRow:
    spinner: ui.spinner
    icon: ui.icon
    detail: ui.label

    def show(self, stage: ImportStage, state: StageState, detail: str) -> None:
        running = state is StageState.RUNNING
        self.spinner.set_visibility(running)
        self.icon.set_visibility(not running)
        if not running:
            name, colour = STATE_ICONS[state]
            self.icon.name = name
            self.icon.props(f'color={colour} aria-label="{STATE_WORDS[state]}"')
        self.icon.mark(f"stage-{stage}-{state}")
        self.detail.set_text(detail)


class ImportStages:
    """The stage list, the bar and Cancel; hidden until an import starts."""

    def __init__(self, on_finished: Callable[[Job], None]):
        self.on_finished = on_finished
        self.job: Job | None = None
        self.file_name = ""
        with ui.column().classes("w-full gap-1").mark("import-stages") as self.panel:
            self.title = ui.label().classes("font-medium")
            self.rows = {stage: self._stage_row(stage) for stage in STAGES}
            with ui.row().classes("w-full items-center gap-3 no-wrap"):
                self.bar = progress_bar().classes("flex-1")
                self.bar.props('aria-label="Import progress"').mark("import-bar")
                self.percent = ui.label().classes("text-sm w-12 text-right").mark("import-percent")
                self.cancel = ui.button("Cancel", on_click=self._cancel).props("flat dense")
                self.cancel.mark("import-cancel")
        self.panel.set_visibility(False)
        self.timer = ui.timer(POLL_SECONDS, self._poll, active=False)

    @staticmethod
    def _stage_row(stage: ImportStage) -> StageRow:
        with ui.row().classes("items-center gap-2 no-wrap").mark(f"stage-{stage}"):
            spinner = ui.spinner(size="1.2em").props('aria-label="under way"')
            icon = ui.icon("radio_button_unchecked", size="1.2em")
            ui.label(STAGE_LABELS[stage]).classes("w-56 shrink-0")
            detail = ui.label().classes(f"text-sm text-grey-8 stage-{stage}-detail")
        return StageRow(spinner, icon, detail)

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.active

    def follow(self, job: Job, file_name: str) -> None:
        self.job, self.file_name = job, file_name
        self.title.set_text(f"Importing {file_name}")
        self.panel.set_visibility(True)
        self.cancel.set_visibility(True)
        self.cancel.set_enabled(True)
        self._show(job)
        self.timer.activate()

    def _cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel.set_enabled(False)

    def _poll(self) -> None:
        job = self.job
        if job is None:
            self.timer.deactivate()
            return
        self._show(job)
        if job.active:
            return
        self.timer.deactivate()
        self.cancel.set_visibility(False)
        self.title.set_text(ENDINGS[job.status].format(name=self.file_name))
        self.on_finished(job)

    def _show(self, job: Job) -> None:
        for stage, state in stage_states(job.stage, job.status).items():
            self.rows[stage].show(stage, state, self._detail(stage, state, job))
        stopped = not job.active and job.status is not JobStatus.DONE
        self.bar.set_visibility(not stopped)
        self.percent.set_visibility(not stopped)
        self.bar.set_value(job.progress)
        self.percent.set_text(f"{int(job.progress * 100)} %")

    def _detail(self, stage: ImportStage, state: StageState, job: Job) -> str:
        if state is StageState.WAITING:
            return "not started" if job.active else "not started — nothing was changed"
        if state is StageState.CANCELLED:
            return "cancelled — nothing was changed"
        if state is StageState.FAILED:
            return _failure(job)
        return job.stage_messages.get(stage, "")


def _failure(job: Job) -> str:
    problems = getattr(job.error, "problems", ())
    if problems:
        count = len(problems)
        return f"{count} problem{'s' if count != 1 else ''} found — nothing was imported"
    return job.message
