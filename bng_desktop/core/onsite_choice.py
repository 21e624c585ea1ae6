"""The metric's order or on-site and off-site optimised together: both priced
side by side, and the request for either.

``compare_onsite`` quotes the demand both ways — the metric's own order
(METRIC.md step 1) and the joint model (core/joint_offsetting.py) — through
the quoting function it is given (the workspace's, with its cache). When the
joint answer ends no cheaper than the metric's (the staged quote may spend
up to its bank tolerance, the SUO discount depends on the surplus left), the
metric's own transfers are the optimised answer too: optimising together
never costs more, and changes nothing when it saves nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from .errors import BngError, DemandError
from .joint_offsetting import OnSitePlan, joint_plan, metric_plan
from .metric import MetricImport
from .onsite_plan import OnSiteMode, OnSiteRecord
from .progress import CancelToken, ProgressCallback, no_progress
from .reference import ReferenceSnapshot
from .result import Quote, QuoteRequest

QuoteMaker = Callable[[QuoteRequest], Quote]

NOTHING_TO_BUY = "nothing to buy: the site meets its deficits and Net Gain target on site"
NO_JOINT_ANSWER = "the joint model found no allocation"


@dataclass(frozen=True)
class OnSiteOutcome:
    plan: OnSitePlan | None
    quote: Quote | None
    error: BngError | None = None
    """Why there is no quote (None when there is one)."""

    @property
    def problem(self) -> str:
        return "" if self.error is None else str(self.error)

    @property
    def total(self) -> Fraction | None:
        return None if self.quote is None else self.quote.totals.total

    @property
    def shown_total(self) -> Fraction | None:
        """The total as its quote shows it (the sum of its lines as shown)."""
        return None if self.quote is None else Fraction(self.quote.totals.display_total)


@dataclass(frozen=True)
class OnSiteComparison:
    metric_order: OnSiteOutcome
    optimised: OnSiteOutcome

    def outcome(self, mode: OnSiteMode) -> OnSiteOutcome:
        return self.metric_order if mode is OnSiteMode.METRIC_ORDER else self.optimised

    @property
    def saving(self) -> Fraction | None:
        a, b = self.metric_order.total, self.optimised.total
        return None if a is None or b is None else a - b


def with_plan(
    request: QuoteRequest,
    imported: MetricImport,
    plan: OnSitePlan,
    *,
    append: bool = False,
    suo: bool = True,
    record: OnSiteRecord | None = None,
) -> QuoteRequest:
    """The request with the plan's lines (replacing the demand, or after it),
    the surplus it leaves for SUO (unless ``suo`` is off), the metric's source
    and the on-site record (the plan's own unless one is given)."""
    demand = (*request.demand, *plan.demand) if append else plan.demand
    eligible = plan.eligible_surplus if suo else None
    return dataclasses.replace(
        request,
        demand=demand,
        eligible_surplus=eligible if eligible else None,
        metric=imported.source,
        onsite=record or OnSiteRecord(plan.mode, plan.transfers),
    )


def compare_onsite(
    snapshot: ReferenceSnapshot,
    request: QuoteRequest,
    imported: MetricImport,
    quote_with: QuoteMaker,
    *,
    append: bool = False,
    suo: bool = True,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> OnSiteComparison:
    """Both ways quoted; each quote's request records both totals."""

    def priced(plan: OnSitePlan) -> OnSiteOutcome:
        if cancel is not None:
            cancel.check()
        if not plan.lines and not (append and request.demand):
            return OnSiteOutcome(plan, None, DemandError(NOTHING_TO_BUY))
        try:
            made = quote_with(with_plan(request, imported, plan, append=append, suo=suo))
        except BngError as refused:
            return OnSiteOutcome(plan, None, refused)
        return OnSiteOutcome(plan, made)

    progress("onsite", 0.0, "Pricing the metric's own order")
    ordered = priced(metric_plan(imported))
    progress("onsite", 0.4, "Optimising on-site and off-site together")
    try:
        joint = joint_plan(snapshot, request.site, request.policy, imported)
    except BngError:
        joint = None
    progress("onsite", 0.7, "Pricing the optimised answer")
    together = _optimised(joint, ordered, priced)
    progress("onsite", 1.0, "Both ways priced")
    return _recorded(ordered, together)


def _optimised(
    joint: OnSitePlan | None,
    ordered: OnSiteOutcome,
    priced: Callable[[OnSitePlan], OnSiteOutcome],
) -> OnSiteOutcome:
    """The joint answer, or the metric's own transfers when they end no dearer."""
    fallback = ordered.plan
    assert fallback is not None, "the metric's order always has a plan"
    as_joint = dataclasses.replace(
        fallback,
        mode=OnSiteMode.OPTIMISED_TOGETHER,
        model_cost=None if joint is None else joint.model_cost,
    )
    if joint is None:
        if ordered.quote is None:
            return OnSiteOutcome(None, None, ordered.error or DemandError(NO_JOINT_ANSWER))
        return OnSiteOutcome(as_joint, ordered.quote)
    same = joint.lines == fallback.lines
    found = OnSiteOutcome(joint, ordered.quote, ordered.error) if same else priced(joint)
    if ordered.total is not None and (found.total is None or found.total >= ordered.total):
        return OnSiteOutcome(as_joint, ordered.quote)
    return found


def _recorded(ordered: OnSiteOutcome, together: OnSiteOutcome) -> OnSiteComparison:
    def record(outcome: OnSiteOutcome) -> OnSiteOutcome:
        if outcome.quote is None or outcome.plan is None:
            return outcome
        onsite = OnSiteRecord(
            outcome.plan.mode,
            outcome.plan.transfers,
            metric_order_total=ordered.total,
            optimised_total=together.total,
            priced_on=outcome.quote.reference_hash,
        )
        kept = dataclasses.replace(outcome.quote.request, onsite=onsite)
        return dataclasses.replace(outcome, quote=dataclasses.replace(outcome.quote, request=kept))

    return OnSiteComparison(record(ordered), record(together))
