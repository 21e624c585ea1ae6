"""The CLI's JSON form of a quote: exact figures as numbers, plus the figures
a client sees (display_*). Other tools and tests rely on this layout."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..core.alternatives import Alternative
from ..core.errors import BngError, InfeasibleQuote
from ..core.impact import ImpactReport
from ..core.onsite_plan import OnSiteRecord, describe_onsite
from ..core.result import AllocationLine, Quote, Totals
from ..core.rounding import display_money, display_unit_price
from ..core.statutory_credits import StatutoryCredits, describe
from .metric.to_json import source_to_json


def quote_to_json(
    quote: Quote,
    *,
    reference: str = "",
    alternatives: tuple[Alternative, ...] | None = None,
) -> dict[str, Any]:
    """``alternatives`` None: not worked out (the key is then left out)."""
    site = quote.request.site
    totals = quote.totals
    out: dict[str, Any] = {
        "reference": reference or None,
        "reference_version": quote.reference_version,
        "reference_hash": quote.reference_hash,
        "contract_size": quote.contract_size.value,
        "pricing_size": quote.pricing_size.value,
        "bank_cap": quote.bank_cap,
        "total_demand": float(quote.total_demand),
        "site": {
            "lpa": site.lpa,
            "nca": site.nca,
            "lpa_neighbours": list(site.lpa_neighbours),
            "nca_neighbours": list(site.nca_neighbours),
            "located_by": site.located_by,
        },
        "lines": [line_to_json(ln) for ln in quote.lines],
        "banks_used": list(quote.banks_used),
        "subtotal": float(totals.subtotal),
        "suo_discount": float(totals.suo_discount),
        "admin_fee": float(totals.admin_fee),
        "total": float(totals.total),
        "display_subtotal": totals.display_subtotal,
        "display_suo_discount": totals.display_suo_discount,
        "display_admin_fee": display_money(totals.admin_fee),
        "display_total": totals.display_total,
        "vat": "excluded",
        "solver": {
            "name": quote.solver.name,
            "status": quote.solver.status,
            "optimal": quote.solver.optimal,
            "stages": list(quote.solver.stages),
            "seconds": quote.solver.seconds,
            "options": quote.solver.options,
            "bound": _maybe_float(quote.solver.bound),
            "gap_percent": _maybe_float(
                None if quote.solver.gap is None else quote.solver.gap * 100
            ),
        },
        "warnings": list(quote.warnings),
        "metric": source_to_json(quote.request.metric),
        "onsite": onsite_to_json(quote.request.onsite, quote.totals.display_total),
        "statutory_credits": credits_to_json(quote.statutory_credits, quote.totals),
    }
    if alternatives is not None:
        out["alternatives"] = [alternative_to_json(a) for a in alternatives]
    return out


def _percent(share: Fraction | None) -> Fraction | None:
    return None if share is None else share * 100


def _maybe_float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def alternative_to_json(alternative: Alternative) -> dict[str, Any]:
    return {
        "change": alternative.relaxation.value,
        "bank_id": alternative.bank_id or None,
        "description": alternative.description,
        "total": None if alternative.total is None else float(alternative.total),
        "difference": None if alternative.difference is None else float(alternative.difference),
        "proven": alternative.proven,
    }


def onsite_to_json(record: OnSiteRecord | None, shown_total: int) -> dict[str, Any] | None:
    """How the metric's on-site surplus was used: the mode, every transfer and
    both totals (None where a way had no quote, or, ``repriced_alone``, was
    not priced again for this quote); the summary gives this quote's way as
    the quote shows its total (``shown_total``)."""
    if record is None:
        return None
    return {
        "mode": record.mode.value,
        "transfers": [
            {
                "unit_type": t.unit_type.value,
                "from_surplus": t.surplus,
                "surplus_band": t.surplus_band.label,
                "to_deficit": t.deficit,
                "deficit_band": t.deficit_band.label,
                "units": float(t.units),
            }
            for t in record.transfers
        ],
        "metric_order_total": _money(record.metric_order_total),
        "optimised_total": _money(record.optimised_total),
        "saving": _money(record.saving),
        "repriced_alone": record.repriced_alone,
        "summary": describe_onsite(record, shown_total),
    }


def _money(amount: Fraction | None) -> float | None:
    return None if amount is None else float(amount)


def credits_to_json(credits: StatutoryCredits | None, totals: Totals) -> dict[str, Any] | None:
    """The same demand as statutory credits: per tier and in all, prices' date."""
    if credits is None:
        return None
    return {
        "tiers": [
            {
                "tier": tier.tier.value,
                "units": float(tier.units),
                "credits": float(tier.credits),
                "price_per_credit": float(tier.price_per_credit),
                "cost": float(tier.cost),
            }
            for tier in credits.tiers
        ],
        "credits": float(credits.credits),
        "total": float(credits.total),
        "display_total": display_money(credits.total),
        "saving": float(credits.saving_against(totals.total)),
        "prices_date": credits.prices_date,
        "unpriced": list(credits.unpriced),
        "vat": "excluded",
        "summary": describe(credits, totals.display_total),
    }


def line_to_json(line: AllocationLine) -> dict[str, Any]:
    return {
        "demand_index": line.demand_index,
        "demand_habitat": line.demand_habitat,
        "unit_type": line.unit_type.value,
        "kind": line.kind,
        "bank_id": line.bank_id,
        "bank_name": line.bank_name,
        "supply_habitat": line.supply_habitat,
        "tier": line.tier.value if line.tier else None,
        "units_supplied": float(line.units_supplied),
        "stock_use": {stock_id: float(units) for stock_id, units in line.stock_use},
        "unit_price": float(line.unit_price),
        "cost": float(line.cost),
        "display_unit_price": display_unit_price(line.unit_price),
        "display_cost": display_money(line.cost),
        "price_source": line.price_source,
        "price_habitat": line.price_habitat,
        "paired_parts": [
            {
                "stock_id": p.stock_id,
                "habitat": p.habitat_name,
                "share": float(p.share),
                "unit_price": float(p.unit_price),
                "price_source": p.price_source,
                "stock_use": float(p.stock_use),
            }
            for p in line.paired_parts
        ],
    }


def error_to_json(error: BngError) -> dict[str, Any]:
    body: dict[str, Any] = {"kind": error.kind, "message": str(error), "lines": []}
    for key, value in getattr(error, "details", {}).items():  # e.g. a metric's sheet and cell
        body.setdefault(key, value)
    if isinstance(error, InfeasibleQuote):
        body["lines"] = [
            {
                "demand_index": u.demand_index,
                "habitat_name": u.habitat_name,
                "code": u.code,
                "reason": u.reason,
                "action": u.action,
            }
            for u in error.lines
        ]
    problems = getattr(error, "problems", ())
    if problems:
        body["problems"] = [
            {
                "sheet": p.sheet,
                "row": p.row,
                "column": p.column,
                "value": _jsonable(p.value),
                "expected": p.expected,
                "hint": p.hint,
                "message": str(p),
            }
            for p in problems
        ]
    return {"error": body}


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


def impact_to_json(report: ImpactReport) -> dict[str, Any]:
    return {
        "version_id": report.version_id,
        "summary": report.summary,
        "rows": [
            {
                "reference": row.reference,
                "client": row.client_name,
                "old_total": float(row.old_total),
                "new_total": None if row.new_total is None else float(row.new_total),
                "change": None if row.change is None else float(row.change),
                "outcome": row.outcome.value,
            }
            for row in report.rows
        ],
    }
