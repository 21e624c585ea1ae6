"""The quote being worked on: site, demand, options, result, manual edits
and the saved reference, in one object every widget reads and writes.

Plain state with no UI in it, so the page can be rebuilt from it, kept in the
local store between visits and app restarts (``to_payload``/``from_payload``),
and read by tests. Whether the result still answers the inputs is core's rule
(core/freshness.py).
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
from ..core.errors import InfeasibleQuote, StoreError, UnmetLine
from ..core.exact import fraction_text, to_fraction
from ..core.freshness import QuoteInputs, ResultState, has_unsaved_work, result_state
from ..core.joint_offsetting import OnSitePlan, metric_plan
from ..core.kept_metric import KeptMetric, kept_metric, with_kept_metric
from ..core.metric import MetricImport
from ..core.model import NET_GAIN_NAMES, DemandLine, Site
from ..core.onsite_plan import OnSiteRecord
from ..core.policy import Policy, Promoter
from ..core.reference import ReferenceSnapshot
from ..core.result import Quote, QuoteRequest
from ..core.typed_units import demand_units_problem, read_demand_units
from ..store import SavedQuote
from ..store.codec import quote_from_dict, quote_to_dict, record_from_dict, record_to_dict

DRAFT_FORMAT = 1

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
    discount_value: float = 0.0

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
    saved_reference: str = ""
    """The reference the result on screen was saved as ("" while unsaved)."""
    revision_of: str = ""
    """The base reference the next save revises ("" for a new quote)."""
    based_on: str = ""
    """The reference this draft re-quotes, if any."""
    quoted: dict[str, Any] | None = None
    """The inputs (``inputs_payload``) the result or refusal on screen answers."""
    located: Site | None = None
    """The last postcode/address lookup; used while the pickers still show its names."""
    metric: MetricImport | None = None
    """The developer's metric the demand came from, if any."""
    suo: bool = True
    """Apply the surplus uplift offset the metric allows."""
    onsite_plan: OnSitePlan | None = None
    """How the metric's surplus is used on site (None: the metric's order)."""
    onsite: OnSiteRecord | None = None
    """The mode, transfers and both totals the quote will keep."""
    kept_metric: KeptMetric | None = None
    """A re-quoted saved quote's metric record (its workbook is not read
    again): the quote keeps it while no metric is imported here."""

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
            return with_kept_metric(request, self.kept_metric, suo=self.suo)
        plan = self.onsite_plan or metric_plan(self.metric)
        eligible = plan.eligible_surplus if self.suo else None
        return dataclasses.replace(
            request,
            eligible_surplus=eligible or None,
            metric=self.metric.source,
            onsite=self.onsite or OnSiteRecord(plan.mode, plan.transfers),
        )

    def take_metric(
        self,
        imported: MetricImport,
        *,
        append: bool,
        plan: OnSitePlan | None = None,
        record: OnSiteRecord | None = None,
    ) -> None:
        """The lines of the metric (as offset on site by ``plan``, by default in
        the metric's order) replace the demand or follow it; the quote keeps
        its source and how the surplus was used (``record``)."""
        chosen = plan or metric_plan(imported)
        rows = [DemandRow(line.habitat_name, line.units) for line in chosen.lines]
        kept = [r for r in self.rows if not r.is_blank] if append else []
        self.rows = kept + rows
        self.metric = imported
        self.kept_metric = None
        self.onsite_plan = chosen
        self.onsite = record or OnSiteRecord(chosen.mode, chosen.transfers)

    def forget_metric(self) -> None:
        self.metric = None
        self.kept_metric = None
        self.onsite_plan = None
        self.onsite = None

    def can_quote(self, snapshot: ReferenceSnapshot) -> bool:
        filled = any(not r.is_blank for r in self.rows)
        return filled and not self.problems(snapshot)

    # ------------------------------------------------------------ inputs

    def inputs_payload(self) -> dict[str, Any]:
        """The inputs as JSON-ready data: what a result answers, what is kept."""
        return {
            "lpa": self.lpa or "",
            "nca": self.nca or "",
            "located": None if self.located is None else record_to_dict(self.located),
            "rows": [_row_payload(r) for r in self.rows],
            "choices": dataclasses.asdict(self.choices),
            "metric": None if self.metric is None else record_to_dict(self.metric),
            "suo": self.suo,
            "onsite_plan": None if self.onsite_plan is None else record_to_dict(self.onsite_plan),
            "onsite": None if self.onsite is None else record_to_dict(self.onsite),
            "kept_metric": None if self.kept_metric is None else record_to_dict(self.kept_metric),
        }

    def take_inputs(self, payload: dict[str, Any]) -> None:
        self.lpa, self.nca = payload["lpa"], payload["nca"]
        located = payload.get("located")
        self.located = None if located is None else record_from_dict(Site, located)
        self.rows = [
            DemandRow(
                row["habitat"],
                row["units"],
                units_typed=row["units_typed"],
                habitat_typed=row["habitat_typed"],
            )
            for row in payload["rows"]
        ]
        self.choices = PolicyChoices(**payload["choices"])
        metric = payload.get("metric")
        self.metric = None if metric is None else record_from_dict(MetricImport, metric)
        self.suo = bool(payload.get("suo", True))
        plan, onsite = payload.get("onsite_plan"), payload.get("onsite")
        self.onsite_plan = None if plan is None else record_from_dict(OnSitePlan, plan)
        self.onsite = None if onsite is None else record_from_dict(OnSiteRecord, onsite)
        kept = payload.get("kept_metric")  # drafts kept before re-quotes carried it have none
        self.kept_metric = None if kept is None else record_from_dict(KeptMetric, kept)

    def inputs(self) -> QuoteInputs:
        return inputs_of(self.inputs_payload())

    def typed(self) -> bool:
        """Anything filled in that a new draft would not have."""
        return bool(
            (self.lpa or "").strip()
            or (self.nca or "").strip()
            or any(not r.is_blank for r in self.rows)
            or self.result is not None
        )

    # ------------------------------------------------------------ result

    def state(self) -> ResultState:
        """Whether the result (or refusal) on screen still answers the inputs."""
        shown = self.result is not None or self.infeasible is not None
        quoted = inputs_of(self.quoted) if shown and self.quoted is not None else None
        return result_state(quoted, self.inputs())

    def line_numbers(self) -> tuple[int, ...]:
        """Each quoted demand line's number in the editor, by demand index,
        while the result still answers the inputs (a blank line between is
        numbered but not quoted); () otherwise."""
        if not self.state().current:
            return ()
        return tuple(n for n, row in enumerate(self.rows, start=1) if not row.is_blank)

    def unmet_rows(self) -> dict[int, UnmetLine]:
        """The refusal's unmet lines by the row they were quoted from (row id),
        while the refusal still answers the inputs: a change clears them."""
        if self.infeasible is None or not self.state().current:
            return {}
        quoted = [row.row_id for row in self.rows if not row.is_blank]
        return {
            quoted[line.demand_index]: line
            for line in self.infeasible.lines
            if line.demand_index < len(quoted)
        }

    def unsaved_work(self) -> bool:
        return has_unsaved_work(
            typed=self.typed(), state=self.state(), saved=bool(self.saved_reference)
        )

    def restore_quoted_inputs(self) -> None:
        """Put back the inputs the result on screen was quoted from."""
        if self.quoted is not None:
            self.take_inputs(self.quoted)

    def set_result(self, quote: Quote, quoted: dict[str, Any]) -> None:
        """``quoted``: the inputs as they were when the run started."""
        self.result, self.infeasible, self.quoted = quote, None, quoted
        self._unsave()

    def set_infeasible(self, error: InfeasibleQuote, quoted: dict[str, Any]) -> None:
        self.result, self.infeasible, self.quoted = None, error, quoted
        self._unsave()

    def remove_result_line(self, line_id: str) -> None:
        if self.result is not None:
            self.result = remove_line(self.result, line_id)
            self._unsave()

    def add_manual(self, entry: ManualEntry) -> None:
        if self.result is not None:
            self.result = add_manual_line(self.result, entry)
            self._unsave()

    def mark_saved(self, saved: SavedQuote) -> None:
        """Saved: a later change is saved as this quote's next revision."""
        self.saved_reference = saved.reference
        self.revision_of = saved.base_reference
        self.client_name = saved.client_name

    def _unsave(self) -> None:
        self.saved_reference = ""

    # ------------------------------------------------------------ keeping

    def to_payload(self) -> dict[str, Any]:
        """Everything on screen as JSON-ready data, for the local store."""
        return {
            "format": DRAFT_FORMAT,
            "inputs": self.inputs_payload(),
            "quoted": self.quoted,
            "result": None if self.result is None else quote_to_dict(self.result),
            "infeasible": None
            if self.infeasible is None
            else [record_to_dict(line) for line in self.infeasible.lines],
            "client_name": self.client_name,
            "customer": None if self.customer is None else record_to_dict(self.customer),
            "saved_reference": self.saved_reference,
            "revision_of": self.revision_of,
            "based_on": self.based_on,
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> QuoteDraft:
        """The draft kept by ``to_payload``; StoreError when it cannot be read."""
        if not isinstance(payload, dict) or payload.get("format") != DRAFT_FORMAT:
            raise StoreError("The unsaved quote was kept by another version and cannot be read.")
        try:
            draft = cls(
                client_name=payload["client_name"],
                saved_reference=payload["saved_reference"],
                revision_of=payload["revision_of"],
                based_on=payload["based_on"],
                quoted=payload["quoted"],
            )
            draft.take_inputs(payload["inputs"])
            if payload.get("customer") is not None:  # drafts kept before customers have none
                draft.customer = record_from_dict(Customer, payload["customer"])
            if payload["result"] is not None:
                draft.result = quote_from_dict(payload["result"])
            if payload["infeasible"] is not None:
                lines = [record_from_dict(UnmetLine, line) for line in payload["infeasible"]]
                draft.infeasible = InfeasibleQuote(lines)
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreError(f"The unsaved quote is damaged and cannot be read ({exc!r}).") from exc
        return draft

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
            revision_of=based_on,
        )
        draft.choices.split_lines = request.policy.split_lines
        draft.choices.quotes_hold = request.policy.quotes_hold
        draft.kept_metric = kept_metric(request)
        return draft


def inputs_of(payload: dict[str, Any]) -> QuoteInputs:
    """The inputs a quote answers, from an ``inputs_payload``; a blank line
    (just added, nothing typed yet) asks for nothing and changes nothing."""
    choices = payload["choices"]
    metric = payload.get("metric") or payload.get("kept_metric")
    source = metric["source"] if metric else {}
    return QuoteInputs(
        site=(payload["lpa"].strip(), payload["nca"].strip()),
        demand=tuple(_line_asked(row) for row in payload["rows"] if any(_line_asked(row))),
        options=(
            *((name, _typed(choices[name])) for name in sorted(choices)),
            ("metric", f"{source.get('file_name', '')} {source.get('sha256', '')}".strip()),
            ("suo", _typed(payload.get("suo", True))),
            ("onsite", _onsite_mode(payload)),
        ),
    )


def _onsite_mode(payload: dict[str, Any]) -> str:
    onsite = payload.get("onsite") or (payload.get("kept_metric") or {}).get("onsite")
    return (onsite or {}).get("mode", "")


def _row_payload(row: DemandRow) -> dict[str, Any]:
    return {
        "habitat": row.habitat or "",
        "units": None if row.units is None else fraction_text(row.units),
        "units_typed": row.units_typed,
        "habitat_typed": row.habitat_typed,
    }


def _line_asked(row: dict[str, Any]) -> tuple[str, str]:
    """A demand line as compared: its habitat (or the text left in the picker)
    and its exact units (or the text typed, while it does not read as units),
    so '1.20' and '1.2' ask the same and '1,5' differs from '15'."""
    habitat = row["habitat"].strip() or row["habitat_typed"].strip()
    units = row["units"] if row["units"] is not None else row["units_typed"].strip()
    return habitat, units


def _typed(value: Any) -> str:
    """A value as compared: numbers by their exact value (1.0 and 1 alike),
    text as typed (so '1,5' and '15' differ)."""
    if value is None:
        return ""
    if isinstance(value, int | float | Fraction) and not isinstance(value, bool):
        try:
            return str(to_fraction(value))
        except ValueError:
            return str(value)
    return str(value)
