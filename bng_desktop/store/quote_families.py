"""The quote history as documents: one family per quote, its revisions folded
under it (R, R.1, R.2 ... share the base reference R), the newest on top."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .quote_rows import QuoteSummary


class FamilyOrder(StrEnum):
    """How the history lists its quotes."""

    NEWEST = "newest"
    OLDEST = "oldest"
    CLIENT = "client"
    TOTAL = "total"


FAMILY_ORDER_LABELS = {
    FamilyOrder.NEWEST: "Newest first",
    FamilyOrder.OLDEST: "Oldest first",
    FamilyOrder.CLIENT: "Client A–Z",
    FamilyOrder.TOTAL: "Highest total first",
}


@dataclass(frozen=True)
class QuoteFamily:
    """A quote and its re-quotes; ``versions`` newest revision first."""

    base_reference: str
    versions: tuple[QuoteSummary, ...]

    @property
    def latest(self) -> QuoteSummary:
        return self.versions[0]

    @property
    def earlier(self) -> tuple[QuoteSummary, ...]:
        return self.versions[1:]


def group_families(
    summaries: Iterable[QuoteSummary], order: FamilyOrder = FamilyOrder.NEWEST
) -> list[QuoteFamily]:
    """Fold each quote's revisions under it, then order the families by their
    latest revision (the version a consultant would send today)."""
    grouped: dict[str, list[QuoteSummary]] = {}
    for summary in summaries:
        grouped.setdefault(summary.base_reference, []).append(summary)
    families = [
        QuoteFamily(base, tuple(sorted(members, key=lambda s: s.revision, reverse=True)))
        for base, members in grouped.items()
    ]
    return sorted(families, key=_sort_key(order), reverse=order in _DESCENDING)


_DESCENDING = (FamilyOrder.NEWEST, FamilyOrder.TOTAL)


def _sort_key(order: FamilyOrder):
    if order is FamilyOrder.CLIENT:
        return lambda f: (f.latest.client_name.casefold(), f.latest.created_at)
    if order is FamilyOrder.TOTAL:
        return lambda f: (f.latest.total, f.latest.created_at)
    return lambda f: (f.latest.created_at, f.base_reference)
