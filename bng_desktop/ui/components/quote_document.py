"""A saved quote as a document, read-only: who and when, the site, the demand,
the allocation, the totals, the metric it came from, the client's table, and
how it was worked out (plain words, folded away)."""

from __future__ import annotations

from nicegui import ui

from ...core.allocation_table import allocation_rows
from ...core.dates import uk_datetime
from ...core.onsite_plan import describe_onsite
from ...core.plain_terms import located_text, policy_rows, solver_rows
from ...core.report import client_report
from ...core.result import Quote
from ...core.rounding import display_unit_price, display_units, format_money
from ...store import SavedQuote
from ...store.quote_rows import base_of
from .client_view import client_view

DEMAND_COLUMNS = [
    {"name": "number", "label": "#", "field": "number", "align": "right"},
    {"name": "habitat", "label": "Habitat lost", "field": "habitat", "align": "left"},
    {"name": "band", "label": "Distinctiveness", "field": "band", "align": "left"},
    {"name": "type", "label": "Unit type", "field": "type", "align": "left"},
    {"name": "units", "label": "Units", "field": "units", "align": "right"},
]
ALLOCATION_COLUMNS = [
    {"name": "demand", "label": "Habitat lost", "field": "demand", "align": "left"},
    {"name": "bank", "label": "Bank", "field": "bank", "align": "left"},
    {"name": "supply", "label": "Habitat supplied", "field": "supply", "align": "left"},
    {"name": "tier", "label": "Tier", "field": "tier", "align": "left"},
    {"name": "units", "label": "Units", "field": "units", "align": "right"},
    {"name": "price", "label": "£ per unit", "field": "price", "align": "right"},
    {"name": "cost", "label": "Cost", "field": "cost", "align": "right"},
]


def version_label(saved: SavedQuote) -> str:
    if saved.revision:
        return f"re-quote {saved.revision} of {base_of(saved.reference)}"
    return "the original quote"


def quote_document(saved: SavedQuote, *, from_team: bool, made_on: str) -> None:
    """The whole quote; ``made_on`` names the reference data it was priced on."""
    quote = saved.quote
    _who_and_when(saved, from_team, made_on)
    with (
        ui.element("div")
        .classes("w-full grid gap-4")
        .style("grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr))")
    ):
        _site(quote)
        _totals(quote)
    _section("Demand", "document-demand")
    _table(DEMAND_COLUMNS, _demand_rows(quote), "document-demand-table")
    _section("Allocation", "document-allocation")
    _table(ALLOCATION_COLUMNS, _allocation_rows(quote), "document-allocation-table")
    if quote.request.metric is not None:
        _metric(quote)
    with ui.expansion("What the client receives", icon="description").classes("w-full"):
        client_view(quote)
    with (
        ui.expansion("How it was worked out", icon="info")
        .classes("w-full")
        .mark("document-details")
    ):
        how_it_was_worked_out(quote)


def _who_and_when(saved: SavedQuote, from_team: bool, made_on: str) -> None:
    author = saved.author or "this desktop"
    whose = "a colleague's quote, from the team's database" if from_team else "saved here"
    ui.label(
        f"{_first_upper(version_label(saved))} · saved {uk_datetime(saved.created_at)} "
        f"by {author} ({whose})"
    ).classes("text-sm text-grey-8").mark("document-saved")
    ui.label(f"Priced on {made_on}").classes("text-sm text-grey-8")


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _section(title: str, marker: str) -> None:
    ui.label(title).classes("text-base font-medium mt-2").mark(marker)


def _facts(title: str, facts: list[tuple[str, str]], marker: str) -> None:
    with ui.card().props("flat bordered").classes("w-full").mark(marker):
        ui.label(title).classes("text-base font-medium")
        with (
            ui.element("div")
            .classes("grid gap-x-4 gap-y-1 text-sm")
            .style("grid-template-columns: minmax(8rem, max-content) minmax(0, 1fr)")
        ):
            for name, value in facts:
                ui.label(name).classes("text-grey-7")
                ui.label(value).classes("break-words")


def _site(quote: Quote) -> None:
    site = quote.request.site
    facts = [
        ("Site", site.label or "—"),
        ("Planning authority", site.lpa or "—"),
        ("National Character Area", site.nca or "—"),
        ("Placed", located_text(site.located_by, site.located_at)),
    ]
    _facts("Site", facts, "document-site")


def _totals(quote: Quote) -> None:
    report = client_report(quote)
    facts = [("Contract size", str(quote.contract_size).capitalize())]
    facts += [
        (f"{footer.label} ({footer.detail})" if footer.detail else footer.label, _money(footer))
        for footer in report.footer
    ]
    facts.append(("", report.note))
    _facts("Totals", facts, "document-totals")


def _money(footer) -> str:
    text = format_money(footer.amount)
    return f"{text} + VAT" if footer.kind == "total" else text


def _demand_rows(quote: Quote) -> list[dict]:
    facts = {ln.demand_index: ln for ln in quote.lines if ln.demand_index is not None}
    rows = []
    for index, line in enumerate(quote.request.demand):
        met = facts.get(index)
        rows.append(
            {
                "number": index + 1,
                "habitat": line.habitat_name,
                "band": (met.demand_band if met else "") or "—",
                "type": str(met.unit_type).capitalize() if met else "—",
                "units": display_units(line.units),
            }
        )
    return rows


def _allocation_rows(quote: Quote) -> list[dict]:
    return [
        {
            "demand": row.demand_habitat + (" (added by hand)" if row.kind == "manual" else ""),
            "bank": row.bank_name or row.bank_id,
            "supply": row.supply_habitat,
            "tier": row.tier or "—",
            "units": display_units(row.units_supplied),
            "price": format_money(display_unit_price(row.unit_price)),
            "cost": format_money(row.cost),
        }
        for row in allocation_rows(quote)
        if not row.is_part
    ]


def _table(columns: list[dict], rows: list[dict], marker: str) -> None:
    keyed = [{"id": n, **row} for n, row in enumerate(rows)]
    ui.table(columns=columns, rows=keyed, row_key="id").props(
        'dense flat bordered wrap-cells hide-pagination :rows-per-page-options="[0]"'
    ).classes("w-full").mark(marker)


def _metric(quote: Quote) -> None:
    source = quote.request.metric
    assert source is not None
    facts = [
        ("Workbook", source.file_name),
        ("Metric version", source.metric_version),
        ("Saved by", source.saved_by or "—"),
        ("Trading rules satisfied", source.trading_rules_satisfied or "—"),
    ]
    onsite = quote.request.onsite
    if onsite is not None:
        shown = (
            describe_onsite(onsite, quote.totals.display_total)
            if onsite.priced
            else onsite.mode.value
        )
        facts.append(("On-site offsetting", shown))
    _facts("Demand from the developer's metric", facts, "document-metric")


def how_it_was_worked_out(quote: Quote) -> None:
    how_found = solver_rows(quote.solver, adjusted_by_hand=quote.adjusted_by_hand)
    rows = [
        ("Reference data version", str(quote.reference_version)),
        ("Reference data fingerprint", quote.reference_hash[:16] + "…"),
        *((label, str(value)) for label, value in how_found),
        *((f"Policy — {label}", str(value)) for label, value in policy_rows(quote.request.policy)),
    ]
    rows += [("Warning", warning) for warning in quote.warnings]
    _facts("Details", rows, "document-engine")
