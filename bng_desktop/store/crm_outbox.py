"""The CRM outbox: saved quotes waiting to be sent to the CRM.

One row per quote reference: saving again (a revision keeps its own
reference) re-queues the row with the newest values, so the CRM receives
the latest and a retry never duplicates. Rows are due when
``next_attempt_at`` has passed; a failed attempt moves it later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.sqlite import insert as upsert

from .db import Store
from .sqlite import utc_now
from .tables import CrmOutboxRow

_crm = CrmOutboxRow.__table__
ERROR_KEPT = 500


@dataclass(frozen=True, kw_only=True)
class CrmPending:
    id: int
    reference: str
    values: dict[str, Any]
    attempts: int
    queued_at: str
    """When these values were queued: a re-queue while sending is not marked sent."""


@dataclass(frozen=True, kw_only=True)
class CrmQueueState:
    waiting: int
    sent: int
    last_error: str


class CrmOutbox:
    def __init__(self, store: Store):
        self._store = store

    def queue(self, reference: str, values: dict[str, Any], now: datetime) -> None:
        """Queue (or re-queue with new values) the quote ``reference``, due at ``now``."""
        now_text = _iso(now)
        row = {
            "reference": reference,
            "values_json": json.dumps(values, sort_keys=True),
            "queued_at": now_text,
            "next_attempt_at": now_text,
            "attempts": 0,
            "last_error": "",
            "sent_at": None,
        }
        stmt = upsert(_crm).values(record_id="", **row)
        stmt = stmt.on_conflict_do_update(index_elements=["reference"], set_=row)
        with self._store.transaction() as conn:
            conn.execute(stmt)

    def due(self, now: datetime, limit: int = 50) -> list[CrmPending]:
        query = (
            select(
                _crm.c.id,
                _crm.c.reference,
                _crm.c.values_json,
                _crm.c.attempts,
                _crm.c.queued_at,
            )
            .where(_crm.c.sent_at.is_(None), _crm.c.next_attempt_at <= _iso(now))
            .order_by(_crm.c.next_attempt_at, _crm.c.id)
            .limit(limit)
        )
        with self._store.read() as conn:
            return [
                CrmPending(
                    id=row.id,
                    reference=row.reference,
                    values=json.loads(row.values_json),
                    attempts=row.attempts,
                    queued_at=row.queued_at,
                )
                for row in conn.execute(query)
            ]

    def sent(self, entry: CrmPending, record_id: str) -> None:
        with self._store.transaction() as conn:
            conn.execute(
                update(_crm)
                .where(_crm.c.id == entry.id, _crm.c.queued_at == entry.queued_at)
                .values(sent_at=utc_now(), record_id=record_id, last_error="")
            )

    def retry_later(self, entry: CrmPending, when: datetime, error: str) -> None:
        with self._store.transaction() as conn:
            conn.execute(
                update(_crm)
                .where(_crm.c.id == entry.id, _crm.c.queued_at == entry.queued_at)
                .values(
                    next_attempt_at=_iso(when),
                    attempts=_crm.c.attempts + 1,
                    last_error=error[:ERROR_KEPT],
                )
            )

    def state(self) -> CrmQueueState:
        with self._store.read() as conn:
            waiting = conn.execute(_count(_crm.c.sent_at.is_(None))).scalar_one()
            sent = conn.execute(_count(_crm.c.sent_at.is_not(None))).scalar_one()
            error = conn.execute(
                select(_crm.c.last_error)
                .where(_crm.c.sent_at.is_(None), _crm.c.last_error != "")
                .order_by(_crm.c.next_attempt_at.desc())
                .limit(1)
            ).scalar()
        return CrmQueueState(waiting=waiting, sent=sent, last_error=error or "")

    def record_id(self, reference: str) -> str:
        with self._store.read() as conn:
            found = conn.execute(
                select(_crm.c.record_id).where(_crm.c.reference == reference)
            ).scalar()
        return found or ""


def _iso(moment: datetime) -> str:
    """As utc_now writes times, so they compare as text."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _count(condition: Any) -> Any:
    return select(func.count()).select_from(_crm).where(condition)
