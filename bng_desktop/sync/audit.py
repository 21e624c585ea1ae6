"""The central audit log: written by the server, read by admins (``bng central audit``).

Every publish, quote push, quote change and promoter change is recorded by a
trigger (central migration c0002) in the transaction that makes it, as the
table's owner: a client can neither skip nor forge a row, and the login is
the server's ``session_user``. The one thing the server cannot know is which
desktop is speaking, so the app says so at the start of each transaction
(``announce_desktop``); a row written without it names the connection's
application name instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from .connection import central_errors
from .messages import Guarded, refused_in_words
from .schema import AuditAction, audit_log

DESKTOP_SETTING = "bng.desktop_id"


def announce_desktop(conn: Connection, desktop_id: str) -> None:
    """Name this desktop for the audit rows of the transaction under way."""
    conn.execute(select(func.set_config(DESKTOP_SETTING, desktop_id, True)))


@contextmanager
def announced_transaction(engine: Engine, action: Guarded, desktop_id: str) -> Iterator[Connection]:
    """A transaction on the central database whose audit rows name this
    desktop; a refused right or a lost connection is told in words."""
    with (
        refused_in_words(action, engine.url.username),
        central_errors(),
        engine.connect() as conn,
        conn.begin(),
    ):
        announce_desktop(conn, desktop_id)
        yield conn


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    login: str
    action: AuditAction
    subject: str
    desktop_id: str
    detail: dict[str, Any]


def read_audit(engine: Engine, limit: int = 50) -> list[AuditEntry]:
    """The newest ``limit`` audit rows, newest first (an admin login's right)."""
    with (
        refused_in_words(Guarded.AUDIT, engine.url.username),
        central_errors(),
        engine.connect() as conn,
    ):
        rows = conn.execute(
            select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        ).mappings()
        return [
            AuditEntry(
                at=row["at"],
                login=row["db_user"],
                action=AuditAction(row["action"]),
                subject=row["subject"],
                desktop_id=row["desktop_id"],
                detail=json.loads(row["detail"]),
            )
            for row in rows
        ]
