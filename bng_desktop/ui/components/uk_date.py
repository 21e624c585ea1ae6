"""A date field typed and shown as dd/mm/yyyy (with a calendar), whatever the
browser's locale — unlike the browser's own date input, which follows it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from nicegui import ui

from ...core.dates import DATE_HINT, parse_uk_date


class UkDateInput:
    def __init__(self, label: str, on_change: Callable[[], None], *, marker: str):
        self.on_change = on_change
        self.value: date | None = None
        self.input = (
            ui.input(label, placeholder="dd/mm/yyyy", validation=self._problem)
            .props('dense clearable stack-label mask="##/##/####" debounce=300')
            .classes("w-40")
            .mark(marker)
        )
        self.input.on_value_change(self._changed)
        with (
            self.input.add_slot("append"),
            ui.button(icon="event").props(
                f'flat dense round size="sm" aria-label="Pick the {label.lower()} date"'
            ),
            ui.menu() as menu,
        ):
            ui.date(mask="DD/MM/YYYY", on_change=menu.close).props(
                "first-day-of-week=1 minimal"
            ).bind_value(self.input)

    @staticmethod
    def _problem(text: str | None) -> str | None:
        if not text:
            return None
        try:
            parse_uk_date(text)
        except ValueError:
            return DATE_HINT
        return None

    def _changed(self) -> None:
        text = self.input.value or ""
        if not text:
            self.value = None
        else:
            try:
                self.value = parse_uk_date(text)
            except ValueError:
                return  # the field says what to type; the list stays as it was
        self.on_change()

    def clear(self) -> None:
        self.input.set_value("")
