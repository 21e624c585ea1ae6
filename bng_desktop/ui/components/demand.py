"""Step 2: the unit deficit, line by line, checked as it is typed."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from ...core.bands import UnitType
from ...core.model import NET_GAIN_NAMES
from ...core.reference import ReferenceSnapshot
from ...core.rounding import display_units
from ..quote_state import DemandRow, QuoteDraft
from ..services import AppServices
from .metric_import import MetricImporter


def habitat_options(snapshot: ReferenceSnapshot) -> dict[str, str]:
    """Catalogue habitats (and the Net Gain lines) with band and unit type shown."""
    options = {
        name: f"{name}  ·  {unit_type.value}, any habitat"
        for unit_type, name in NET_GAIN_NAMES.items()
    }
    for habitat in sorted(snapshot.habitats.values(), key=lambda h: (h.unit_type, h.name)):
        options[habitat.name] = f"{habitat.name}  ·  {habitat.band.label} {habitat.unit_type.value}"
    return options


class DemandSection:
    def __init__(self, draft: QuoteDraft, services: AppServices, on_change: Callable[[], None]):
        self.draft = draft
        self.services = services
        self.on_change = on_change
        self.options = habitat_options(services.snapshot())
        with ui.card().classes("w-full").mark("demand-section"):
            with ui.row().classes("w-full items-center justify-between"):
                ui.label("2. Demand").classes("text-lg font-medium")
                self.totals = ui.label().classes("text-sm").mark("demand-totals")
            self.source = ui.row().classes("w-full items-center gap-2").mark("metric-source")
            self.lines = ui.column().classes("w-full gap-1")
            with ui.row().classes("gap-2"):
                MetricImporter(draft, services, self._metric_applied)
                ui.button("Add line", icon="add", on_click=self._add).props("outline dense")
                for unit_type in UnitType:
                    ui.button(
                        f"Net Gain ({unit_type.value})",
                        icon="add",
                        on_click=lambda t=unit_type: self._add_net_gain(t),
                    ).props("flat dense")
        self.rebuild()

    def _metric_applied(self) -> None:
        self.rebuild()
        self.on_change()

    def _show_source(self) -> None:
        self.source.clear()
        metric = self.draft.metric
        self.source.set_visibility(metric is not None)
        if metric is None:
            return
        with self.source:
            ui.icon("description", color="primary")
            suo = " · SUO applied" if self.draft.suo and metric.eligible_surplus > 0 else ""
            ui.label(f"From {metric.source.file_name}{suo}").classes("text-sm flex-1")
            ui.button("Forget the metric", on_click=self._forget_metric).props(
                "flat dense size=sm"
            ).mark("forget-metric")

    def _forget_metric(self) -> None:
        self.draft.metric = None
        self._show_source()
        self.on_change()

    def rebuild(self) -> None:
        self._show_source()
        self.lines.clear()
        with self.lines:
            if not self.draft.rows:
                ui.label("No demand lines yet: add a line or a Net Gain line.").classes(
                    "text-grey-7 italic"
                )
            for number, row in enumerate(self.draft.rows, start=1):
                self._line(number, row)
        self.refresh_totals()

    def _line(self, number: int, row: DemandRow) -> None:
        snapshot = self.services.snapshot()
        with ui.row().classes("w-full items-start no-wrap gap-2"):
            ui.label(f"{number}.").classes("pt-4 w-5 text-right text-grey-7")
            habitat = (
                ui.select(self.options, with_input=True, label="Habitat lost")
                .bind_value(row, "habitat")
                .classes("flex-1")
                .props("use-input input-debounce=0 dense options-dense")
                .props(f'aria-label="Habitat for line {number}"')
                .mark(f"habitat-{number}")
            )
            units = (
                ui.number("Units", min=0, step=0.01, format="%.4g")
                .bind_value(row, "units")
                .classes("w-28")
                .props("dense")
                .mark(f"units-{number}")
            )
            ui.button(icon="delete", on_click=lambda: self._remove(row)).props(
                "flat round dense"
            ).tooltip("Remove this line").mark(f"remove-{number}")
        problem = ui.label().classes("text-negative text-xs pl-8 -mt-1").mark(f"problem-{number}")
        self._show_problem(row, problem, snapshot)
        habitat.on_value_change(lambda: self._edited(row, problem))
        units.on_value_change(lambda: self._edited(row, problem))

    def _show_problem(self, row: DemandRow, label: ui.label, snapshot: ReferenceSnapshot) -> None:
        text = self.draft.row_problem(row, snapshot) if (row.habitat or row.units) else None
        label.set_text(text or "")
        label.set_visibility(bool(text))

    def _edited(self, row: DemandRow, label: ui.label) -> None:
        self._show_problem(row, label, self.services.snapshot())
        self.refresh_totals()
        self.on_change()

    def _add(self) -> None:
        self.draft.add_row()
        self.rebuild()
        self.on_change()

    def _add_net_gain(self, unit_type: UnitType) -> None:
        self.draft.add_net_gain(unit_type)
        self.rebuild()
        self.on_change()

    def _remove(self, row: DemandRow) -> None:
        self.draft.remove_row(row.row_id)
        self.rebuild()
        self.on_change()

    def refresh_totals(self) -> None:
        snapshot = self.services.snapshot()
        total = self.draft.total_units()
        policy = self.draft.policy(snapshot)
        self.totals.set_text(
            f"Total {display_units(total)} units · contract size "
            f"{self.draft.implied_size(snapshot)} · up to {policy.bank_cap(total)} banks"
        )
