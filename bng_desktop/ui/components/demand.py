"""Step 2: the unit deficit, line by line, checked as it is typed."""

from __future__ import annotations

import json
from collections.abc import Callable

from nicegui import ui

from ...core.bands import UnitType
from ...core.model import NET_GAIN_NAMES
from ...core.plain_terms import unmet_text
from ...core.reference import ReferenceSnapshot
from ...core.typed_units import units_text
from ..quote_state import DemandRow, QuoteDraft
from ..services import AppServices
from .metric_import import MetricImporter


def habitat_options(snapshot: ReferenceSnapshot) -> dict[str, str]:
    """Catalogue habitats (and the Net Gain lines) with band and unit type shown."""
    options = {
        name: f"{name} · {unit_type.value}, any habitat"
        for unit_type, name in NET_GAIN_NAMES.items()
    }
    for habitat in sorted(snapshot.habitats.values(), key=lambda h: (h.unit_type, h.name)):
        options[habitat.name] = f"{habitat.name} · {habitat.band.label} {habitat.unit_type.value}"
    return options


class DemandSection:
    def __init__(self, draft: QuoteDraft, services: AppServices, on_change: Callable[[], None]):
        self.draft = draft
        self.services = services
        self.on_change = on_change
        self.options = habitat_options(services.snapshot())
        self.pickers: dict[int, ui.select] = {}
        self.units_fields: dict[int, ui.input] = {}
        self.typing: dict[int, str] = {}
        """What is being typed in each habitat picker (row id → text)."""
        self.entries: dict[int, ui.column] = {}
        self.unmet_notes: dict[int, ui.row] = {}
        """Each line (its fields and notes) and the note saying why it cannot be met."""
        with ui.card().classes("w-full").mark("demand-section"):
            with ui.row().classes("w-full items-center justify-between"):
                ui.label("2. Demand").classes("text-lg font-medium")
                self.totals = ui.label().classes("text-sm").mark("demand-totals")
            self.source = ui.row().classes("w-full items-center gap-2").mark("metric-source")
            self.lines = ui.column().classes("w-full gap-1")
            with ui.row().classes("gap-2"):
                MetricImporter(draft, services, self._metric_applied)
                ui.button("Add line", icon="add", on_click=self._add).props("outline dense").mark(
                    "add-line"
                )
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
        metric, kept = self.draft.metric, self.draft.kept_metric
        self.source.set_visibility(metric is not None or kept is not None)
        if metric is not None:
            name, surplus = metric.source.file_name, metric.eligible_surplus
        elif kept is not None:
            name, surplus = kept.source.file_name, kept.eligible_surplus or 0
        else:
            return
        with self.source:
            ui.icon("description", color="primary")
            suo = " · SUO applied" if self.draft.suo and surplus > 0 else ""
            ui.label(f"From {name}{suo}").classes("text-sm flex-1")
            ui.button("Forget the metric", on_click=self._forget_metric).props(
                "flat dense size=sm"
            ).mark("forget-metric")

    def _forget_metric(self) -> None:
        self.draft.forget_metric()
        self._show_source()
        self.on_change()

    def rebuild(self) -> None:
        self._show_source()
        self.pickers.clear()
        self.units_fields.clear()
        self.entries.clear()
        self.unmet_notes.clear()
        self.lines.clear()
        with self.lines:
            if not self.draft.rows:
                ui.label("No demand lines yet: add a line or a Net Gain line.").classes(
                    "text-grey-7 italic"
                )
            for number, row in enumerate(self.draft.rows, start=1):
                self._line(number, row)
        self.refresh_totals()
        self.show_unmet()

    def _line(self, number: int, row: DemandRow) -> None:
        snapshot = self.services.snapshot()
        with (
            ui.column().classes("w-full gap-0 demand-entry").mark(f"demand-entry-{number}") as entry
        ):
            with ui.row().classes("w-full items-start no-wrap gap-2 demand-line"):
                ui.label(f"{number}.").classes("pt-2 w-6 shrink-0 text-right text-grey-7")
                habitat = self._habitat_picker(number, row)
                units = (
                    ui.input("Units", value=_units_shown(row))
                    .classes("w-28 shrink-0")
                    .props(f'dense inputmode=decimal aria-label="Units for line {number}"')
                    .mark(f"units-{number}")
                )
                ui.button(icon="delete", on_click=lambda: self._remove(row)).props(
                    f'flat round dense aria-label="Remove line {number}"'
                ).tooltip("Remove this line").mark(f"remove-{number}")
            problem = ui.label().classes("text-negative text-xs pl-8").mark(f"problem-{number}")
            self._show_problem(row, problem, snapshot)
            self.unmet_notes[row.row_id] = (
                ui.row()
                .classes("items-start no-wrap gap-1 pl-8 pb-1 text-negative text-xs")
                .props("role=note")
                .mark(f"unmet-{number}")
            )
        self.entries[row.row_id] = entry
        habitat.on_value_change(lambda: self._habitat_picked(row, habitat, problem))
        habitat.on("input-value", lambda e: self._habitat_typing(row, e.args))
        habitat.on("blur", lambda: self._habitat_left(row, habitat, problem))
        habitat.on("keydown.enter", lambda: self._habitat_entered(row, habitat))
        units.on_value_change(lambda e: self._units_typed(row, e.value, problem))
        units.on("keydown.enter", self._add)
        self.pickers[row.row_id] = habitat
        self.units_fields[row.row_id] = units

    def _habitat_picker(self, number: int, row: DemandRow) -> ui.select:
        picker = (
            ui.select(self.options, with_input=True, label="Habitat lost")
            .bind_value(row, "habitat")
            .classes("flex-1 min-w-0 habitat-picker")
            .props("dense options-dense popup-content-class=habitat-options")
            .props(remove="fill-input hide-selected")
            .props(f'aria-label="Habitat for line {number}"')
            .mark(f"habitat-{number}")
        )
        if row.habitat_typed and not row.habitat:
            keep_typed_text(picker, row.habitat_typed)
        return picker

    def _habitat_typing(self, row: DemandRow, text: object) -> None:
        self.typing[row.row_id] = str(text or "")

    def _habitat_picked(self, row: DemandRow, picker: ui.select, label: ui.label) -> None:
        if row.habitat:
            row.habitat_typed = ""
            self.typing.pop(row.row_id, None)
        self._edited(row, label)

    def _habitat_left(self, row: DemandRow, picker: ui.select, label: ui.label) -> None:
        """Leaving the picker keeps what was typed (marked) rather than wiping it."""
        typed = self.typing.pop(row.row_id, "").strip()
        if row.habitat or typed == row.habitat_typed:
            return
        row.habitat_typed = typed
        if typed:
            keep_typed_text(picker, typed)
        self._edited(row, label)

    def _habitat_entered(self, row: DemandRow, picker: ui.select) -> None:
        """Enter on typed text picks the one habitat it matches, then moves on to
        the units (Quasar itself picks a highlighted match)."""
        typed = self.typing.get(row.row_id, "").strip().casefold()
        if not typed or (row.habitat and typed in self.options[row.habitat].casefold()):
            return
        matches = [name for name, label in self.options.items() if typed in label.casefold()]
        exact = [name for name in matches if name.casefold() == typed]
        if len(matches) == 1 or exact:
            picker.set_value((exact or matches)[0])
            focus_when_shown(self.units_fields[row.row_id])

    def _units_typed(self, row: DemandRow, text: object, label: ui.label) -> None:
        row.type_units(str(text or ""))
        self._edited(row, label)

    def _show_problem(self, row: DemandRow, label: ui.label, snapshot: ReferenceSnapshot) -> None:
        text = None if row.is_blank else self.draft.row_problem(row, snapshot)
        label.set_text(text or "")
        label.set_visibility(bool(text))

    def _edited(self, row: DemandRow, label: ui.label) -> None:
        self._show_problem(row, label, self.services.snapshot())
        self.refresh_totals()
        self.on_change()

    def _add(self) -> None:
        row = self.draft.add_row()
        self.rebuild()
        self.on_change()
        focus_when_shown(self.pickers[row.row_id])

    def _add_net_gain(self, unit_type: UnitType) -> None:
        row = self.draft.add_net_gain(unit_type)
        self.rebuild()
        self.on_change()
        focus_when_shown(self.units_fields[row.row_id])

    def _remove(self, row: DemandRow) -> None:
        self.draft.remove_row(row.row_id)
        self.rebuild()
        self.on_change()

    def show_unmet(self) -> None:
        """Mark each line the refusal on screen could not meet, with its reason;
        the marks go as soon as the inputs differ from those quoted."""
        unmet, numbers = self.draft.unmet_rows(), self.draft.line_numbers()
        for number, row in enumerate(self.draft.rows, start=1):
            if row.row_id in self.unmet_notes:
                line = unmet.get(row.row_id)
                self._mark_unmet(
                    number, row.row_id, "" if line is None else unmet_text(line, numbers)
                )

    def _mark_unmet(self, number: int, row_id: int, text: str) -> None:
        note, entry = self.unmet_notes[row_id], self.entries[row_id]
        note.clear()
        note.set_visibility(bool(text))
        label = f"Line {number} cannot be met: {text}" if text else None
        note.props.set_optional("aria-label", label)
        if not text:
            entry.classes(remove="unmet-line")
            return
        entry.classes(add="unmet-line")
        with note:
            ui.icon("error", size="xs").props("aria-hidden=true")
            ui.label(text).mark(f"unmet-reason-{number}")

    def refresh_totals(self) -> None:
        snapshot = self.services.snapshot()
        total = self.draft.total_units()
        policy = self.draft.policy(snapshot)
        self.totals.set_text(
            f"Total {units_text(total)} units · contract size "
            f"{self.draft.implied_size(snapshot)} · up to {policy.bank_cap(total)} banks"
        )


def _units_shown(row: DemandRow) -> str:
    if row.units_typed:
        return row.units_typed
    return units_text(row.units) if row.units is not None else ""


def _once_mounted(element: ui.element, action: str) -> None:
    """Run ``action`` on the element's Quasar component (``q``) once the
    browser has drawn it: right after a rebuild it is not there yet."""
    element.client.run_javascript(
        f"""(function attempt(tries) {{
            const el = getElement({element.id});
            const q = el && el.$refs && el.$refs.qRef;
            if (q) {{ {action} }} else if (tries > 0) setTimeout(() => attempt(tries - 1), 25);
        }})(80);"""
    )


def focus_when_shown(element: ui.element) -> None:
    _once_mounted(element, "q.focus();")


def keep_typed_text(picker: ui.select, text: str) -> None:
    """Put typed text back in a picker's input after Quasar cleared it on leaving."""
    _once_mounted(picker, f"setTimeout(() => q.updateInputValue({json.dumps(text)}, true), 0);")


UNMET_CSS = """
.demand-entry.unmet-line {
  box-shadow: inset 3px 0 0 var(--q-negative); background: rgba(193, 0, 21, 0.05);
  border-radius: 4px;
}
"""
"""A line the quote could not meet: a red edge and a faint red ground."""
