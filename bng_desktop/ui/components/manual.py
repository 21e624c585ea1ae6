"""Step 6: manual adjustments — add a line priced by hand (simple or paired
area, hedgerow, watercourse). Removing a line is in the allocation table."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from nicegui import ui

from ...core.adjust import ManualEntry
from ...core.bands import Tier, UnitType
from ...core.errors import DemandError
from ...core.number_input import read_number
from ..quote_state import QuoteDraft
from ..services import AppServices

KINDS = {
    "area": ("Area line", UnitType.AREA, False),
    "paired": ("Paired area line", UnitType.AREA, True),
    "hedgerow": ("Hedgerow line", UnitType.HEDGEROW, False),
    "watercourse": ("Watercourse line", UnitType.WATERCOURSE, False),
}


class ManualLines:
    def __init__(self, draft: QuoteDraft, services: AppServices, on_change: Callable[[], None]):
        self.draft = draft
        self.services = services
        self.on_change = on_change
        self.row = ui.row().classes("gap-2 items-center").mark("manual-lines")
        with self.row:
            ui.label("Add a manual line:").classes("text-sm")
            self.buttons = [
                ui.button(label, icon="add", on_click=lambda k=key: self.open(k))
                .props("flat dense")
                .mark(f"manual-{key}")
                for key, (label, _, _) in KINDS.items()
            ]
        self.refresh()

    def refresh(self) -> None:
        """Shown with a result; usable only while that result is current."""
        self.row.set_visibility(self.draft.result is not None)
        current = self.draft.state().current
        for button in self.buttons:
            button.set_enabled(current)

    def open(self, kind: str) -> None:
        title, unit_type, paired = KINDS[kind]
        names = sorted(
            h.name for h in self.services.snapshot().habitats.values() if h.unit_type is unit_type
        )
        values: dict = {
            "demand": "",
            "supply": "",
            "units": None,
            "price": None,
            "bank": "",
            "tier": "local" if not paired else "adjacent",
            "companion": "",
            "share": 0.75,
        }
        with ui.dialog() as dialog, ui.card().classes("w-[520px]").mark("manual-dialog"):
            ui.label(title).classes("text-lg font-medium")
            _habitat_field(names, "Habitat lost", "demand", values)
            _habitat_field(names, "Habitat supplied", "supply", values)
            if paired:
                _habitat_field(names, "Companion habitat", "companion", values)
                ui.number(
                    "Share of the supplied habitat (0–1)", min=0.01, max=0.99, step=0.05
                ).bind_value(values, "share").mark("manual-share")
            with ui.row().classes("gap-2"):
                ui.number("Units", min=0, step=0.01).bind_value(values, "units").classes(
                    "w-28"
                ).mark("manual-units")
                ui.number("£ per unit", min=0, step=50).bind_value(values, "price").classes(
                    "w-32"
                ).mark("manual-price")
                ui.select([t.value for t in Tier], label="Tier").bind_value(values, "tier").classes(
                    "w-32"
                ).mark("manual-tier")
            ui.input("Bank").bind_value(values, "bank").classes("w-full").mark("manual-bank")
            with ui.row().classes("w-full justify-end"):
                ui.button("Cancel", on_click=dialog.close).props("flat")
                ui.button(
                    "Add line", on_click=lambda: self._add(dialog, values, unit_type, paired)
                ).mark("manual-add")
        dialog.open()

    def _add(self, dialog, values: dict, unit_type: UnitType, paired: bool) -> None:
        try:
            entry = ManualEntry(
                unit_type=unit_type,
                demand_habitat=values["demand"] or "",
                supply_habitat=values["supply"] or "",
                units=_number(values["units"]),
                unit_price=_number(values["price"]),
                bank_name=values["bank"] or "",
                tier=Tier(values["tier"]) if values["tier"] else None,
                companion_habitat=(values["companion"] or "") if paired else "",
                main_share=_number(values["share"]) if paired else None,
            )
            self.draft.add_manual(entry)
        except DemandError as error:
            ui.notify(
                "; ".join(p.expected + f" ({p.column})" for p in error.problems) or str(error),
                type="negative",
                multi_line=True,
            )
            return
        dialog.close()
        self.on_change()


def _habitat_field(names: list[str], label: str, key: str, values: dict) -> None:
    """A habitat picker that also takes a name typed in (manual lines may name
    a habitat outside the catalogue)."""
    ui.select(names, with_input=True, new_value_mode="add-unique", label=label).bind_value(
        values, key
    ).classes("w-full").mark(f"manual-{key}")


def _number(value) -> Fraction:
    return read_number(value) if value not in (None, "") else Fraction(0)
