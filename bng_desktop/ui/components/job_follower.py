"""A background job's progress on the page: a bar and a message that follow
it until it ends, then the finished job handed back (on the event loop)."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from ..jobs import Job

POLL_SECONDS = 0.1


class JobFollower:
    def __init__(
        self,
        bar: ui.linear_progress,
        message: ui.label,
        on_finished: Callable[[Job], None],
        interval: float = POLL_SECONDS,
    ):
        self.bar = bar
        self.message = message
        self.on_finished = on_finished
        self.job: Job | None = None
        self.timer = ui.timer(interval, self._poll, active=False)

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.active

    def follow(self, job: Job) -> None:
        self.job = job
        self.bar.set_value(0)
        self.bar.set_visibility(True)
        self.timer.activate()

    def _poll(self) -> None:
        job = self.job
        if job is None:
            self.timer.deactivate()
            return
        self.bar.set_value(job.progress)
        if job.active:
            # A job's last word ("Quote ready") comes before it has handed its result over.
            self.message.set_text(job.message if job.progress < 1 else "Finishing…")
            return
        self.message.set_text(job.message)
        self.timer.deactivate()
        self.bar.set_visibility(False)
        self.on_finished(job)
