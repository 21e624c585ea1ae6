"""Stored quote results, keyed by the SHA-256 that core computes for a request.

Rows go with their reference version (ON DELETE CASCADE). The payload is any
JSON-ready dict; the key is taken as given.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.sqlite import insert as upsert
from sqlalchemy.exc import IntegrityError

from ..core.errors import StoreError
from .codec import dumps
from .db import Store
from .sqlite import utc_now
from .tables import ResultCacheRow

_cache = ResultCacheRow.__table__


class ResultCache:
    def __init__(self, store: Store):
        self._store = store

    def get(self, key: str) -> dict[str, Any] | None:
        with self._store.read() as conn:
            text = conn.execute(select(_cache.c.payload).where(_cache.c.key == key)).scalar()
        return None if text is None else json.loads(text)

    def put(self, key: str, reference_version_id: int, payload: dict[str, Any]) -> None:
        """Store (or replace) the result for ``key``."""
        values = {
            "key": key,
            "reference_version_id": reference_version_id,
            "created_at": utc_now(),
            "payload": dumps(payload),
        }
        stmt = upsert(_cache).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["key"], set_={k: v for k, v in values.items() if k != "key"}
        )
        try:
            with self._store.transaction() as conn:
                conn.execute(stmt)
        except IntegrityError as exc:
            raise StoreError(
                f"Cannot cache a result for reference version {reference_version_id}: "
                "that version is not in the local store."
            ) from exc

    def clear(self) -> int:
        """Forget every stored result; return how many there were."""
        with self._store.transaction() as conn:
            return conn.execute(delete(_cache)).rowcount

    def size(self) -> int:
        with self._store.read() as conn:
            return conn.execute(select(func.count()).select_from(_cache)).scalar_one()
