"""Background sync for the app: once at start-up, then every N minutes (a setting),
followed by any other step that should run as often (the CRM push).

A daemon thread, not the event loop: a sync waits on the network and on
SQLite, and must never stall the UI. It never raises: being offline is
logged as a sync result (service.py), anything unexpected is logged with its
traceback, and the thread carries on. ``wake()`` runs a sync now (after the
settings change); ``stop()`` ends the thread at the next wake-up.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from ..store import StoredVersion
from .service import TeamSync

log = logging.getLogger(__name__)


class BackgroundSync:
    def __init__(self, sync: TeamSync, also: Callable[[], object] | None = None):
        """``also`` runs after each team sync, whatever became of it (the CRM
        push: it needs no team database)."""
        self._sync = sync
        self._also = also
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self.switched: StoredVersion | None = None
        """The version the latest background pull made current, if any has:
        the app offers what it does to open quotes."""

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
                report = self._sync.sync()
                if report.current is not None:
                    self.switched = report.current
        except Exception:  # a bug must not kill the thread; the next run may work
            log.exception("background sync failed")
        if self._also is None:
            return
        try:
            self._also()
        except Exception:
            log.exception("background step after the sync failed")
