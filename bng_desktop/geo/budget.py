"""Time limits for a whole lookup, however many requests and retries it makes.

``lookup_budget(seconds)`` opens a window that every HTTP attempt inside it
shares (a context variable, so each thread has its own). A nested budget
never extends an outer one.

``call_within(seconds, fn)`` is the hard stop for the one thing a budget
cannot bound: the operating system's name resolution, which httpx's connect
timeout does not cover and which can hang for many seconds on a dead network.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, copy_context
from typing import TypeVar

from ..core.errors import ServiceUnreachable

T = TypeVar("T")

_ends_at: ContextVar[float | None] = ContextVar("bng_geo_budget_ends_at", default=None)


@contextmanager
def lookup_budget(seconds: float) -> Iterator[None]:
    end = time.monotonic() + seconds
    outer = _ends_at.get()
    token = _ends_at.set(end if outer is None else min(outer, end))
    try:
        yield
    finally:
        _ends_at.reset(token)


def deadline(default_seconds: float) -> float:
    """The monotonic time the current lookup must finish by."""
    end = _ends_at.get()
    return time.monotonic() + default_seconds if end is None else end


def call_within(seconds: float, fn: Callable[[], T]) -> T:
    """``fn()`` in a daemon thread; ServiceUnreachable if it has not finished in time.

    The abandoned thread finishes (or dies with the process) on its own: a
    daemon thread never holds up the program's exit.
    """
    outcome: dict[str, object] = {}
    context = copy_context()

    def work() -> None:
        try:
            outcome["value"] = context.run(fn)
        except BaseException as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="bng-geo-lookup", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise ServiceUnreachable(detail=f"no answer within {seconds:g} s")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
