"""Background work for the UI: a thread pool and jobs the page polls.

A job runs a callable ``work(progress, cancel)`` off the event loop and
exposes its status, progress, message, result and error. The page polls it
with ``ui.timer``; nothing here touches the UI. Threads, not processes: the
engine's solver releases the GIL, and a frozen app must not spawn copies.

While any job runs, the cyclic garbage collector makes only small young
collections (see ``collector_policy.CollectorPause``). A national quote
holds millions of objects; every full collection walks all of them with the
GIL held, and the event loop (the whole window) froze for 165 ms to over a
second at a time. The engine's working set has no reference cycles, so
reference counting frees it as before; cycles that outlive a young
collection wait for the next full one, after the jobs.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..collector_policy import collector_paused_for_jobs
from ..core.errors import BngError, QuoteCancelled
from ..core.progress import CancelToken, ProgressCallback

log = logging.getLogger(__name__)

Work = Callable[[ProgressCallback, CancelToken], Any]


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass
class Job:
    """One piece of background work, as the UI sees it."""

    name: str
    cancel_token: CancelToken = field(default_factory=CancelToken)
    status: JobStatus = JobStatus.QUEUED
    stage: str = ""
    progress: float = 0.0
    message: str = "Waiting to start"
    result: Any = None
    error: BaseException | None = None
    started: float = 0.0
    finished: float = 0.0
    stage_messages: dict[str, str] = field(default_factory=dict)
    """The last message of each stage reported, so a finished stage keeps its summary."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def seconds(self) -> float:
        end = self.finished or time.perf_counter()
        return end - self.started if self.started else 0.0

    def cancel(self) -> None:
        self.cancel_token.cancel()
        with self._lock:
            if self.status is JobStatus.QUEUED:
                self.status = JobStatus.CANCELLED
                self.message = "Cancelled"

    def report(self, stage: str, fraction: float, message: str) -> None:
        """The progress callback handed to the work (called from its thread)."""
        with self._lock:
            self.stage = stage
            self.progress = max(self.progress, min(1.0, max(0.0, fraction)))
            self.message = message
            self.stage_messages[stage] = message
        self.cancel_token.check()

    def _run(self, work: Work) -> None:
        with self._lock:
            if self.status is JobStatus.CANCELLED:
                return
            self.status = JobStatus.RUNNING
            self.started = time.perf_counter()
        try:
            with collector_paused_for_jobs():
                result = work(self.report, self.cancel_token)
        except QuoteCancelled:
            self._finish(JobStatus.CANCELLED, "Cancelled")
        except BngError as error:
            self._finish(JobStatus.FAILED, str(error).splitlines()[0], error=error)
        except Exception as error:  # an unexpected failure: logged with its traceback
            log.exception("job %s failed", self.name)
            self._finish(JobStatus.FAILED, f"Something went wrong: {error}", error=error)
        else:
            self._finish(JobStatus.DONE, "Done", result=result)

    def _finish(
        self, status: JobStatus, message: str, *, result: Any = None, error: Any = None
    ) -> None:
        with self._lock:
            self.status, self.message = status, message
            self.result, self.error = result, error
            self.finished = time.perf_counter()
            if status is JobStatus.DONE:
                self.progress = 1.0


class JobRunner:
    """A small thread pool for the app's background work."""

    def __init__(self, workers: int = 2):
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bng-job")

    def submit(self, name: str, work: Work) -> Job:
        job = Job(name)
        future: Future = self._pool.submit(job._run, work)
        future.add_done_callback(_log_crash)
        return job

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _log_crash(future: Future) -> None:
    error = future.exception()
    if error is not None:
        log.error("background job crashed: %s", error)
