"""Who the quote is for: find a customer, or add one, before saving.

Typing searches name, company, contact, email and phone; a match is chosen
with a click. "New customer" opens a form; details whose email or phone is
already a customer's are not added twice — the form offers that customer
instead. The choice is kept on the draft (``QuoteDraft.customer``) and saved
with the quote; it also fills in a blank client name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields

from nicegui import ui

from ...core.customers import Customer, CustomerDetails, CustomerError, DuplicateCustomer
from ..quote_state import QuoteDraft
from ..services import AppServices

SHOWN = 6
FORM_FIELDS = {
    "name": "Name *",
    "company": "Company",
    "contact_person": "Contact person",
    "email": "Email",
    "phone": "Phone",
    "address": "Address",
}


class CustomerPicker:
    def __init__(
        self,
        services: AppServices,
        draft: QuoteDraft,
        on_choose: Callable[[Customer | None], None] = lambda _: None,
    ):
        self.services = services
        self.draft = draft
        self.on_choose = on_choose
        self.text = ""
        with ui.column().classes("gap-1").mark("customer-picker"):
            with ui.row().classes("items-center gap-2"):
                ui.input(
                    "Customer",
                    placeholder="name, company, email or phone",
                    on_change=self.search,
                ).bind_value(self, "text").props("dense clearable debounce=200").classes(
                    "w-72"
                ).mark("customer-search")
                ui.button("New customer", icon="person_add", on_click=self.open_form).props(
                    "flat dense no-caps"
                ).mark("customer-new")
            with ui.row().classes("items-center gap-1") as self.chosen_row:
                ui.icon("person", color="primary")
                self.chosen = ui.label().classes("text-sm").mark("customer-chosen")
                ui.button(icon="close", on_click=lambda: self.choose(None)).props(
                    "flat dense round size=sm"
                ).props('aria-label="No customer"').tooltip("No customer").mark("customer-clear")
            self.results = ui.list().props("dense bordered separator").classes("w-72")
            self.results.mark("customer-results")
        self.search()
        self._show_choice()

    # ------------------------------------------------------------ finding

    def search(self) -> None:
        self.results.clear()
        text = (self.text or "").strip()
        found = self.services.search_customers(text, limit=SHOWN) if text else []
        self.results.set_visibility(bool(text))
        with self.results:
            for customer in found:
                ui.item(customer.label(), on_click=lambda c=customer: self.choose(c)).mark(
                    "customer-option"
                )
            if text and not found:
                ui.item("No customer matches: New customer adds one.").classes("text-grey-7")

    def choose(self, customer: Customer | None) -> None:
        self.draft.customer = customer
        if customer is not None and not self.draft.client_name.strip():
            self.draft.client_name = customer.name
        self.text = ""
        self.search()
        self._show_choice()
        self.on_choose(customer)

    def _show_choice(self) -> None:
        customer = self.draft.customer
        self.chosen_row.set_visibility(customer is not None)
        self.chosen.set_text(f"For {customer.label()}" if customer is not None else "")

    # ------------------------------------------------------------ adding

    def open_form(self) -> None:
        typed = (self.text or "").strip()
        values = dict.fromkeys(FORM_FIELDS, "")
        values["email" if "@" in typed else "name"] = typed
        with ui.dialog() as dialog, ui.card().classes("w-96").mark("customer-form"):
            ui.label("New customer").classes("text-lg font-medium")
            for name, label in FORM_FIELDS.items():
                field = ui.textarea if name == "address" else ui.input
                field(label).bind_value(values, name).props("dense").classes("w-full").mark(
                    f"customer-{name}"
                )
            problem = ui.column().classes("w-full gap-1").mark("customer-problem")
            with ui.row().classes("w-full justify-end"):
                ui.button("Cancel", on_click=lambda: _close(dialog)).props("flat")
                ui.button(
                    "Add customer",
                    on_click=lambda: self._add(values, dialog, problem),
                ).props("unelevated color=primary").mark("customer-add")
        dialog.open()

    def _add(self, values: dict[str, str], dialog: ui.dialog, problem: ui.column) -> None:
        details = CustomerDetails(**{f.name: values[f.name] for f in fields(CustomerDetails)})
        problem.clear()
        try:
            added = self.services.add_customer(details)
        except DuplicateCustomer as duplicate:
            existing = duplicate.duplicate.existing
            with problem:
                ui.label(str(duplicate)).classes("text-sm text-orange-9")
                ui.button(
                    f"Use {existing.name}",
                    icon="how_to_reg",
                    on_click=lambda: (_close(dialog), self.choose(existing)),
                ).props("outline dense no-caps").mark("customer-use-existing")
            return
        except CustomerError as error:
            with problem:
                ui.label(str(error)).classes("text-sm text-negative")
            return
        _close(dialog)
        self.choose(added)
        ui.notify(f"Added the customer {added.name}", type="positive")


def _close(dialog: ui.dialog) -> None:
    """Closed and gone: a form opened again starts blank."""
    dialog.close()
    dialog.delete()
