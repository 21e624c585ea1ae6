"""Step 4: run the engine in the background, with live progress and cancel."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from nicegui import ui

from ...core.errors import BngError, InfeasibleQuote
from ...core.plain_terms import elapsed_text
from ..jobs import Job, JobStatus
from ..quote_state import QuoteDraft
from ..services import AppServices
from .job_follower import JobFollower
from .progress_bar import progress_bar


class RunSection:
    """The Get quote button, the progress bar and Cancel. At most one running
    quote per window; the rest of the page stays usable meanwhile."""

    def __init__(
        self,
        draft: QuoteDraft,
        services: AppServices,
        on_result: Callable[[], None],
    ):
        self.draft = draft
        self.services = services
        self.on_result = on_result
        self.quoting: dict | None = None
        """The inputs as they were when the running quote started."""
        with ui.card().classes("w-full").mark("run-section"):
            with ui.row().classes("w-full items-center gap-3"):
                self.go = (
                    ui.button("Get quote", icon="calculate", on_click=self.start)
                    .props("unelevated color=primary")
                    .mark("get-quote")
                )
                self.cancel_button = (
                    ui.button("Cancel", icon="stop", on_click=self.cancel)
                    .props("flat color=negative")
                    .mark("cancel")
                )
                self.message = (
                    ui.label("Fill in the site and the demand, then get a quote.")
                    .classes("text-sm text-grey-8")
                    .mark("run-message")
                )
            bar = progress_bar()
        self.follower = JobFollower(bar, self.message, self._finished)
        self.outcome = ""
        """How the last run ended, while the inputs are still the ones it ran on."""
        self.update_controls()

    @property
    def job(self) -> Job | None:
        return self.follower.job

    def update_controls(self, *, inputs_changed: bool = False) -> None:
        running = self.follower.running
        ready = self.draft.can_quote(self.services.snapshot())
        self.go.set_enabled(ready and not running)
        self.cancel_button.set_visibility(running)
        self.follower.bar.set_visibility(running)
        if inputs_changed:
            self.outcome = ""
        if not running:
            self.message.set_text(
                self._waiting_for() or self.outcome or self._stale() or "Ready: get a quote."
            )

    def _waiting_for(self) -> str:
        """What the consultant still has to do before a quote, if anything."""
        snapshot = self.services.snapshot()
        if all(row.is_blank for row in self.draft.rows):
            if self.draft.lpa or self.draft.nca:
                return "Add the demand, then get a quote."
            return "Fill in the site and the demand, then get a quote."
        if self.draft.problems(snapshot):
            return "Fix the marked demand lines to get a quote."
        return ""

    def _stale(self) -> str:
        """'The demand changed — get a new quote.' while the result is out of date."""
        state = self.draft.state()
        return state.message() + "." if state.out_of_date else ""

    def start(self) -> None:
        snapshot = self.services.snapshot()
        if not self.draft.can_quote(snapshot):
            ui.notify("Some demand lines need fixing first.", type="warning")
            return
        self.quoting = self.draft.inputs_payload()
        self.follower.follow(self.services.start_quote(self.draft.request(snapshot)))
        self.message.set_text("Starting…")
        self.update_controls()

    def keep_looking(self) -> None:
        """Run the quote shown again, the same request with a longer time
        limit: it was not proven cheapest in the time allowed."""
        quote = self.draft.result
        if quote is None or self.follower.running:
            return
        if self.draft.state().out_of_date:
            ui.notify(self.draft.state().message() + " first.", type="warning")
            return
        policy = quote.request.policy.longer_time_limit()
        request = dataclasses.replace(quote.request, policy=policy)
        self.quoting = self.draft.quoted
        self.follower.follow(self.services.start_quote(request))
        seconds = float(policy.time_limit_seconds)
        self.message.set_text(f"Looking further for a cheaper allocation (up to {seconds:g} s)…")
        self.update_controls()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.message.set_text("Cancelling…")

    def _finished(self, job: Job) -> None:
        quoted, self.quoting = self.quoting or self.draft.inputs_payload(), None
        self._report(job, quoted)
        self.update_controls()
        self.on_result()

    def _report(self, job: Job, quoted: dict) -> None:
        """A result answers the inputs of its start; a stopped run leaves the
        earlier result, which the page shows out of date if the inputs moved."""
        if job.status is JobStatus.DONE:
            self.draft.set_result(job.result, quoted)
            self.outcome = f"Quote ready in {elapsed_text(job.seconds)}."
        elif job.status is JobStatus.CANCELLED:
            self.outcome = "Cancelled; " + self._earlier_result()
        elif isinstance(job.error, InfeasibleQuote):
            self.draft.set_infeasible(job.error, quoted)
            self.outcome = "The demand cannot be met as it stands: the reasons are in the result."
        else:
            self.outcome = "The quote failed; " + self._earlier_result()
            detail = str(job.error) if isinstance(job.error, BngError) else job.message
            ui.notify(detail, type="negative", multi_line=True, close_button=True)

    def _earlier_result(self) -> str:
        if self.draft.result is None and self.draft.infeasible is None:
            return "nothing changed."
        if self.draft.state().out_of_date:
            return "the quote shown is for the earlier inputs."
        return "the quote shown still answers these inputs."
