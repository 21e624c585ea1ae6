"""Push the outbox: each batch upserted by UUID in one central transaction, then confirmed.

Per batch (oldest entries first):

1. central transaction — lock the counter row (``SELECT ... FOR UPDATE``: pushes
   from every desktop queue here, which makes reference allocation race-free
   and ``quote.seq`` follow commit order), read what the central database
   already holds for these quotes, place them (numbering.py), then
   ``INSERT ... ON CONFLICT (uuid) DO UPDATE`` the quotes, insert their lines
   (``ON CONFLICT DO NOTHING``), advance the counter, COMMIT (the server's
   triggers write the audit log in that same transaction);
2. local transaction — mark the entries sent and apply the final references
   (outbox.py), only after the COMMIT succeeded.

A crash or dropped connection before 2 leaves the entries pending; sending
them again is harmless (same UUIDs, same answers). A batch the server refuses
for its data (a constraint), or because another login pushed a quote with
that UUID (row-level security), is retried quote by quote, so one bad quote
is set aside with its reason and never blocks the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DataError, IntegrityError, ProgrammingError

from ..core.progress import ProgressCallback, no_progress
from ..store import Store
from .audit import announce_desktop
from .connection import central_errors
from .messages import OTHERS_QUOTE, Guarded, is_row_security_refusal, refused_in_words
from .numbering import Ledger, Placement, Stored, place
from .outbox import OutboxEntry, confirm, read_batch, record_failure
from .schema import quote, quote_counter, quote_line

BATCH_SIZE = 200
HIGHEST_NUMBER = text(
    "SELECT max(substring(base_reference FROM '^BNG-A-([0-9]+)$')::int) FROM quote"
)
"""The counter is kept above every number, but a row written by other means must
not be able to make a push hand out a taken number."""
UPDATED_ON_RESEND = ("client_name", "author", "updated_at")
"""What a re-sent quote may refresh; its identity, reference and payload never change."""


@dataclass
class Pushed:
    """What a push moved."""

    quotes: int = 0
    renumbered: list[tuple[str, str]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Sender:
    """Who is pushing: this desktop's id and the author name its quotes carry."""

    desktop_id: str
    author: str


def push_outbox(
    engine: Engine,
    store: Store,
    sender: Sender,
    *,
    progress: ProgressCallback = no_progress,
    batch_size: int = BATCH_SIZE,
    result: Pushed | None = None,
) -> Pushed:
    """Send every pending entry; ``result`` (when given) is filled in as batches
    land, so a caller still knows what moved if the connection drops later."""
    pushed = result if result is not None else Pushed()
    set_aside: set[str] = set()
    batch = read_batch(store, batch_size)
    if not batch.entries:
        return pushed  # nothing to send: no connection needed
    with (
        refused_in_words(Guarded.PUSH, engine.url.username),
        central_errors(),
        engine.connect() as conn,
    ):
        while batch.entries:
            progress("push", 0.2, f"Sending {len(batch.entries)} quotes")
            placements = _send_or_isolate(conn, store, batch.entries, batch.floor, sender, pushed)
            placed = {p.uuid for p in placements}
            set_aside.update(e.claim.uuid for e in batch.entries if e.claim.uuid not in placed)
            progress("push", 0.7, "The central database committed; confirming locally")
            pushed.renumbered += confirm(store, placements, sender.author)
            pushed.quotes += len(placements)
            progress("push", 0.9, f"{pushed.quotes} quotes sent")
            batch = read_batch(store, batch_size, exclude=set_aside)
    return pushed


def _send_or_isolate(
    conn: Connection,
    store: Store,
    entries: Sequence[OutboxEntry],
    floor: int,
    sender: Sender,
    pushed: Pushed,
) -> list[Placement]:
    """Send ``entries`` as one transaction; if the server refuses their data,
    send them one by one and set aside those refused."""
    try:
        return send_batch(conn, entries, floor, sender)
    except (IntegrityError, DataError, ProgrammingError) as error:
        others = is_row_security_refusal(error)
        if not others and isinstance(error, ProgrammingError):
            raise
        if len(entries) == 1:
            reason = OTHERS_QUOTE if others else str(error.orig or error).splitlines()[0]
            record_failure(store, [entries[0].claim.uuid], reason)
            pushed.refused.append((entries[0].claim.reference, reason))
            return []
    placed: list[Placement] = []
    for entry in entries:
        placed += _send_or_isolate(conn, store, [entry], floor, sender, pushed)
    return placed


def send_batch(
    conn: Connection, entries: Sequence[OutboxEntry], floor: int, sender: Sender
) -> list[Placement]:
    """One central transaction: place the quotes and upsert them (see module doc)."""
    with conn.begin():
        announce_desktop(conn, sender.desktop_id)
        counter = conn.execute(
            select(quote_counter).where(quote_counter.c.id == 1).with_for_update()
        ).one()
        ledger = _ledger(conn, entries, counter.last_number)
        placements, last_number = place([e.claim for e in entries], ledger, floor)
        rows = [
            _central_row(entry, placement, counter.last_seq + n, sender)
            for n, (entry, placement) in enumerate(zip(entries, placements, strict=True), 1)
        ]
        upsert = pg_insert(quote)
        upsert = upsert.on_conflict_do_update(
            index_elements=[quote.c.uuid],
            set_={name: upsert.excluded[name] for name in UPDATED_ON_RESEND},
        )
        conn.execute(upsert, rows)
        lines = [{"quote_uuid": e.claim.uuid, **line} for e in entries for line in e.lines]
        if lines:
            conn.execute(pg_insert(quote_line).on_conflict_do_nothing(), lines)
        conn.execute(
            update(quote_counter)
            .where(quote_counter.c.id == 1)
            .values(last_number=last_number, last_seq=counter.last_seq + len(rows))
        )
    return placements


def _ledger(conn: Connection, entries: Sequence[OutboxEntry], last_number: int) -> Ledger:
    """The central quotes these entries could collide with, or already are."""
    uuids = {e.claim.uuid for e in entries} | {
        e.claim.base_uuid for e in entries if e.claim.base_uuid
    }
    known = conn.execute(
        select(quote.c.base_reference).where(quote.c.uuid.in_(list(uuids)))
    ).scalars()
    bases = {e.claim.base_reference for e in entries} | set(known)
    stored = conn.execute(
        select(quote.c.uuid, quote.c.reference, quote.c.base_reference, quote.c.revision).where(
            quote.c.uuid.in_(list(uuids)) | quote.c.base_reference.in_(list(bases))
        )
    )
    ledger = Ledger.of(last_number, (Stored(*row) for row in stored))
    ledger.highest = max(ledger.highest, conn.execute(HIGHEST_NUMBER).scalar() or 0)
    return ledger


def _central_row(entry: OutboxEntry, placement: Placement, seq: int, sender: Sender) -> dict:
    return {
        **entry.row,
        "uuid": placement.uuid,
        "reference": placement.reference,
        "base_reference": placement.base_reference,
        "revision": placement.revision,
        "seq": seq,
        "provisional_reference": placement.provisional,
        "desktop_id": sender.desktop_id,
        "author": entry.row["author"] or sender.author,
    }
