"""What a saved quote keeps of the developer's metric its demand came from,
carried into a re-quote.

A quote made from a metric records the workbook (``MetricSource``), how its
on-site surplus was used (``OnSiteRecord``: the mode, every transfer, both
totals as priced then) and the surplus it left for the surplus uplift offset.
Re-quoting the saved quote asks for the same lines again, without the
workbook to read: the new quote keeps the same record, so the new revision
still says where its demand came from and how on-site was handled, and keeps
its SUO.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction

from .metric import MetricSource
from .onsite_plan import OnSiteRecord
from .result import QuoteRequest


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
