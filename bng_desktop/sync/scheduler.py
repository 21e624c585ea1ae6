"""Background sync for the app: once at start-up, then every N minutes (a setting).

A daemon thread, not the event loop: a sync waits on the network and on
SQLite, and must never stall the UI. It never raises: being offline is
logged as a sync result (service.py), anything unexpected is logged with its
traceback, and the thread carries on. ``wake()`` runs a sync now (after the
settings change); ``stop()`` ends the thread at the next wake-up.
"""

from __future__ import annotations

import logging
import threading

from .service import TeamSync

log = logging.getLogger(__name__)


class BackgroundSync:
    def __init__(self, sync: TeamSync):
        self._sync = sync
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="bng-sync", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()

    def _loop(self) -> None:
        while not self._stopped.is_set():
            self.run_once()
            minutes = self._sync.settings().interval_minutes
            self._wake.wait(timeout=minutes * 60)
            self._wake.clear()

    def run_once(self) -> None:
        """One sync if a central database is set; whatever happens, return."""
        try:
            if self._sync.settings().configured:
                self._sync.sync()
        except Exception:  # a bug must not kill the thread; the next run may work
            log.exception("background sync failed")
