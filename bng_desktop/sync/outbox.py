"""The local side of the push: read the outbox, then confirm what the server committed.

QuoteRepository.save queues each quote in ``sync_outbox`` in the transaction
that saves it. Here the pusher reads a batch (with everything the central
database needs to place it), and after the central commit marks it sent in
ONE local transaction, applying any reference the central database changed
(numbering.py). A crash between the two leaves the entries pending: the next
push re-sends them and the server answers with the references it already
gave, so nothing is lost or duplicated.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Text, func, literal, select, update

from ..store import Store
from ..store.quotes import highest_number
from ..store.sqlite import utc_now
from ..store.tables import QuoteLineRow, QuoteRow, SyncCentralVersion, SyncOutbox, SyncTeamQuote
from .numbering import Claim, Placement

_outbox = SyncOutbox.__table__
_quotes = QuoteRow.__table__
_lines = QuoteLineRow.__table__
_links = SyncCentralVersion.__table__
_team = SyncTeamQuote.__table__
LINE_FIELDS = tuple(c.name for c in _lines.columns if c.name not in ("id", "quote_uuid"))
ROW_FIELDS = (
    "client_name",
    "author",
    "created_at",
    "updated_at",
    "lpa",
    "nca",
    "contract_size",
    "subtotal",
    "total",
    "display_total",
    "solver_name",
    "payload",
)


@dataclass(frozen=True)
class OutboxEntry:
    """One queued quote, ready to send."""

    claim: Claim
    row: dict[str, Any]
    """The quote's columns as the central table has them (identity aside)."""
    lines: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Batch:
    entries: tuple[OutboxEntry, ...]
    floor: int
    """The desktop's highest local reference number."""


def pending_count(conn: Connection) -> int:
    query = select(func.count()).select_from(_outbox).where(_outbox.c.sent_at.is_(None))
    return conn.execute(query).scalar() or 0


def read_batch(store: Store, limit: int, exclude: Collection[str] = ()) -> Batch:
    """The oldest ``limit`` pending entries (skipping ``exclude``), in one read."""
    with store.read() as conn:
        query = (
            select(_outbox.c.id, _quotes)
            .join(_quotes, _quotes.c.uuid == _outbox.c.quote_uuid)
            .where(_outbox.c.sent_at.is_(None))
            .order_by(_outbox.c.id)
            .limit(limit)
        )
        if exclude:
            query = query.where(_outbox.c.quote_uuid.not_in(list(exclude)))
        rows = conn.execute(query).all()
        if not rows:
            return Batch((), 0)
        bases = {row.base_reference for row in rows}
        base_uuids, max_revisions = _bases(conn, bases)
        links = dict(conn.execute(select(_links.c.version_id, _links.c.central_id)).all())
        lines = _lines_of(conn, [row.uuid for row in rows])
        floor = highest_number(conn)
    entries = tuple(
        _entry(row, base_uuids, max_revisions, links, lines.get(row.uuid, ())) for row in rows
    )
    return Batch(entries, floor)


def confirm(store: Store, placements: Sequence[Placement], author: str) -> list[tuple[str, str]]:
    """Mark ``placements`` sent and apply the central references, in ONE transaction.

    Returns the (provisional, final) references that changed."""
    changed: list[tuple[str, str]] = []
    uuids = [p.uuid for p in placements]
    with store.transaction() as conn:
        for placement in placements:
            before = conn.execute(
                select(_quotes.c.reference, _quotes.c.revision).where(
                    _quotes.c.uuid == placement.uuid
                )
            ).first()
            if before is None or before.reference == placement.reference:
                continue  # deleted meanwhile, or already as the server has it
            _rename(conn, placement, before)
            changed.append((before.reference, placement.reference))
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


def record_failure(store: Store, uuids: Collection[str], error: str) -> None:
    """Count a refused attempt; the entries stay pending and say why."""
    with store.transaction() as conn:
        conn.execute(
            update(_outbox)
            .where(_outbox.c.quote_uuid.in_(list(uuids)))
            .values(attempts=_outbox.c.attempts + 1, last_error=error[:500])
        )


def _rename(conn: Connection, placement: Placement, before: Any) -> None:
    """A renumbered base takes its local re-quotes along (BNG-A-1 → 7, 1.2 → 7.2)."""
    if before.revision == 0 and placement.revision == 0:
        old, new = before.reference, placement.reference
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
        .where(_quotes.c.uuid == placement.uuid)
        .values(
            reference=placement.reference,
            base_reference=placement.base_reference,
            revision=placement.revision,
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


def _entry(
    row: Any,
    base_uuids: dict[str, str],
    max_revisions: dict[str, int],
    links: dict[int, int],
    lines: Sequence[dict[str, Any]],
) -> OutboxEntry:
    claim = Claim(
        uuid=row.uuid,
        reference=row.reference,
        base_reference=row.base_reference,
        revision=row.revision,
        base_uuid=base_uuids.get(row.base_reference),
        max_revision=max_revisions.get(row.base_reference, 0),
    )
    central = {name: getattr(row, name) for name in ROW_FIELDS}
    central["reference_version_id"] = links.get(row.reference_version_id)
    central["reference_hash"] = json.loads(row.payload).get("reference_hash", "")
    return OutboxEntry(claim, central, tuple(lines))
