"""The quote being worked on in one window: site, demand, options, result.

Plain state with no UI in it, so the page can be rebuilt from it and tests
can read it. One draft per page visit.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..core.adjust import ManualEntry, add_manual_line, remove_line
from ..core.contract import contract_size
from ..core.customers import Customer
from ..core.demand import line_problem
from ..core.errors import InfeasibleQuote
from ..core.exact import to_fraction
from ..core.metric import MetricImport
from ..core.model import NET_GAIN_NAMES, DemandLine, Site
from ..core.policy import Policy, Promoter
from ..core.reference import ReferenceSnapshot
from ..core.result import Quote, QuoteRequest
from ..core.typed_units import demand_units_problem, read_demand_units
from ..store import SavedQuote

_ids = itertools.count(1)


@dataclass
class DemandRow:
    habitat: str = ""
    units: Fraction | None = None
    """The exact units quoted; None while the field is empty or unreadable."""
    units_typed: str = ""
    """The Units field as typed, when it was typed (else shown from ``units``)."""
    habitat_typed: str = ""
    """Text typed in the habitat picker and left without picking from the list."""
    row_id: int = field(default_factory=lambda: next(_ids))

    def __post_init__(self) -> None:
        """Units kept as text or a float (a stored draft) are taken exactly."""
        if self.units is not None and not isinstance(self.units, Fraction):
            self.units = to_fraction(self.units)

    @property
    def is_blank(self) -> bool:
        typed = (self.units_typed + self.habitat_typed).strip()
        return not self.habitat and self.units is None and not typed

    def type_units(self, text: str) -> None:
        """Keep the text as typed; the units are its exact value when it reads."""
        self.units_typed = text
        self.units = None if demand_units_problem(text) else read_demand_units(text)


@dataclass
class PolicyChoices:
    """The per-quote overrides of the admin's policy (None: the default)."""

    bank_cap_small: int | None = None
    bank_cap_large: int | None = None
    split_lines: bool | None = None
    quotes_hold: str | None = None
    solver: str | None = None
    promoter_name: str = ""
    discount_type: str = "none"
    discount_value: float | Fraction = 0.0

    def overrides(self) -> dict[str, Any]:
        values = {
            name: getattr(self, name)
            for name in ("bank_cap_small", "bank_cap_large", "split_lines", "quotes_hold", "solver")
            if getattr(self, name) is not None
        }
        if self.promoter_name.strip():
            values["promoter"] = Promoter(
                self.promoter_name.strip(),
                self.discount_type,
                to_fraction(self.discount_value or 0),
            )
        return values


@dataclass
class QuoteDraft:
    lpa: str = ""
    nca: str = ""
    rows: list[DemandRow] = field(default_factory=lambda: [DemandRow()])
    choices: PolicyChoices = field(default_factory=PolicyChoices)
    client_name: str = ""
    customer: Customer | None = None
    """The customer the quote will be saved for (ui/components/customer_picker.py)."""
    result: Quote | None = None
    infeasible: InfeasibleQuote | None = None
    saved: SavedQuote | None = None
    based_on: str = ""
    """The reference this draft re-quotes, if any (saved as its next revision)."""
    located: Site | None = None
    """The last postcode/address lookup; used while the pickers still show its names."""
    metric: MetricImport | None = None
    """The developer's metric the demand came from, if any."""
    suo: bool = True
    """Apply the surplus uplift offset the metric allows."""

    # ------------------------------------------------------------ demand

    def add_row(self, habitat: str = "", units: Fraction | None = None) -> DemandRow:
        row = DemandRow(habitat, units)
        self.rows.append(row)
        return row

    def add_net_gain(self, unit_type) -> DemandRow:
        return self.add_row(NET_GAIN_NAMES[unit_type])

    def remove_row(self, row_id: int) -> None:
        self.rows = [r for r in self.rows if r.row_id != row_id]

    def row_problem(self, row: DemandRow, snapshot: ReferenceSnapshot) -> str | None:
        if not row.habitat and row.habitat_typed.strip():
            return f"'{row.habitat_typed.strip()}' — choose a habitat from the list"
        typed = row.units_typed.strip()
        return (demand_units_problem(typed) if typed else None) or line_problem(
            row.habitat, row.units, snapshot
        )

    def problems(self, snapshot: ReferenceSnapshot) -> dict[int, str]:
        """Problems of the lines filled in; a blank line is left out of the quote."""
        found = {r.row_id: self.row_problem(r, snapshot) for r in self.rows if not r.is_blank}
        return {k: v for k, v in found.items() if v}

    def total_units(self) -> Fraction:
        total = Fraction(0)
        for row in self.rows:
            total += row.units or Fraction(0)
        return total

    # ------------------------------------------------------------ request

    def policy(self, snapshot: ReferenceSnapshot) -> Policy:
        return snapshot.default_policy.with_overrides(self.choices.overrides())

    def implied_size(self, snapshot: ReferenceSnapshot) -> str:
        policy = self.policy(snapshot)
        return contract_size(self.total_units(), snapshot.sizes_present, policy).value

    def site(self) -> Site:
        """The looked-up site while its names are still the ones picked; else
        the names picked by hand (neighbours are completed from bundled data)."""
        lpa, nca = (self.lpa or "").strip(), (self.nca or "").strip()
        located = self.located
        if located is not None and (located.lpa, located.nca) == (lpa, nca):
            return located
        return Site(lpa=lpa, nca=nca, located_by="manual")

    def request(self, snapshot: ReferenceSnapshot) -> QuoteRequest:
        demand = tuple(
            DemandLine(r.habitat.strip(), r.units or Fraction(0))
            for r in self.rows
            if not r.is_blank
        )
        request = QuoteRequest(site=self.site(), demand=demand, policy=self.policy(snapshot))
        if self.metric is None:
            return request
        eligible = self.metric.eligible_surplus if self.suo else None
        return dataclasses.replace(
            request, eligible_surplus=eligible or None, metric=self.metric.source
        )

    def take_metric(self, imported: MetricImport, *, append: bool) -> None:
        """The metric's lines replace the demand (or follow it); the quote keeps its source."""
        rows = [DemandRow(line.habitat_name, line.units) for line in imported.lines]
        kept = [r for r in self.rows if not r.is_blank] if append else []
        self.rows = kept + rows
        self.metric = imported

    def can_quote(self, snapshot: ReferenceSnapshot) -> bool:
        filled = any(not r.is_blank for r in self.rows)
        return filled and not self.problems(snapshot)

    # ------------------------------------------------------------ result

    def set_result(self, quote: Quote) -> None:
        self.result, self.infeasible, self.saved = quote, None, None

    def set_infeasible(self, error: InfeasibleQuote) -> None:
        self.result, self.infeasible, self.saved = None, error, None

    def remove_result_line(self, line_id: str) -> None:
        if self.result is not None:
            self.result = remove_line(self.result, line_id)
            self.saved = None

    def add_manual(self, entry: ManualEntry) -> None:
        if self.result is not None:
            self.result = add_manual_line(self.result, entry)
            self.saved = None

    @classmethod
    def from_quote(cls, quote: Quote, *, based_on: str = "", client_name: str = "") -> QuoteDraft:
        """A draft that re-quotes a saved quote's site and demand."""
        request = quote.request
        draft = cls(
            lpa=request.site.lpa,
            nca=request.site.nca,
            located=request.site if request.site.located_by != "manual" else None,
            rows=[DemandRow(d.habitat_name, d.units) for d in request.demand],
            client_name=client_name,
            based_on=based_on,
        )
        draft.choices.split_lines = request.policy.split_lines
        draft.choices.quotes_hold = request.policy.quotes_hold
        return draft
