"""Progress reporting and cancellation, passed into the engine by its callers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from enum import StrEnum

from .errors import QuoteCancelled

ProgressCallback = Callable[[str, float, str], None]
"""progress(stage, fraction 0..1, message)"""


def no_progress(stage: str, fraction: float, message: str) -> None:
    """The default: report nothing."""


class CancelToken:
    """Set by a UI or CLI thread; checked by the engine between steps and by
    the solver's interrupt callback during a solve."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise QuoteCancelled()


class ImportStage(StrEnum):
    """The stages of a reference workbook import, in order."""

    READING = "reading"
    CHECKING = "checking"
    STORING = "storing"


IMPORT_STAGE_SPANS: dict[ImportStage, tuple[float, float]] = {
    ImportStage.READING: (0.0, 0.6),
    ImportStage.CHECKING: (0.6, 0.9),
    ImportStage.STORING: (0.9, 1.0),
}
"""Each stage's share of the whole import (measured on a 200-bank workbook:
reading the cells takes most of the time, storing the least)."""

StageReport = Callable[[float, str], None]
"""report(fraction of this stage 0..1, message)"""


def stage_reporter(progress: ProgressCallback, stage: ImportStage) -> StageReport:
    """A stage's own 0..1 progress, reported as the whole import's fraction."""
    start, end = IMPORT_STAGE_SPANS[stage]

    def report(fraction: float, message: str) -> None:
        progress(stage, start + (end - start) * min(1.0, max(0.0, fraction)), message)

    return report
