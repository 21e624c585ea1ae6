"""At most one request per interval, across threads (Nominatim's usage policy: 1/s).

The limiter is shared per host by default (``shared_limiter``), so two
location services in one process still respect the policy together.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self,
        interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._last: float | None = None
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Return when a request may be sent; callers queue behind the lock."""
        with self._lock:
            now = self._clock()
            if self._last is not None and now < self._last + self.interval:
                self._sleep(self._last + self.interval - now)
                now = self._clock()
            self._last = now


_shared: dict[str, RateLimiter] = {}
_shared_lock = threading.Lock()


def shared_limiter(key: str, interval: float) -> RateLimiter:
    with _shared_lock:
        limiter = _shared.get(key)
        if limiter is None or limiter.interval != interval:
            limiter = _shared[key] = RateLimiter(interval)
        return limiter
