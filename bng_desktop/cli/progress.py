"""Progress on stderr for the CLI, fed by the engine's progress callback:
a redrawn bar on a terminal, one line per stage when stderr is a file or pipe."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 28


class ProgressBar:
    def __init__(self, stream: TextIO | None = None, enabled: bool = True):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.interactive = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.perf_counter()
        self._last = ""
        self._stage = ""
        self._fraction = 0.0

    def __call__(self, stage: str, fraction: float, message: str) -> None:
        if not self.enabled:
            return
        self._fraction = max(self._fraction, min(1.0, max(0.0, fraction)))
        elapsed = time.perf_counter() - self.started
        if self.interactive:
            self._redraw(elapsed, message)
        elif stage != self._stage:
            self.stream.write(f"{self._fraction:4.0%} {elapsed:5.1f}s {message}\n")
            self.stream.flush()
        self._stage = stage

    def _redraw(self, elapsed: float, message: str) -> None:
        filled = int(self._fraction * WIDTH)
        line = (
            f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {self._fraction:4.0%} "
            f"{elapsed:5.1f}s {message[:60]}"
        )
        self.stream.write(line.ljust(len(self._last)))
        self.stream.flush()
        self._last = line

    def finish(self) -> None:
        if self.enabled and self._last:
            self.stream.write("\n")
            self.stream.flush()
            self._last = ""
