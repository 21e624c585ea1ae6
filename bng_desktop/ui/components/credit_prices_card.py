"""The admin's card for statutory credit prices: every dated set, and a new
set from a CSV file with the day it is in force from (checked whole: a file
with problems is refused with a table of them, and nothing changes)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from nicegui import events, ui

from ...core.dates import UK_DATE
from ...core.errors import ReferenceDataError
from ...core.rounding import format_money
from ...core.statutory_credits import CreditTier, prices_words
from ..services import AppServices
from .file_picker import FilePicker
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
                "(one row for each of A1–A5, H and W). For the whole team: "
                "bng central credit-prices set FILE.csv --from DATE."
            ).classes("text-sm text-grey-8")
            self.table = ui.column().classes("w-full").mark("credit-prices")
            with ui.row().classes("items-center gap-3"):
                self.effective = UkDateInput("In force from", lambda: None, marker="prices-from")
                FilePicker(
                    "Choose a prices file…", self.uploaded, marker="prices", accept=PRICE_FILES
                )
            self.outcome = ui.label().classes("text-sm").mark("prices-outcome")
            self.problems = ui.column().classes("w-full")
        self.show()

    def show(self) -> None:
        self.table.clear()
        rows = [
            {
                "from": prices.effective_from.strftime(UK_DATE),
                "source": prices.source,
                **{tier.value: format_money(price) for tier, price in prices.prices.items()},
            }
            for prices in self.services.credit_price_sets()
        ]
        with self.table:
            ui.table(columns=_columns(), rows=rows, row_key="from").props("dense flat").classes(
                "w-full"
            )

    async def uploaded(self, event: events.UploadEventArguments) -> None:
        self.problems.clear()
        if self.effective.value is None:
            self.outcome.set_text(
                "Type the day the prices are in force from, then choose the file."
            )
            return
        with tempfile.TemporaryDirectory(prefix="bng-prices-") as folder:
            path = Path(folder) / Path(event.file.name).name
            await event.file.save(path)
            try:
                prices = self.services.set_credit_prices(path, self.effective.value)
            except ReferenceDataError as error:
                self.outcome.set_text(f"{error.summary}.")
                with self.problems:
                    problems_table(error, heading="Not set", marker="prices-problems")
                return
        said = f"Statutory credit {prices_words(prices.effective_from.isoformat())} set."
        self.outcome.set_text(said)
        ui.notify(said, type="positive")
        self.show()
