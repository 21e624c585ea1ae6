"""Small per-installation settings kept in the local store (window size, ...)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert as upsert

from .db import Store
from .tables import AppSetting

_settings = AppSetting.__table__


class AppSettings:
    """JSON values by key, in the ``app_setting`` table."""

    def __init__(self, store: Store):
        self._store = store

    def get(self, key: str, default: Any = None) -> Any:
        with self._store.read() as conn:
            row = conn.execute(select(_settings.c.value).where(_settings.c.key == key)).first()
        if row is None:
            return default
        try:
            return json.loads(row.value)
        except json.JSONDecodeError:
            return default

    def set(self, key: str, value: Any, *, erase_old: bool = False) -> None:
        """Store ``value``; ``erase_old`` also zeroes the old value's bytes in the
        file (SQLite's secure_delete), for a value that held a secret."""
        text = json.dumps(value)
        stmt = upsert(_settings).values(key=key, value=text)
        stmt = stmt.on_conflict_do_update(index_elements=["key"], set_={"value": text})
        with self._store.transaction() as conn:
            if erase_old:
                conn.exec_driver_sql("PRAGMA secure_delete = ON")
            conn.execute(stmt)
