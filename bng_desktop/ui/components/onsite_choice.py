"""In the metric preview: the metric's lines priced both ways — offsetting on
site as the metric does, and on-site and off-site optimised together — side
by side, with the choice of which to take (the metric's order by default).

Both quotes run in the background on the site and options already on the
page; until they are in, the metric's own order is shown and taken.
"""

from __future__ import annotations

from nicegui import ui

from ...core.joint_offsetting import OnSitePlan, metric_plan
from ...core.metric import MetricImport
from ...core.onsite_choice import OnSiteComparison
from ...core.onsite_plan import OnSiteMode, OnSiteRecord, compare_text
from ...core.result import QuoteRequest
from ...core.rounding import display_units
from ..jobs import Job, JobStatus
from ..quote_state import QuoteDraft
from ..services import AppServices
from .job_follower import JobFollower
from .progress_bar import progress_bar

MODE_LABELS = {
    OnSiteMode.METRIC_ORDER: "As the metric does (its own order)",
    OnSiteMode.OPTIMISED_TOGETHER: "Optimised together",
}


class OnSiteChoice:
    def __init__(self, draft: QuoteDraft, services: AppServices, imported: MetricImport):
        self.draft = draft
        self.services = services
        self.imported = imported
        self.comparison: OnSiteComparison | None = None
        self.mode = OnSiteMode.METRIC_ORDER
        with ui.card().classes("w-full").mark("onsite-compare"):
            ui.label("On-site offsetting").classes("font-medium")
            self.figures = ui.label("Pricing both ways…").classes("text-sm").mark("onsite-figures")
            bar = progress_bar().props("size=4px")
            self.radio = (
                ui.radio(
                    {m.value: MODE_LABELS[m] for m in OnSiteMode},
                    value=self.mode.value,
                    on_change=self._chosen,
                )
                .props("inline dense")
                .mark("onsite-mode")
            )
            self.radio.disable()
            self.detail = ui.column().classes("w-full gap-1")
        self.follower = JobFollower(bar, ui.label().classes("hidden"), self._priced)
        self._show()

    def start(self, suo: bool) -> None:
        """Price both ways (again), with the SUO as ticked."""
        if self.follower.running and self.follower.job is not None:
            self.follower.job.cancel()
        snapshot = self.services.snapshot()
        base = QuoteRequest(self.draft.site(), (), self.draft.policy(snapshot))
        workspace, imported = self.services.workspace, self.imported
        job = self.services.runner.submit(
            "onsite",
            lambda progress, cancel: workspace.compare_onsite(
                base, imported, suo=suo, progress=progress, cancel=cancel
            ),
        )
        self.figures.set_text("Pricing both ways…")
        self.follower.follow(job)

    def _priced(self, job: Job) -> None:
        if job.status is not JobStatus.DONE:
            if job.status is not JobStatus.CANCELLED:
                self.figures.set_text(f"Could not price both ways: {job.message}")
            return
        compared: OnSiteComparison = job.result
        self.comparison = compared
        self.figures.set_text(
            compare_text(compared.metric_order.shown_total, compared.optimised.shown_total)
        )
        if compared.optimised.plan is not None:
            self.radio.enable()
        self._show()

    def _chosen(self) -> None:
        self.mode = OnSiteMode(self.radio.value)
        self._show()

    @property
    def plan(self) -> OnSitePlan:
        """The plan to take: the chosen one once priced, else the metric's order."""
        if self.comparison is not None:
            chosen = self.comparison.outcome(self.mode).plan
            if chosen is not None:
                return chosen
        return metric_plan(self.imported)

    @property
    def record(self) -> OnSiteRecord | None:
        """The chosen way's record with both totals (None before pricing)."""
        if self.comparison is None:
            return None
        quote = self.comparison.outcome(self.mode).quote
        return None if quote is None else quote.request.onsite

    def _show(self) -> None:
        plan = self.plan
        self.detail.clear()
        with self.detail:
            rows = [
                {
                    "id": n,
                    "habitat": ln.habitat_name,
                    "type": ln.unit_type.value,
                    "kind": "Net Gain" if ln.kind == "net_gain" else "deficit",
                    "units": display_units(ln.units),
                }
                for n, ln in enumerate(plan.lines)
            ]
            ui.label(f"Lines to buy — {MODE_LABELS[plan.mode].lower()}").classes("font-medium mt-1")
            if rows:
                ui.table(
                    columns=[
                        {"name": k, "label": k.capitalize(), "field": k, "align": "left"}
                        for k in ("habitat", "type", "kind", "units")
                    ],
                    rows=rows,
                    row_key="id",
                ).props("dense flat").classes("w-full").mark("metric-lines")
            else:
                ui.label("None: the metric is met on site.").classes("text-sm text-positive")
            if plan.transfers:
                ui.label("Offset on site").classes("text-sm font-medium")
                for t in plan.transfers:
                    ui.label(
                        f"{t.surplus} ({t.surplus_band.label}) → {t.deficit} "
                        f"({t.deficit_band.label}): {display_units(t.units)} units"
                    ).classes("text-xs text-grey-8").mark("onsite-transfer")
