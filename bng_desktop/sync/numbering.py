"""Team-wide quote references: provisional on the desktop, final in the central database.

The scheme. A desktop saves a quote at once under the next local reference
(BNG-A-NNNNN, allocated race-free in the local store, continuing after the
highest number the desktop has seen, the team's pulled quotes included). That
reference is *provisional* until the quote is pushed. The central database
confirms or renumbers it in the push transaction, with the counter row locked
so that two desktops pushing at once are served one after the other:

- a quote already in the central database (a re-send after a crash) keeps
  the reference it was given: pushing is idempotent;
- a free reference is confirmed as it is (the usual case);
- a reference taken by another quote gets the next number above both the
  central counter and the desktop's own highest local number, so the new
  number can clash neither centrally nor on the desktop;
- a re-quote R.n follows its base quote (found by the base's UUID, so a
  renumbered base carries its revisions along); a revision number taken by a
  colleague's re-quote of the same base moves above every revision of that
  base known centrally or on the desktop.

The desktop then updates its rows in one local transaction and tells the
user (sync log, CLI output, UI notice). Renumbering happens only when two
desktops saved quotes between syncs, or for quotes saved before the team
synced at all: it is the price of saving instantly offline. Numbers skipped
this way are never reused (gaps are harmless, like those of deleted quotes).

This module is the decision only, pure and unit-tested; push.py fetches the
ledger and writes the placements.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..store import REFERENCE_PATTERN, format_reference


@dataclass(frozen=True)
class Claim:
    """A quote a desktop pushes, with the reference it saved it under."""

    uuid: str
    reference: str
    base_reference: str
    revision: int
    base_uuid: str | None = None
    """The UUID of revision 0 of the base, when the desktop holds it."""
    max_revision: int = 0
    """The highest revision of this base on the desktop."""


@dataclass(frozen=True)
class Stored:
    """A quote the central database holds."""

    uuid: str
    reference: str
    base_reference: str
    revision: int


@dataclass(frozen=True)
class Placement:
    """Where a pushed quote ends up centrally."""

    uuid: str
    reference: str
    base_reference: str
    revision: int
    provisional: str

    @property
    def renumbered(self) -> bool:
        return self.reference != self.provisional


@dataclass
class Ledger:
    """What the central database holds that the placement depends on."""

    last_number: int
    highest: int = 0
    """The highest base number held (the counter should never be below it)."""
    by_uuid: dict[str, Stored] = field(default_factory=dict)
    owner: dict[str, str] = field(default_factory=dict)
    max_revision: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, last_number: int, stored: Iterable[Stored]) -> Ledger:
        ledger = cls(last_number)
        for quote in stored:
            ledger.record(quote)
        return ledger

    def taken(self, reference: str, uuid: str) -> bool:
        owner = self.owner.get(reference)
        return owner is not None and owner != uuid

    def record(self, quote: Stored | Placement) -> None:
        self.by_uuid[quote.uuid] = Stored(
            quote.uuid, quote.reference, quote.base_reference, quote.revision
        )
        self.owner[quote.reference] = quote.uuid
        self.highest = max(self.highest, number_of(quote.base_reference))
        base = quote.base_reference
        self.max_revision[base] = max(self.max_revision.get(base, 0), quote.revision)


def number_of(reference: str) -> int:
    """BNG-A-02031(.2) → 2031; 0 for a reference of another form."""
    match = REFERENCE_PATTERN.match(reference)
    return int(match.group(1)) if match else 0


def place(claims: Sequence[Claim], ledger: Ledger, floor: int) -> tuple[list[Placement], int]:
    """Final references for ``claims`` (in outbox order) and the counter's new value.

    ``floor`` is the desktop's highest local number: renumbered quotes go above it.
    """
    next_free = max(ledger.last_number, ledger.highest, floor)
    placed: list[Placement] = []
    for claim in claims:
        stored = ledger.by_uuid.get(claim.uuid)
        if stored is not None:
            placement = Placement(
                claim.uuid,
                stored.reference,
                stored.base_reference,
                stored.revision,
                claim.reference,
            )
        elif claim.revision == 0:
            base = claim.reference
            if ledger.taken(base, claim.uuid):
                next_free += 1
                while ledger.taken(format_reference(next_free), claim.uuid):
                    next_free += 1
                base = format_reference(next_free)
            next_free = max(next_free, number_of(base))
            placement = Placement(claim.uuid, base, base, 0, claim.reference)
        else:
            placement = _place_revision(claim, ledger)
        ledger.record(placement)
        placed.append(placement)
    return placed, max(next_free, ledger.last_number)


def _place_revision(claim: Claim, ledger: Ledger) -> Placement:
    base_quote = ledger.by_uuid.get(claim.base_uuid) if claim.base_uuid else None
    base = base_quote.base_reference if base_quote else claim.base_reference
    revision = claim.revision
    if ledger.taken(f"{base}.{revision}", claim.uuid):
        revision = max(ledger.max_revision.get(base, 0), claim.max_revision) + 1
    return Placement(claim.uuid, f"{base}.{revision}", base, revision, claim.reference)
