"""The application's choice of garbage-collector settings.

A quote builds tens of thousands of small objects that live until it ends;
with CPython's default threshold (700 allocations) the collector walks them
again and again while they are being built (a 200-bank quote spends a third
of its time there). The application, not the engine, owns the process, so
the CLI and the app call this once at start: a generous first-generation
threshold, and the objects loaded at start-up (modules, the UI framework)
moved out of the collector's sight with ``gc.freeze``.
"""

from __future__ import annotations

import gc
import threading

FIRST_GENERATION_THRESHOLD = 10_000
OLDER_GENERATION_THRESHOLDS = (10, 10)


def tune_collector() -> None:
    """Collect less often; call once, at the application's start."""
    gc.set_threshold(FIRST_GENERATION_THRESHOLD, *OLDER_GENERATION_THRESHOLDS)


def freeze_start_up_objects() -> None:
    """Keep what is loaded so far out of every later collection."""
    gc.collect()
    gc.freeze()


class CollectorPause:
    """Holds the cyclic collector off while at least one job runs; puts it
    back as it was when the last one ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._was_enabled = False

    def __enter__(self) -> None:
        with self._lock:
            if self._running == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._running += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._running -= 1
            if self._running == 0 and self._was_enabled:
                gc.enable()


_JOBS_PAUSE = CollectorPause()


def collector_paused_for_jobs() -> CollectorPause:
    """The one pause the app's background jobs share: a national quote holds
    millions of objects and every full collection walks them with the GIL
    held, freezing the window; the engine's working set has no cycles, so
    reference counting frees it meanwhile. Loading a reference snapshot
    shares it for the same reason."""
    return _JOBS_PAUSE
