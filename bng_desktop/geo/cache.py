"""The on-disk cache of location answers: one SQLite table in the user cache dir.

Answers are cached, not HTTP responses: the key is the canonical lookup
("postcode:SW1A 1AA", "lpa-at:51.50101,-0.14159", "nca-neighbours:southdowns")
and the value its JSON answer, so a repeated lookup costs one indexed read
whatever URL or request body produced it. Each entry carries its own expiry.
The file is capped in size: once over the cap, the least recently used
entries go first.

It is only a cache. A missing file is created, an unreadable one is replaced
(with a warning in the log), and a cache that cannot be written at all falls
back to memory. No cache problem ever reaches the user as an error.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
FILE_NAME = "locations.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answer (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    fetched_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    used_at REAL NOT NULL,
    size INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS answer_used_at ON answer (used_at);
"""

_GET = "UPDATE answer SET used_at = ? WHERE key = ? AND expires_at > ? RETURNING value, fetched_at"
_PUT = """
INSERT INTO answer (key, value, fetched_at, expires_at, used_at, size)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, fetched_at = excluded.fetched_at,
    expires_at = excluded.expires_at, used_at = excluded.used_at, size = excluded.size
"""
_EVICT = """
DELETE FROM answer WHERE key IN (
    SELECT key FROM (
        SELECT key, SUM(size) OVER (ORDER BY used_at DESC, key) AS kept FROM answer
    ) WHERE kept > ?
)
"""
"""Keep the most recently used entries that fit under the cap; drop the rest."""


@dataclass(frozen=True)
class CachedAnswer:
    value: Any
    fetched_at: float
    """When the answer was fetched, in the cache clock's seconds (epoch by default)."""


class LookupCache:
    """Thread-safe; several processes may share the file (WAL, busy timeout)."""

    def __init__(
        self,
        path: Path | None,
        *,
        max_bytes: int = 32 * 1024 * 1024,
        clock: Callable[[], float] = time.time,
    ):
        self.path = path
        self.max_bytes = max_bytes
        self.clock = clock
        self._lock = threading.Lock()
        self._conn = self._open()

    @classmethod
    def in_dir(cls, cache_dir: Path, **kwargs: Any) -> LookupCache:
        return cls(Path(cache_dir) / FILE_NAME, **kwargs)

    def get(self, key: str) -> CachedAnswer | None:
        """The unexpired answer for ``key``, or None."""
        now = self.clock()
        rows = self._run(lambda c: c.execute(_GET, (now, key, now)).fetchall(), [])
        if not rows:
            return None
        value, fetched_at = rows[0]
        return CachedAnswer(json.loads(value), fetched_at)

    def put(self, key: str, value: Any, ttl: float) -> None:
        now = self.clock()
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        size = len(key.encode()) + len(text.encode())

        def write(conn: sqlite3.Connection) -> None:
            conn.execute(_PUT, (key, text, now, now + ttl, now, size))
            self._enforce_cap(conn, now)

        self._run(write, None)

    def entries(self) -> int:
        return self._run(lambda c: c.execute("SELECT count(*) FROM answer").fetchone()[0], 0)

    def total_bytes(self) -> int:
        sql = "SELECT coalesce(sum(size), 0) FROM answer"
        return self._run(lambda c: c.execute(sql).fetchone()[0], 0)

    def clear(self) -> None:
        self._run(lambda c: c.execute("DELETE FROM answer"), None)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> LookupCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ internals

    def _enforce_cap(self, conn: sqlite3.Connection, now: float) -> None:
        total = conn.execute("SELECT coalesce(sum(size), 0) FROM answer").fetchone()[0]
        if total > self.max_bytes:
            conn.execute("DELETE FROM answer WHERE expires_at <= ?", (now,))
            conn.execute(_EVICT, (self.max_bytes,))

    def _run(self, operation: Callable[[sqlite3.Connection], Any], fallback: Any) -> Any:
        """Run one operation; a damaged file is replaced, other failures are a miss."""
        with self._lock:
            try:
                with self._conn:
                    return operation(self._conn)
            except sqlite3.DatabaseError as exc:
                if not _is_damage(exc):
                    log.warning("location cache %s: %s (answer not cached)", self.path, exc)
                    return fallback
                log.warning("location cache %s is damaged (%s); starting afresh", self.path, exc)
                self._conn.close()
                self._conn = self._recreate()
                return fallback

    def _open(self) -> sqlite3.Connection:
        if self.path is None:
            return _prepare(_connect(":memory:"))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return _prepare(_connect(self.path))
        except sqlite3.DatabaseError as exc:
            log.warning("location cache %s is unreadable (%s); starting afresh", self.path, exc)
            return self._recreate()
        except (OSError, sqlite3.Error) as exc:
            return self._in_memory(exc)

    def _recreate(self) -> sqlite3.Connection:
        try:
            _delete_files(self.path)
            return _prepare(_connect(self.path))
        except (OSError, sqlite3.Error) as exc:
            return self._in_memory(exc)

    def _in_memory(self, exc: Exception) -> sqlite3.Connection:
        log.warning("location cache %s cannot be used (%s); caching in memory", self.path, exc)
        return _prepare(_connect(":memory:"))


def _connect(target: Path | str) -> sqlite3.Connection:
    return sqlite3.connect(target, timeout=2.0, isolation_level=None, check_same_thread=False)


def _prepare(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Create the table, or start over when the file holds another schema."""
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            conn.execute("DROP TABLE IF EXISTS answer")
        conn.executescript(_SCHEMA)
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        conn.isolation_level = "DEFERRED"  # so `with conn:` wraps each operation in BEGIN/COMMIT
        return conn
    except sqlite3.Error:
        conn.close()
        raise


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    text = str(exc).lower()
    return any(word in text for word in ("malformed", "not a database", "no such table"))


def _delete_files(path: Path | None) -> None:
    if path is None:
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
