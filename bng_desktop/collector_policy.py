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


YOUNG_BATCH = 2_000
"""First-generation threshold while jobs run. Each young collection of a
national quote then holds the GIL for about 2 ms (at 10,000: up to 10 ms,
50 on a busy machine); objects are promoted after one, so the total is
about the same either way (3% of the quote)."""
FULL_COLLECTIONS_HELD = 2**31 - 1
"""An oldest-generation threshold never reached: no full collection starts."""
YOUNG_PROMOTION = 0
"""Objects that survive one young collection go straight to the oldest
generation, so no young collection walks more than two batches."""


class CollectorPause:
    """Holds full collections off while at least one job runs; puts the
    collector's thresholds back when the last one ends.

    Young collections go on, in small batches: turned off entirely, the
    collector walked everything a job had kept alive in one young collection
    as the job ended (a quote's first use of a snapshot builds its price
    indexes: 300,000 objects), with the GIL held for 85 ms, 300 ms on a busy
    machine. Collected young as they are made, the same objects are walked a
    batch at a time.

    Every young collection a job makes counts towards the next full one; the
    oldest generation's threshold comes back raised by as many as jobs made
    since the last full collection, or a full collection (300 ms and more at
    national scale) would follow a job at once, while the window shows its
    result."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._app_thresholds = gc.get_threshold()
        self._given_back = self._app_thresholds
        self._count_at_start = 0
        self._discount = 0
        """Young collections jobs made since the last full collection."""
        self._full_collections = _full_collections()

    def __enter__(self) -> None:
        with self._lock:
            if self._running == 0:
                if gc.get_threshold() != self._given_back:
                    self._app_thresholds = gc.get_threshold()
                if _full_collections() != self._full_collections:
                    self._full_collections, self._discount = _full_collections(), 0
                self._count_at_start = gc.get_count()[2]
                gc.set_threshold(YOUNG_BATCH, YOUNG_PROMOTION, FULL_COLLECTIONS_HELD)
            self._running += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._running -= 1
            if self._running == 0:
                self._discount += max(0, gc.get_count()[2] - self._count_at_start)
                first, middle, full = self._app_thresholds
                self._given_back = (first, middle, full + self._discount)
                gc.set_threshold(*self._given_back)


def _full_collections() -> int:
    return int(gc.get_stats()[2]["collections"])


_JOBS_PAUSE = CollectorPause()


def collector_paused_for_jobs() -> CollectorPause:
    """The one pause the app's background jobs share: a national quote holds
    millions of objects and every full collection walks them (and the
    snapshot's) with the GIL held, freezing the window; the engine's working
    set has no cycles, so reference counting frees it meanwhile. Loading a
    reference snapshot shares it for the same reason."""
    return _JOBS_PAUSE
