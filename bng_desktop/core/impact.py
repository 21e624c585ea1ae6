"""What a new reference version does to open quotes: each re-quoted on it
without saving, set beside the total the client was sent.

Rows are ordered by what needs attention first: quotes that can no longer be
met, then the largest increase down to the largest saving.

Quotes asking the very same thing (site, demand, policy) are solved once:
the engine's answer to one request on one version does not vary.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from .errors import InfeasibleQuote
from .progress import CancelToken, ProgressCallback, no_progress
from .reference import ReferenceSnapshot
from .result import Quote, QuoteRequest

Solve = Callable[[ReferenceSnapshot, QuoteRequest], Quote]


class ImpactOutcome(StrEnum):
    IMPOSSIBLE = "impossible"
    DEARER = "dearer"
    UNCHANGED = "unchanged"
    CHEAPER = "cheaper"


_SUMMARY_WORDS = {
    ImpactOutcome.CHEAPER: "cheaper",
    ImpactOutcome.DEARER: "dearer",
    ImpactOutcome.UNCHANGED: "unchanged",
    ImpactOutcome.IMPOSSIBLE: "can no longer be met",
}


@dataclass(frozen=True, kw_only=True)
class OpenQuote:
    """A saved quote still open with a client: what they were sent."""

    reference: str
    client_name: str
    total: Fraction
    request: QuoteRequest


@dataclass(frozen=True, kw_only=True)
class ImpactRow:
    reference: str
    client_name: str
    old_total: Fraction
    new_total: Fraction | None
    """None: the demand can no longer be met on the new version."""

    @property
    def change(self) -> Fraction | None:
        return None if self.new_total is None else self.new_total - self.old_total

    @property
    def outcome(self) -> ImpactOutcome:
        change = self.change
        if change is None:
            return ImpactOutcome.IMPOSSIBLE
        if change > 0:
            return ImpactOutcome.DEARER
        return ImpactOutcome.CHEAPER if change < 0 else ImpactOutcome.UNCHANGED


@dataclass(frozen=True, kw_only=True)
class ImpactReport:
    version_id: int
    rows: tuple[ImpactRow, ...]

    @property
    def counts(self) -> Counter[ImpactOutcome]:
        return Counter(row.outcome for row in self.rows)

    @property
    def summary(self) -> str:
        """'37 open quotes: 30 cheaper, 5 dearer, 2 can no longer be met'."""
        count = len(self.rows)
        if count == 0:
            return "No open quotes to compare."
        head = f"{count} open quote{'s' if count != 1 else ''}"
        parts = [
            f"{self.counts[outcome]} {_SUMMARY_WORDS[outcome]}"
            for outcome in (
                ImpactOutcome.CHEAPER,
                ImpactOutcome.DEARER,
                ImpactOutcome.UNCHANGED,
                ImpactOutcome.IMPOSSIBLE,
            )
            if self.counts[outcome]
        ]
        return f"{head}: {', '.join(parts)}"


def impact_of(
    open_quotes: Sequence[OpenQuote],
    snapshot: ReferenceSnapshot,
    solve: Solve,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> ImpactReport:
    """Re-quote every open quote on ``snapshot`` (nothing saved)."""
    rows = []
    answers: dict[QuoteRequest, Fraction | None] = {}
    for done, open_quote in enumerate(open_quotes):
        if cancel is not None:
            cancel.check()
        progress("impact", done / max(len(open_quotes), 1), f"Re-quoting {open_quote.reference}")
        asked = _what_is_asked(open_quote.request)
        if asked not in answers:
            answers[asked] = _new_total(open_quote.request, snapshot, solve)
        rows.append(
            ImpactRow(
                reference=open_quote.reference,
                client_name=open_quote.client_name,
                old_total=open_quote.total,
                new_total=answers[asked],
            )
        )
    progress("impact", 1.0, "Done")
    return ImpactReport(
        version_id=snapshot.info.version_id, rows=tuple(sorted(rows, key=_attention_first))
    )


def _what_is_asked(request: QuoteRequest) -> QuoteRequest:
    """The request without what does not change its answer (the metric file's name)."""
    return dataclasses.replace(request, metric=None) if request.metric is not None else request


def _new_total(request: QuoteRequest, snapshot: ReferenceSnapshot, solve: Solve) -> Fraction | None:
    """None: the demand can no longer be met."""
    try:
        return solve(snapshot, request).totals.total
    except InfeasibleQuote:
        return None


def _attention_first(row: ImpactRow) -> tuple[bool, Fraction, str]:
    change = row.change
    return (change is not None, -(change or Fraction(0)), row.reference)


class VersionArrival(StrEnum):
    """How a reference version came to be current here."""

    IMPORTED = "imported"
    PULLED = "pulled from the team database"


@dataclass(frozen=True, kw_only=True)
class ImpactOffer:
    """What to tell the consultant once a new version is current: the
    comparison is offered only when there are open quotes to compare."""

    version_id: int
    arrival: VersionArrival
    open_quotes: int
    days: int
    """The period, in days, an open quote was saved within."""

    @property
    def worth_comparing(self) -> bool:
        return self.open_quotes > 0

    @property
    def text(self) -> str:
        """'Version 4 imported. See what it does to 12 open quotes.'"""
        head = f"Version {self.version_id} {self.arrival}."
        if not self.worth_comparing:
            return f"{head} No open quotes were saved in the last {self.days} days to compare."
        plural = "s" if self.open_quotes != 1 else ""
        return f"{head} See what it does to {self.open_quotes} open quote{plural}."
