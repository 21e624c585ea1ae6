"""The Excel quote's Details sheet as rows: who, where, which reference data,
how the allocation was found and under which policy — each with a plain label
(core/plain_terms.py), never an engine name."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ..core.exact import fraction_text
from ..core.onsite_plan import describe_onsite
from ..core.plain_terms import located_text, policy_rows, solver_rows
from ..core.result import Quote
from ..core.rounding import display_units
from .metric.details import metric_details


def details_rows(
    quote: Quote, reference: str, client: str, created: datetime, extra: Mapping[str, str]
) -> list[tuple[str, Any]]:
    """Key/value rows: who, where, which data, how it was found, which policy."""
    site = quote.request.site
    rows: list[tuple[str, Any]] = [
        ("Reference", reference),
        ("Client", client),
        ("Created", created),
        ("Site", site.label),
        ("Site LPA", site.lpa),
        ("LPA neighbours", ", ".join(site.lpa_neighbours)),
        ("Site NCA", site.nca),
        ("NCA neighbours", ", ".join(site.nca_neighbours)),
        ("How the site was placed", located_text(site.located_by, site.located_at)),
        ("Contract size", str(quote.contract_size)),
    ]
    if quote.pricing_size != quote.contract_size:
        rows.append(("Priced at contract size", str(quote.pricing_size)))
    rows += [
        ("Most banks allowed", quote.bank_cap),
        ("Total demand (units)", float(quote.total_demand)),
        ("Total demand (exact fraction)", fraction_text(quote.total_demand)),
        ("Reference data version", quote.reference_version),
        ("Reference data fingerprint (SHA-256)", quote.reference_hash),
    ]
    rows += solver_rows(quote.solver, adjusted_by_hand=quote.adjusted_by_hand)
    rows += _suo_details(quote)
    rows += metric_details(quote.request.metric)
    rows += _onsite_details(quote)
    rows += [(f"Policy — {label}", value) for label, value in policy_rows(quote.request.policy)]
    rows += [("Warning", warning) for warning in quote.warnings] or [("Warnings", "none")]
    rows += [(str(key), str(value)) for key, value in extra.items()]
    return rows


def _onsite_details(quote: Quote) -> list[tuple[str, Any]]:
    """How the metric's surplus was used on site: the mode, both totals, every transfer."""
    onsite = quote.request.onsite
    if onsite is None:
        return []
    rows: list[tuple[str, Any]] = [("On-site offsetting", onsite.mode.value)]
    if onsite.priced:
        rows.append(
            ("On-site offsetting: both ways", describe_onsite(onsite, quote.totals.display_total))
        )
    rows += [
        (
            "On-site transfer",
            f"{t.surplus} ({t.surplus_band.label}) → {t.deficit} ({t.deficit_band.label}): "
            f"{display_units(t.units)}",
        )
        for t in onsite.transfers
    ]
    return rows


def _suo_details(quote: Quote) -> list[tuple[str, Any]]:
    if quote.suo is None:
        return [("Surplus uplift offset", "not applied")]
    suo = quote.suo
    return [
        ("Surplus uplift offset: eligible on-site surplus (units)", float(suo.eligible_surplus)),
        ("Surplus uplift offset: surplus counted (units)", float(suo.usable_surplus)),
        ("Surplus uplift offset: units supplied by the optimiser", float(suo.units_supplied)),
        ("Surplus uplift offset: discount", f"{fraction_text(suo.discount_fraction * 100)} %"),
    ]
