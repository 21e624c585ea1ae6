"""What each binding rule costs, worked out in the background once a quote
is on screen (never delaying it): "Allowing a third bank would save £4,200",
"Without Harewell Vale the cheapest is £3,100 more"."""

from __future__ import annotations

from nicegui import ui

from ...core.alternatives import Alternative
from ...core.result import Quote
from ..jobs import Job, JobStatus
from ..services import AppServices

POLL_SECONDS = 0.2


class AlternativesPanel:
    """Keeps the answer for the quote it was worked out for, so a page
    re-render shows it at once instead of solving again."""

    def __init__(self, services: AppServices):
        self.services = services
        self.quote: Quote | None = None
        self.job: Job | None = None
        self.found: tuple[Alternative, ...] | None = None

    def show(self, quote: Quote) -> None:
        """Render into the current container: the list, or progress until it is ready."""
        if quote.adjusted_by_hand:
            return
        if quote is not self.quote:
            self._start(quote)
        with ui.card().classes("w-full").mark("alternatives") as box:
            self._fill(box)
        if self.found is None:
            timer = ui.timer(POLL_SECONDS, lambda: self._poll(box, timer))

    def _start(self, quote: Quote) -> None:
        if self.job is not None and self.job.active:
            self.job.cancel()
        self.quote, self.found = quote, None
        self.job = self.services.start_alternatives(quote)

    def _poll(self, box: ui.card, timer: ui.timer) -> None:
        job = self.job
        if job is None or job.active:
            return
        timer.deactivate()
        if job.status is JobStatus.DONE:
            self.found = job.result
        box.clear()
        with box:
            self._fill(box)

    def _fill(self, box: ui.card) -> None:
        ui.label("What the rules cost").classes("font-medium")
        job = self.job
        if self.found is not None:
            if not self.found:
                ui.label("Relaxing a rule or leaving out a bank would not change the total.")
            for alternative in self.found:
                ui.label(alternative.description + _unproven(alternative)).classes("text-sm").mark(
                    "alternative"
                )
        elif job is not None and job.status in (JobStatus.FAILED, JobStatus.CANCELLED):
            ui.label(f"Not worked out: {job.message}").classes("text-sm text-grey-7")
        else:
            with ui.row().classes("items-center gap-2"):
                ui.spinner(size="sm")
                ui.label("Checking what each rule costs…").classes("text-sm text-grey-7")


def _unproven(alternative: Alternative) -> str:
    return "" if alternative.proven else " (the best found in the time allowed)"
