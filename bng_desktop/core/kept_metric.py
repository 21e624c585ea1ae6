"""What a saved quote keeps of the developer's metric its demand came from,
carried into a re-quote.

A quote made from a metric records the workbook (``MetricSource``), how its
on-site surplus was used (``OnSiteRecord``: the mode, every transfer, both
totals as priced then) and the surplus it left for the surplus uplift offset.
Re-quoting the saved quote asks for the same lines again, without the
workbook to read: the new quote keeps the same record, so the new revision
still says where its demand came from and how on-site was handled, and keeps
its SUO.

The record's totals are the re-quote's own (``onsite_as_priced``): on the
prices the record was priced on, the same answer keeps both totals; on other
prices, this quote's way is given the new total and the other way, not priced
again, none, so that what is shown, saved and sent never mixes the two.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction

from .metric import MetricSource
from .onsite_plan import OnSiteMode, OnSiteRecord
from .result import Quote, QuoteRequest


@dataclass(frozen=True, kw_only=True)
class KeptMetric:
    source: MetricSource
    onsite: OnSiteRecord | None = None
    eligible_surplus: Fraction | None = None
    """On-site surplus of bands ≥ Medium for SUO (None: SUO was not applied)."""


def kept_metric(request: QuoteRequest) -> KeptMetric | None:
    """The metric record of a saved quote's request (None: typed by hand)."""
    if request.metric is None:
        return None
    return KeptMetric(
        source=request.metric,
        onsite=request.onsite,
        eligible_surplus=request.eligible_surplus,
    )


def with_kept_metric(
    request: QuoteRequest, kept: KeptMetric | None, *, suo: bool = True
) -> QuoteRequest:
    """``request`` recording ``kept`` (its SUO surplus only while ``suo``)."""
    if kept is None:
        return request
    return dataclasses.replace(
        request,
        metric=kept.source,
        onsite=kept.onsite,
        eligible_surplus=kept.eligible_surplus if suo else None,
    )


def onsite_as_priced(quote: Quote) -> Quote:
    """``quote`` with its on-site record's totals as ``quote`` priced them
    (unchanged while the record's totals are still this quote's, or it has
    none yet)."""
    record = quote.request.onsite
    if record is None or not record.priced or _still_holds(record, quote):
        return quote
    total = quote.totals.total
    repriced = OnSiteRecord(
        record.mode,
        record.transfers,
        metric_order_total=total if record.mode is OnSiteMode.METRIC_ORDER else None,
        optimised_total=total if record.mode is OnSiteMode.OPTIMISED_TOGETHER else None,
        priced_on=quote.reference_hash,
        repriced_alone=True,
    )
    request = dataclasses.replace(quote.request, onsite=repriced)
    return dataclasses.replace(quote, request=request)


def _still_holds(record: OnSiteRecord, quote: Quote) -> bool:
    """The same total, on the prices the record was priced on (when it says)."""
    same_prices = record.priced_on in ("", quote.reference_hash)
    return same_prices and record.total == quote.totals.total
