"""Saved-quote records and their rows: what the quote and quote_line tables hold."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from ..core.exact import fraction_text
from ..core.result import Quote
from .codec import dumps, line_to_dict, quote_from_dict, quote_to_dict
from .tables import QuoteRow

REFERENCE_PREFIX = "BNG-A-"
FIRST_NUMBER = 2025
REFERENCE_PATTERN = re.compile(r"^BNG-A-(\d{5,})(?:\.(\d+))?$")

SUMMARY_COLUMNS = tuple(c.name for c in QuoteRow.__table__.columns if c.name != "payload")


@dataclass(frozen=True)
class SavedQuote:
    """A quote as stored: its identity, who and when, and the exact Quote."""

    uuid: str
    reference: str
    base_reference: str
    revision: int
    client_name: str
    author: str
    created_at: str
    updated_at: str
    quote: Quote
    customer_uuid: str | None = None
    """The customer the quote is for, when one was chosen."""


@dataclass(frozen=True)
class QuoteSummary:
    """A row of the quote history (everything but the payload)."""

    uuid: str
    reference: str
    base_reference: str
    revision: int
    client_name: str
    author: str
    created_at: str
    updated_at: str
    reference_version_id: int | None
    lpa: str
    nca: str
    contract_size: str
    subtotal: float
    total: float
    display_total: int
    solver_name: str
    customer_uuid: str | None = None
    """The customer the quote is for, when one was chosen (customers.py)."""
    from_team: bool = False
    """A colleague's quote, pulled from the team's database: read-only here."""


def format_reference(number: int) -> str:
    """2025 → 'BNG-A-02025' (five digits at least)."""
    return f"{REFERENCE_PREFIX}{number:05d}"


def normalise_reference(reference: str) -> str:
    """References are matched without surrounding spaces and in upper case."""
    return str(reference).strip().upper()


def base_of(reference: str) -> str:
    """'BNG-A-02025.2' → 'BNG-A-02025'."""
    return normalise_reference(reference).split(".", 1)[0]


def quote_row(
    quote: Quote,
    *,
    uuid: str,
    reference: str,
    revision: int,
    client_name: str,
    author: str,
    now: str,
    reference_version_id: int | None,
    customer_uuid: str | None = None,
) -> dict[str, Any]:
    site = quote.request.site
    return {
        "uuid": uuid,
        "reference": reference,
        "base_reference": base_of(reference),
        "revision": revision,
        "client_name": client_name,
        "author": author,
        "created_at": now,
        "updated_at": now,
        "reference_version_id": reference_version_id,
        "lpa": site.lpa,
        "nca": site.nca,
        "contract_size": quote.contract_size.value,
        "subtotal": float(quote.totals.subtotal),
        "total": float(quote.totals.total),
        "display_total": quote.totals.display_total,
        "solver_name": quote.solver.name,
        "payload": dumps(quote_to_dict(quote)),
        "customer_uuid": customer_uuid,
    }


def line_rows(quote: Quote, quote_uuid: str) -> list[dict[str, Any]]:
    rows = []
    for position, line in enumerate(quote.lines):
        encoded = line_to_dict(line)
        rows.append(
            {
                "quote_uuid": quote_uuid,
                "position": position,
                "kind": line.kind,
                "demand_index": line.demand_index,
                "demand_habitat": line.demand_habitat,
                "unit_type": line.unit_type.value,
                "bank_id": line.bank_id,
                "bank_name": line.bank_name,
                "supply_habitat": line.supply_habitat,
                "tier": None if line.tier is None else line.tier.value,
                "units_supplied": fraction_text(line.units_supplied),
                "unit_price": fraction_text(line.unit_price),
                "cost": fraction_text(line.cost),
                "price_source": line.price_source,
                "stock_use": dumps(encoded["stock_use"]),
                "paired_parts": dumps(encoded["paired_parts"]),
            }
        )
    return rows


def saved_quote(row: Any) -> SavedQuote:
    """A SavedQuote from a full quote row (payload included)."""
    return SavedQuote(
        uuid=row.uuid,
        reference=row.reference,
        base_reference=row.base_reference,
        revision=row.revision,
        client_name=row.client_name,
        author=row.author,
        created_at=row.created_at,
        updated_at=row.updated_at,
        quote=quote_from_dict(json.loads(row.payload)),
        customer_uuid=row.customer_uuid,
    )


def quote_summary(row: Any) -> QuoteSummary:
    values = {name: getattr(row, name) for name in SUMMARY_COLUMNS}
    return QuoteSummary(**values, from_team=bool(getattr(row, "from_team", False)))
