"""A wall-clock limit on a block of code, for the fuzz runs: a file that makes
a reader hang must end that file's run, not the whole suite."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def raised_after(seconds: float, error: BaseException) -> Iterator[None]:
    """Raise ``error`` inside the block once it has run ``seconds`` of wall time
    (the main thread only; where the system has no interval timer, no limit).
    ``error`` should be a BaseException, so no ``except Exception`` swallows it."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def alarm(signum, frame):
        raise error

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
