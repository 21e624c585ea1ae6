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

FIRST_GENERATION_THRESHOLD = 10_000
OLDER_GENERATION_THRESHOLDS = (10, 10)


def tune_collector() -> None:
    """Collect less often; call once, at the application's start."""
    gc.set_threshold(FIRST_GENERATION_THRESHOLD, *OLDER_GENERATION_THRESHOLDS)


def freeze_start_up_objects() -> None:
    """Keep what is loaded so far out of every later collection."""
    gc.collect()
    gc.freeze()
