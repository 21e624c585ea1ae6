"""Progress reporting and cancellation, passed into the engine by its callers."""

from __future__ import annotations

import threading
from collections.abc import Callable

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
