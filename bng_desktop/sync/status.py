"""Sync status and the local sync log: what the header indicator and the Sync page show.

Each sync attempt, successful or not, is one entry of the local sync log
(SyncLogRepository); the status is read from the newest entries and the
outbox, so it costs two small local queries and never touches the network.
Messages are stored and shown with any password in them masked (redact.py);
entries an older version wrote unmasked are masked at the next write.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from ..store import Store, SyncLogEntry, SyncLogRepository
from .redact import redact_text

LogEntry = SyncLogEntry
"""One sync attempt, as the log keeps it."""


@dataclass(frozen=True)
class SyncStatus:
    """Online or offline, when the last sync succeeded, what waits to be sent."""

    configured: bool
    online: bool | None
    """None until the first attempt."""
    last_synced: str | None
    pending: int
    last_error: str = ""
    running: bool = False

    @property
    def text(self) -> str:
        """'offline — last synced 10:42 · 3 to send', for the header."""
        if not self.configured:
            state = "sync not set up"
        elif self.running:
            state = "syncing…"
        elif self.online is None:
            state = "not synced yet"
        else:
            when = f"last synced {clock(self.last_synced)}" if self.last_synced else "never synced"
            if not self.online:
                state = f"offline — {when}"
            elif self.last_error:
                state = f"sync problem — {when}"
            else:
                state = f"online — synced {clock(self.last_synced)}"
        if self.pending:
            state += f" · {self.pending} to send"
        return state


def clock(iso: str | None, now: datetime | None = None) -> str:
    """A stored UTC time as local time: '10:42' today, else '22 Nov 10:42'."""
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso).astimezone()
    today = (now or datetime.now().astimezone()).date()
    return moment.strftime("%H:%M" if moment.date() == today else "%d %b %H:%M")


def read_status(store: Store, *, configured: bool, running: bool = False) -> SyncStatus:
    state = SyncLogRepository(store).state()
    latest = state.latest
    return SyncStatus(
        configured=configured,
        online=None if latest is None else latest.online,
        last_synced=state.last_synced,
        pending=state.pending,
        last_error="" if latest is None or latest.ok else redact_text(latest.message),
        running=running,
    )


def write_log(store: Store, entry: LogEntry) -> None:
    """Append one attempt (the log keeps the newest few hundred), masked."""
    SyncLogRepository(store).append(entry, mask=redact_text)


def recent_log(store: Store, limit: int = 50) -> list[LogEntry]:
    return [
        dataclasses.replace(entry, message=redact_text(entry.message))
        for entry in SyncLogRepository(store).recent(limit)
    ]
