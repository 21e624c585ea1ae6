"""A progress bar on stderr for the CLI, fed by the engine's progress callback."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 28


class ProgressBar:
    def __init__(self, stream: TextIO | None = None, enabled: bool = True):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.started = time.perf_counter()
        self._last = ""
        self._fraction = 0.0

    def __call__(self, stage: str, fraction: float, message: str) -> None:
        if not self.enabled:
            return
        self._fraction = max(self._fraction, min(1.0, max(0.0, fraction)))
        filled = int(self._fraction * WIDTH)
        line = (
            f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {self._fraction:4.0%} "
            f"{time.perf_counter() - self.started:5.1f}s {message[:60]}"
        )
        self.stream.write(line.ljust(len(self._last)))
        self.stream.flush()
        self._last = line

    def finish(self) -> None:
        if self.enabled and self._last:
            self.stream.write("\n")
            self.stream.flush()
            self._last = ""
