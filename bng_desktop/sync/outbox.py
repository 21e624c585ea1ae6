"""The local side of the push: read the outbox, then confirm what the server committed.

QuoteRepository.save queues each quote in the local outbox in the transaction
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

from ..store import FinalReference, Outbox, PendingQuote, Store
from .numbering import Claim, Placement

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
    "customer_uuid",
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


def read_batch(store: Store, limit: int, exclude: Collection[str] = ()) -> Batch:
    """The oldest ``limit`` pending entries (skipping ``exclude``), in one read."""
    batch = Outbox(store).read_batch(limit, exclude)
    return Batch(tuple(map(_entry, batch.pending)), batch.highest_number)


def confirm(store: Store, placements: Sequence[Placement], author: str) -> list[tuple[str, str]]:
    """Mark ``placements`` sent and apply the central references, in ONE transaction.

    Returns the (provisional, final) references that changed."""
    finals = [FinalReference(p.uuid, p.reference, p.base_reference, p.revision) for p in placements]
    return Outbox(store).mark_sent(finals, author)


def record_failure(store: Store, uuids: Collection[str], error: str) -> None:
    """Count a refused attempt; the entries stay pending and say why."""
    Outbox(store).record_failure(uuids, error)


def _entry(pending: PendingQuote) -> OutboxEntry:
    quote = pending.quote
    claim = Claim(
        uuid=quote["uuid"],
        reference=quote["reference"],
        base_reference=quote["base_reference"],
        revision=quote["revision"],
        base_uuid=pending.base_uuid,
        max_revision=pending.max_revision,
    )
    central = {name: quote[name] for name in ROW_FIELDS}
    central["reference_version_id"] = pending.central_version_id
    central["reference_hash"] = json.loads(quote["payload"]).get("reference_hash", "")
    return OutboxEntry(claim, central, tuple(dict(line) for line in pending.lines))
