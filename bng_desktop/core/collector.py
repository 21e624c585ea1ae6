"""Pausing Python's cyclic garbage collector around allocation-heavy work."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _CollectorPause:
    """Pause the cyclic garbage collector while quotes are worked out or a
    reference snapshot is built.

    Both create hundreds of thousands of short-lived or acyclic objects
    (options, model rows, reference records); the collector's repeated full
    scans of them cost about a third of the time. Memory is still reclaimed by
    reference counting, and the collector runs again as soon as the last
    paused piece of work ends (pauses from several threads nest).

    ``keep=True`` is for work whose objects live on (a cached snapshot): they
    are moved out of the collector's sight (``gc.freeze``) before it resumes,
    so its first pass does not scan them all at once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active = 0
        self._was_enabled = True

    @contextmanager
    def __call__(self, *, keep: bool = False) -> Iterator[None]:
        with self._lock:
            self._active += 1
            if self._active == 1:
                self._was_enabled = gc.isenabled()
                gc.disable()
        try:
            yield
        finally:
            with self._lock:
                if keep:
                    gc.freeze()
                self._active -= 1
                if self._active == 0 and self._was_enabled:
                    gc.enable()


collector_paused = _CollectorPause()
