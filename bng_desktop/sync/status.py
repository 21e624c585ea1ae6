"""Sync status and the local sync log: what the header indicator and the Sync page show.

Each sync attempt, successful or not, is one row of the local ``sync_log``;
the status is read from the newest rows and the outbox, so it costs two small
local queries and never touches the network. Messages are stored and shown
with any password in them masked (redact.py); rows an older version wrote
unmasked are masked at the next write.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, desc, insert, or_, select, update

from ..store import Store
from ..store.tables import SyncLog
from .outbox import pending_count
from .redact import redact_text

_log = SyncLog.__table__
LOG_ROWS_KEPT = 500


@dataclass(frozen=True)
class LogEntry:
    started_at: str
    finished_at: str
    online: bool
    ok: bool
    versions_pulled: int
    quotes_pushed: int
    team_quotes: int
    renumbered: tuple[tuple[str, str], ...]
    message: str


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
    with store.read() as conn:
        latest = conn.execute(select(_log).order_by(desc(_log.c.id)).limit(1)).first()
        synced = conn.execute(
            select(_log.c.finished_at).where(_log.c.ok).order_by(desc(_log.c.id)).limit(1)
        ).scalar()
        pending = pending_count(conn)
    return SyncStatus(
        configured=configured,
        online=None if latest is None else bool(latest.online),
        last_synced=synced,
        pending=pending,
        last_error="" if latest is None or latest.ok else redact_text(latest.message),
        running=running,
    )


def write_log(store: Store, entry: LogEntry) -> None:
    """Append one attempt, keeping the newest LOG_ROWS_KEPT."""
    row = {
        **entry.__dict__,
        "renumbered": json.dumps([list(p) for p in entry.renumbered]),
        "message": redact_text(entry.message),
    }
    with store.transaction() as conn:
        new_id = conn.execute(insert(_log), row).inserted_primary_key[0]
        conn.execute(delete(_log).where(_log.c.id <= new_id - LOG_ROWS_KEPT))
        _mask_old_rows(conn)


def _mask_old_rows(conn: Connection) -> None:
    """Rows written unmasked (before masking existed), masked in place, the old
    bytes zeroed in the file (SQLite's secure_delete)."""
    suspect = or_(_log.c.message.like("%://%@%"), _log.c.message.like("%password%=%"))
    rows = conn.execute(select(_log.c.id, _log.c.message).where(suspect)).all()
    for row_id, message in rows:
        masked = redact_text(message)
        if masked != message:
            conn.exec_driver_sql("PRAGMA secure_delete = ON")
            conn.execute(update(_log).where(_log.c.id == row_id).values(message=masked))


def recent_log(store: Store, limit: int = 50) -> list[LogEntry]:
    with store.read() as conn:
        rows = conn.execute(select(_log).order_by(desc(_log.c.id)).limit(limit)).all()
    return [
        LogEntry(
            r.started_at,
            r.finished_at,
            bool(r.online),
            bool(r.ok),
            r.versions_pulled,
            r.quotes_pushed,
            r.team_quotes,
            tuple(tuple(p) for p in json.loads(r.renumbered)),
            redact_text(r.message),
        )
        for r in rows
    ]
