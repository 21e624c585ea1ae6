"""The local sync log: one row per sync attempt, successful or not.

The sync status is read from the newest rows and the outbox, so it costs two
small local queries and never touches the network.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, desc, insert, or_, select, update

from .db import Store
from .outbox import pending_count
from .tables import SyncLog

_log = SyncLog.__table__
LOG_ROWS_KEPT = 500


@dataclass(frozen=True)
class SyncLogEntry:
    """One sync attempt: when, whether the central database answered, what moved."""

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
class SyncLogState:
    """What the status needs, read in one consistent view."""

    latest: SyncLogEntry | None
    last_synced: str | None
    """When the newest successful attempt finished."""
    pending: int
    """Quotes waiting in the outbox."""


class SyncLogRepository:
    """The sync log of one local store."""

    def __init__(self, store: Store):
        self._store = store

    def append(self, entry: SyncLogEntry, *, mask: Callable[[str], str] | None = None) -> None:
        """Append one attempt, keeping the newest LOG_ROWS_KEPT.

        With ``mask``, the new message and any older one that may hold a secret
        (written before masking existed) are stored masked, the old bytes
        zeroed in the file (SQLite's secure_delete)."""
        row = {**entry.__dict__, "renumbered": json.dumps([list(p) for p in entry.renumbered])}
        if mask is not None:
            row["message"] = mask(entry.message)
        with self._store.transaction() as conn:
            new_id = conn.execute(insert(_log), row).inserted_primary_key[0]
            conn.execute(delete(_log).where(_log.c.id <= new_id - LOG_ROWS_KEPT))
            if mask is not None:
                _mask_old_rows(conn, mask)

    def state(self) -> SyncLogState:
        with self._store.read() as conn:
            latest = conn.execute(select(_log).order_by(desc(_log.c.id)).limit(1)).first()
            synced = conn.execute(
                select(_log.c.finished_at).where(_log.c.ok).order_by(desc(_log.c.id)).limit(1)
            ).scalar()
            pending = pending_count(conn)
        return SyncLogState(None if latest is None else _entry(latest), synced, pending)

    def recent(self, limit: int = 50) -> list[SyncLogEntry]:
        """The newest ``limit`` attempts, newest first."""
        with self._store.read() as conn:
            rows = conn.execute(select(_log).order_by(desc(_log.c.id)).limit(limit)).all()
        return [_entry(r) for r in rows]


def _mask_old_rows(conn: Connection, mask: Callable[[str], str]) -> None:
    suspect = or_(_log.c.message.like("%://%@%"), _log.c.message.like("%password%=%"))
    for row_id, message in conn.execute(select(_log.c.id, _log.c.message).where(suspect)).all():
        masked = mask(message)
        if masked != message:
            conn.exec_driver_sql("PRAGMA secure_delete = ON")
            conn.execute(update(_log).where(_log.c.id == row_id).values(message=masked))


def _entry(row: Any) -> SyncLogEntry:
    return SyncLogEntry(
        row.started_at,
        row.finished_at,
        bool(row.online),
        bool(row.ok),
        row.versions_pulled,
        row.quotes_pushed,
        row.team_quotes,
        tuple(tuple(p) for p in json.loads(row.renumbered)),
        row.message,
    )
