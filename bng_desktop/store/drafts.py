"""The unsaved quote each desktop user is working on, one per user.

Kept as JSON by the quote page on every change, read back on the next visit
or after a restart, and dropped when the user discards it or starts anew.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert as upsert

from .codec import dumps
from .db import Store
from .sqlite import utc_now
from .tables import QuoteDraftRow

_drafts = QuoteDraftRow.__table__


@dataclass(frozen=True)
class KeptDraft:
    payload: dict[str, Any]
    kept_at: datetime
    """When it was last kept (UTC, timezone-aware)."""


class DraftRepository:
    def __init__(self, store: Store):
        self._store = store

    def keep(self, user_name: str, payload: dict[str, Any]) -> None:
        """Store (or replace) ``user_name``'s draft."""
        values = {"user_name": user_name, "kept_at": utc_now(), "payload": dumps(payload)}
        stmt = upsert(_drafts).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["user_name"],
            set_={"kept_at": values["kept_at"], "payload": values["payload"]},
        )
        with self._store.transaction() as conn:
            conn.execute(stmt)

    def get(self, user_name: str) -> KeptDraft | None:
        with self._store.read() as conn:
            row = conn.execute(select(_drafts).where(_drafts.c.user_name == user_name)).first()
        if row is None:
            return None
        try:
            payload = json.loads(row.payload)
        except json.JSONDecodeError:
            return None
        return KeptDraft(payload, datetime.fromisoformat(row.kept_at))

    def discard(self, user_name: str) -> None:
        with self._store.transaction() as conn:
            conn.execute(delete(_drafts).where(_drafts.c.user_name == user_name))
