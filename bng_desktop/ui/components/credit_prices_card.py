"""The admin's card for statutory credit prices: every dated set, and a new
set from a CSV file with the day it is in force from (checked whole: a file
with problems is refused with a table of them, and nothing changes)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from nicegui import events, ui

from ...core.dates import uk_long_date
from ...core.errors import ReferenceDataError
from ...core.rounding import format_money
from ...core.statutory_credits import CreditPrices, CreditTier, prices_words
from ..services import AppServices
from .file_picker import FilePicker, saved_name
from .problems import problems_table
from .uk_date import UkDateInput

PRICE_FILES = ".csv"


def _columns() -> list[dict[str, str]]:
    fixed = [
        {"name": "from", "label": "In force from", "field": "from", "align": "left"},
        {"name": "source", "label": "Source", "field": "source", "align": "left"},
    ]
    return fixed + [
        {"name": tier.value, "label": tier.value, "field": tier.value, "align": "right"}
        for tier in CreditTier
    ]


class CreditPricesCard:
    def __init__(self, services: AppServices):
        self.services = services
        with ui.card().classes("w-full"):
            ui.label("Statutory credit prices (admin)").classes("text-lg font-medium")
            ui.label(
                "Price per credit by tier, excluding VAT. A quote uses the latest set in force "
                "on its day. New prices: a CSV with the columns tier and price_per_credit_gbp "
                "(one row for each of A1–A5, H and W). Set here, they serve this computer; "
                "for the whole team an admin runs:"
            ).classes("text-sm text-grey-8")
            ui.label("bng central credit-prices set FILE.csv --from YYYY-MM-DD").classes(
                "text-sm font-mono bg-grey-2 q-px-sm rounded-borders"
            )
            self.table = ui.column().classes("w-full").mark("credit-prices")
            with ui.row().classes("items-center gap-3"):
                self.effective = UkDateInput("In force from", lambda: None, marker="prices-from")
                FilePicker(
                    "Choose a prices file…",
                    self.uploaded,
                    marker="prices",
                    accept=PRICE_FILES,
                    kind="prices file",
                )
            self.outcome = ui.label().classes("text-sm").mark("prices-outcome")
            self.problems = ui.column().classes("w-full")
        self.show()

    def show(self) -> None:
        self.table.clear()
        rows = [
            {
                "from": uk_long_date(prices.effective_from),
                "source": prices.source,
                **{tier.value: format_money(price) for tier, price in prices.prices.items()},
            }
            for prices in self.services.credit_price_sets()
        ]
        with self.table:
            ui.table(columns=_columns(), rows=rows, row_key="from").props("dense flat").classes(
                "w-full"
            )
            if not self.services.credit_prices_set_here():
                ui.label(
                    "No prices have been set here or pulled from the team yet: quotes use the "
                    "bundled GOV.UK prices above."
                ).classes("text-sm text-grey-8").mark("prices-bundled-only")

    async def uploaded(self, event: events.UploadEventArguments) -> None:
        self.problems.clear()
        if self.effective.value is None:
            self.outcome.set_text(
                "Type the day the prices are in force from, then choose the file."
            )
            return
        with tempfile.TemporaryDirectory(prefix="bng-prices-") as folder:
            path = Path(folder) / saved_name(event.file.name, "prices.csv")
            await event.file.save(path)
            try:
                prices = self.services.check_credit_prices(path, self.effective.value)
            except ReferenceDataError as error:
                self.outcome.set_text(
                    "Nothing changed. Correct what the table lists in the file, then choose "
                    "it again."
                )
                with self.problems:
                    problems_table(error, heading="Not set", marker="prices-problems", place="File")
                return
        held = self.services.credit_prices_dated(prices.effective_from)
        if held is None:
            self._store(prices)
        else:
            self._ask_to_replace(prices, held)

    def _ask_to_replace(self, prices: CreditPrices, held: CreditPrices) -> None:
        """A day that has prices already: they are replaced only on a clear yes."""
        words = prices_words(prices.effective_from.isoformat())
        self.outcome.set_text(f"The {words} are already set; they stay unless you replace them.")
        with ui.dialog() as dialog, ui.card().mark("replace-prices"):
            ui.label(f"Replace the statutory credit {words}?").classes("text-lg font-medium")
            ui.label(
                f"That day already has prices, from {held.source}. Quotes made from that "
                f"day on will use the prices in {prices.source} instead; the current ones "
                "cannot be brought back."
            ).classes("text-sm")
            with ui.row().classes("w-full justify-end gap-2"):
                ui.button("Keep the current prices", on_click=dialog.close).props("flat").mark(
                    "replace-prices-no"
                )
                ui.button(
                    "Replace them", color="negative", on_click=lambda: self._replace(dialog, prices)
                ).mark("replace-prices-yes")
        dialog.open()

    def _replace(self, dialog: ui.dialog, prices: CreditPrices) -> None:
        dialog.close()
        self._store(prices, replace=True)

    def _store(self, prices: CreditPrices, *, replace: bool = False) -> None:
        self.services.store_credit_prices(prices, replace=replace)
        said = f"Statutory credit {prices_words(prices.effective_from.isoformat())} set."
        self.outcome.set_text(said)
        ui.notify(said, type="positive")
        self.show()
