"""Step 3: this quote's policy overrides, with the admin's defaults shown."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from ...core.exact import to_fraction
from ...core.plain_terms import SOLVER_CHOICE_TEXT
from ...core.policy import QUOTES_HOLD, SOLVERS, Policy, Promoter
from ..quote_state import QuoteDraft
from ..services import AppServices

QUOTES_HOLD_LABELS = {
    "ignore": "Ignore quoted units",
    "hold_100": "Quoted units hold 100%",
    "hold_50": "Quoted units hold 50%",
}


class OptionsSection:
    def __init__(self, draft: QuoteDraft, services: AppServices, on_change: Callable[[], None]):
        defaults = services.snapshot().default_policy
        self.choices = draft.choices
        self.watched: list[ui.element] = []
        with ui.expansion("3. Options", icon="tune").classes("w-full").mark("options-section"):
            ui.label(_defaults_text(defaults)).classes("text-sm text-grey-8")
            with ui.row().classes("gap-3 items-center"):
                self._number("Bank cap (small demand)", "bank_cap_small", defaults.bank_cap_small)
                self._number(
                    "Bank cap (above threshold)", "bank_cap_large", defaults.bank_cap_large
                )
                self._watch(
                    ui.switch("Split lines across banks")
                    .bind_value(
                        self.choices,
                        "split_lines",
                        backward=lambda v: defaults.split_lines if v is None else bool(v),
                    )
                    .mark("split-lines")
                )
            with ui.row().classes("gap-3 items-center"):
                self._watch(
                    ui.select(
                        {k: QUOTES_HOLD_LABELS[k] for k in QUOTES_HOLD},
                        label="Quoted stock",
                        clearable=True,
                    )
                    .bind_value(self.choices, "quotes_hold")
                    .classes("w-56")
                )
                self._watch(
                    ui.select(
                        {name: SOLVER_CHOICE_TEXT.get(name, name) for name in SOLVERS},
                        label="Optimiser",
                        clearable=True,
                    )
                    .bind_value(self.choices, "solver")
                    .classes("w-64")
                )
            with ui.row().classes("gap-3 items-center"):
                self._promoter_picker(services)
        for element in self.watched:
            element.on_value_change(on_change)

    def _promoter_picker(self, services: AppServices) -> None:
        """The team's promoters (pulled with the reference data), not free text."""
        self.promoters = {p.name: p for p in services.promoters()}
        chosen = self.choices.promoter_name.strip()
        if chosen and chosen not in self.promoters:  # a re-quote of a promoter since removed
            self.promoters[chosen] = Promoter(
                chosen, self.choices.discount_type, to_fraction(self.choices.discount_value or 0)
            )
        options = {"": "No promoter"} | {
            name: f"{name} ({p.discount_words()})" for name, p in self.promoters.items()
        }
        self._watch(
            ui.select(
                options,
                value=chosen,
                label="Promoter (introducer)",
                with_input=True,
                on_change=self._promoter,
            )
            .classes("w-80")
            .mark("promoter")
        )
        if len(options) == 1:
            ui.label(
                "No promoters yet: an admin adds them to the team database and they "
                "arrive with the next sync."
            ).classes("text-sm text-grey-7").mark("no-promoters")

    def _promoter(self, event) -> None:
        chosen = self.promoters.get(event.value or "")
        self.choices.promoter_name = chosen.name if chosen else ""
        self.choices.discount_type = chosen.discount_type if chosen else "none"
        self.choices.discount_value = float(chosen.discount_value) if chosen else 0.0

    def _number(self, label: str, name: str, default: int) -> None:
        self._watch(
            ui.number(label, min=1, step=1, format="%d", placeholder=str(default))
            .bind_value(self.choices, name, forward=_whole)
            .classes("w-48")
        )

    def _watch(self, element: ui.element) -> ui.element:
        self.watched.append(element)
        return element


def _defaults_text(defaults: Policy) -> str:
    lines = "split lines" if defaults.split_lines else "one option per line"
    return (
        f"Admin defaults: up to {defaults.bank_cap_small} banks (or {defaults.bank_cap_large} "
        f"above {float(defaults.bank_cap_threshold):g} units), {lines}, "
        f"{QUOTES_HOLD_LABELS[defaults.quotes_hold].lower()}, "
        f"optimiser {SOLVER_CHOICE_TEXT.get(defaults.solver, defaults.solver)}."
    )


def _whole(value):
    return None if value in (None, "") else int(value)
