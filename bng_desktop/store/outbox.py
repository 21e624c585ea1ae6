"""The outbox: saved quotes waiting to be pushed, and what happens once they are.

QuoteRepository.save queues each quote in ``sync_outbox`` in the transaction
that saves it. The team sync reads a batch (with everything the central
database needs to place it) and, after the central commit, marks it sent in
ONE local transaction, applying any reference the central database changed.
A crash between the two leaves the entries pending: the next push re-sends
them, so nothing is lost or duplicated.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Text, func, literal, select, update

from .db import Store
from .quotes import highest_number
from .sqlite import Durability, utc_now
from .tables import QuoteLineRow, QuoteRow, SyncCentralVersion, SyncOutbox, SyncTeamQuote

_outbox = SyncOutbox.__table__
_quotes = QuoteRow.__table__
_lines = QuoteLineRow.__table__
_links = SyncCentralVersion.__table__
_team = SyncTeamQuote.__table__
LINE_FIELDS = tuple(c.name for c in _lines.columns if c.name not in ("id", "quote_uuid"))
ERROR_KEPT = 500
"""Characters of a refusal kept with its entry."""


@dataclass(frozen=True)
class PendingQuote:
    """One queued quote, with what the central database needs to place it."""

    quote: Mapping[str, Any]
    """Every column of the local ``quote`` row, payload included."""
    lines: tuple[Mapping[str, Any], ...]
    """Its allocation lines in order: every column of ``quote_line`` but the row id."""
    base_uuid: str | None
    """The UUID of revision 0 of its base, when this desktop holds it."""
    max_revision: int
    """The highest revision of its base on this desktop."""
    central_version_id: int | None
    """The central id of the reference version it was made on, when pulled from there."""


@dataclass(frozen=True)
class OutboxBatch:
    pending: tuple[PendingQuote, ...]
    highest_number: int
    """The highest BNG-A number this desktop holds or ever allocated (0 when none)."""


@dataclass(frozen=True)
class FinalReference:
    """The reference the central database gave a pushed quote."""

    uuid: str
    reference: str
    base_reference: str
    revision: int


class Outbox:
    """The push queue of one local store."""

    def __init__(self, store: Store):
        self._store = store

    def pending_count(self) -> int:
        with self._store.read() as conn:
            return pending_count(conn)

    def read_batch(self, limit: int, exclude: Collection[str] = ()) -> OutboxBatch:
        """The oldest ``limit`` pending quotes (skipping the UUIDs in ``exclude``), in one read."""
        with self._store.read() as conn:
            query = (
                select(_quotes)
                .join(_outbox, _quotes.c.uuid == _outbox.c.quote_uuid)
                .where(_outbox.c.sent_at.is_(None))
                .order_by(_outbox.c.id)
                .limit(limit)
            )
            if exclude:
                query = query.where(_outbox.c.quote_uuid.not_in(list(exclude)))
            rows = conn.execute(query).mappings().all()
            if not rows:
                return OutboxBatch((), 0)
            base_uuids, max_revisions = _bases(conn, {row["base_reference"] for row in rows})
            links = dict(conn.execute(select(_links.c.version_id, _links.c.central_id)).all())
            lines = _lines_of(conn, [row["uuid"] for row in rows])
            floor = highest_number(conn)
        pending = tuple(
            PendingQuote(
                quote=dict(row),
                lines=tuple(lines.get(row["uuid"], ())),
                base_uuid=base_uuids.get(row["base_reference"]),
                max_revision=max_revisions.get(row["base_reference"], 0),
                central_version_id=links.get(row["reference_version_id"]),
            )
            for row in rows
        )
        return OutboxBatch(pending, floor)

    def mark_sent(self, finals: Sequence[FinalReference], author: str) -> list[tuple[str, str]]:
        """Mark ``finals`` sent and give them their central references, in ONE
        transaction; quotes without an author take ``author``.

        Durable like a save: the references shown after a push are the ones kept.
        Returns the (provisional, final) references that changed."""
        changed: list[tuple[str, str]] = []
        uuids = [f.uuid for f in finals]
        with self._store.transaction(durability=Durability.FULL) as conn:
            for final in finals:
                before = conn.execute(
                    select(_quotes.c.reference, _quotes.c.revision).where(
                        _quotes.c.uuid == final.uuid
                    )
                ).first()
                if before is None or before.reference == final.reference:
                    continue  # deleted meanwhile, or already as the server has it
                _rename(conn, final, before)
                changed.append((before.reference, final.reference))
            conn.execute(
                update(_outbox)
                .where(_outbox.c.quote_uuid.in_(uuids), _outbox.c.sent_at.is_(None))
                .values(sent_at=utc_now(), last_error="")
            )
            if author:
                conn.execute(
                    update(_quotes)
                    .where(_quotes.c.uuid.in_(uuids), _quotes.c.author == "")
                    .values(author=author)
                )
        return changed

    def record_failure(self, uuids: Collection[str], error: str) -> None:
        """Count a refused attempt; the entries stay pending and say why."""
        with self._store.transaction() as conn:
            conn.execute(
                update(_outbox)
                .where(_outbox.c.quote_uuid.in_(list(uuids)))
                .values(attempts=_outbox.c.attempts + 1, last_error=error[:ERROR_KEPT])
            )


def pending_count(conn: Connection) -> int:
    query = select(func.count()).select_from(_outbox).where(_outbox.c.sent_at.is_(None))
    return conn.execute(query).scalar() or 0


def _rename(conn: Connection, final: FinalReference, before: Any) -> None:
    """A renumbered base takes its local re-quotes along (BNG-A-1 → 7, 1.2 → 7.2)."""
    if before.revision == 0 and final.revision == 0:
        old, new = before.reference, final.reference
        conn.execute(
            update(_quotes)
            .where(
                _quotes.c.base_reference == old,
                _quotes.c.uuid.not_in(select(_team.c.quote_uuid)),
            )
            .values(
                base_reference=new,
                reference=literal(new, Text).concat(func.substr(_quotes.c.reference, len(old) + 1)),
            )
        )
        return
    conn.execute(
        update(_quotes)
        .where(_quotes.c.uuid == final.uuid)
        .values(
            reference=final.reference,
            base_reference=final.base_reference,
            revision=final.revision,
        )
    )


def _bases(conn: Connection, bases: set[str]) -> tuple[dict[str, str], dict[str, int]]:
    """For each base reference: the UUID of its revision 0, and its highest revision."""
    query = select(_quotes.c.base_reference, _quotes.c.uuid, _quotes.c.revision).where(
        _quotes.c.base_reference.in_(bases)
    )
    base_uuids: dict[str, str] = {}
    max_revisions: dict[str, int] = {}
    for base, uuid, revision in conn.execute(query):
        if revision == 0:
            base_uuids[base] = uuid
        max_revisions[base] = max(max_revisions.get(base, 0), revision)
    return base_uuids, max_revisions


def _lines_of(conn: Connection, uuids: list[str]) -> dict[str, list[dict[str, Any]]]:
    query = (
        select(_lines.c.quote_uuid, *(_lines.c[name] for name in LINE_FIELDS))
        .where(_lines.c.quote_uuid.in_(uuids))
        .order_by(_lines.c.quote_uuid, _lines.c.position)
    )
    found: dict[str, list[dict[str, Any]]] = {}
    for row in conn.execute(query).mappings():
        found.setdefault(row["quote_uuid"], []).append(dict(row))
    return found
