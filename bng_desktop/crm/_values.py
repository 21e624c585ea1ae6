"""A saved quote as the CRM record's values (attribute slug → value)."""

from __future__ import annotations

from typing import Any

from ..core.dates import local
from ..core.report import client_report
from ..core.rounding import display_money, display_units
from ..store import SavedQuote

MATCHING_ATTRIBUTE = "reference"


def quote_values(saved: SavedQuote) -> dict[str, Any]:
    quote = saved.quote
    site = quote.request.site
    return {
        MATCHING_ATTRIBUTE: saved.reference,
        "client": saved.client_name,
        "site": site.label or " / ".join(p for p in (site.lpa, site.nca) if p),
        "total": display_money(quote.totals.total),
        "contract_size": quote.contract_size.value,
        "quote_date": local(saved.created_at).date().isoformat(),
        "allocation_summary": allocation_summary(saved),
    }


def allocation_summary(saved: SavedQuote) -> str:
    """One line per habitat supplied: units and cost, as the client sees them."""
    rows = [row for section in client_report(saved.quote).sections for row in section.rows]
    return "\n".join(
        f"{row.habitats_supplied}: {display_units(row.units_supplied)} units, £{row.cost:,}"
        for row in rows
    )
