"""Step 5: the result — allocation, totals, client view, chart, map — or why
the demand cannot be met."""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Callable

from nicegui import ui

from ...core.adjust import shortfalls
from ...core.allocation_table import AllocationRow, allocation_rows
from ...core.bands import Tier
from ...core.diagnose import unmet_reason
from ...core.errors import InfeasibleQuote
from ...core.onsite_plan import describe_onsite
from ...core.plain_terms import line_number, not_proven_text, price_source_text
from ...core.result import Quote
from ...core.rounding import display_money, format_money
from ...core.statutory_credits import describe
from ...core.typed_units import units_text
from ..quote_state import QuoteDraft
from ..services import AppServices
from .alternatives_panel import AlternativesPanel
from .client_view import client_view
from .quote_document import how_it_was_worked_out

ALLOCATION_COLUMNS = [
    {"name": "line", "label": "Line", "field": "line", "align": "left"},
    {"name": "demand", "label": "Habitat lost", "field": "demand", "align": "left"},
    {"name": "bank", "label": "Bank", "field": "bank", "align": "left", "sortable": True},
    {"name": "supply", "label": "Habitat supplied", "field": "supply", "align": "left"},
    {"name": "tier", "label": "Tier", "field": "tier", "sortable": True},
    {"name": "units", "label": "Units", "field": "units", "align": "right"},
    {"name": "price", "label": "£/unit", "field": "price", "align": "right", "sortable": True},
    {"name": "cost", "label": "Cost", "field": "cost", "align": "right", "sortable": True},
    {"name": "actions", "label": "", "field": "line_id"},
]
"""What a consultant checks; stock use and price sources are under Details."""
SOURCE_COLUMNS = [
    {"name": "line", "label": "Line", "field": "line", "align": "left"},
    {"name": "bank", "label": "Bank", "field": "bank", "align": "left"},
    {"name": "source", "label": "Price from", "field": "source", "align": "left"},
    {"name": "stock", "label": "Stock used (id: units)", "field": "stock", "align": "left"},
]
ALL_ROWS = 'hide-pagination :rows-per-page-options="[0]"'
REMOVE_SLOT = r"""
<q-td :props="props">
  <q-btn v-if="props.row.line_id" flat dense round size="sm" icon="delete" color="grey-7"
         :aria-label="'Remove line ' + props.row.line + ' from the quote'"
         @click="() => $parent.$emit('remove', props.row)">
    <q-tooltip>Remove this line from the quote</q-tooltip>
  </q-btn>
</q-td>
"""


class ResultSection:
    def __init__(
        self,
        draft: QuoteDraft,
        services: AppServices,
        on_change: Callable[[], None],
        on_restore: Callable[[], None],
        keep_looking: Callable[[], None],
    ):
        self.draft = draft
        self.services = services
        self.on_change = on_change
        self.keep_looking = keep_looking
        self.stale = StaleBanner(on_restore)
        self.alternatives = AlternativesPanel(services)
        self.container = ui.column().classes("w-full gap-3").mark("result-section")
        self.render()

    def show_state(self) -> None:
        """Grey the result out (and say why) while it no longer answers the inputs."""
        state = self.draft.state()
        self.stale.show(state.message())
        if state.out_of_date:
            self.container.classes(add="opacity-40")
        else:
            self.container.classes(remove="opacity-40")
        self.container.props(f"aria-disabled={'true' if state.out_of_date else 'false'}")

    def render(self) -> None:
        self.show_state()
        self.container.clear()
        with self.container:
            if self.draft.infeasible is not None:
                infeasible_card(self.draft.infeasible, self.draft.line_numbers())
            elif self.draft.result is not None:
                self._quote(self.draft.result)
            else:
                with ui.card().classes("w-full items-center py-10"):
                    ui.icon("request_quote", size="xl", color="grey-5")
                    ui.label("The quote appears here.").classes("text-grey-7")

    def _quote(self, quote: Quote) -> None:
        summary_card(quote, self.keep_looking)
        self.alternatives.show(quote)
        with ui.tabs().classes("w-full") as tabs:
            allocation_tab = ui.tab("Allocation")
            client_tab = ui.tab("Client view")
            chart_tab = ui.tab("Cost by bank")
            map_tab = ui.tab("Map")
        with ui.tab_panels(tabs, value=allocation_tab).classes("w-full"):
            with ui.tab_panel(allocation_tab):
                self._allocation(quote)
            with ui.tab_panel(client_tab):
                client_view(quote)
            with ui.tab_panel(chart_tab):
                cost_chart(quote)
            with ui.tab_panel(map_tab):
                site_map(quote, self.services)
        quote_details(quote)

    def _allocation(self, quote: Quote) -> None:
        rows = [_table_row(row) for row in allocation_rows(quote)]
        table = (
            ui.table(columns=ALLOCATION_COLUMNS, rows=rows, row_key="key")
            .classes("w-full allocation-table")
            .props(f"dense flat wrap-cells {ALL_ROWS}")
            .mark("allocation")
        )
        table.add_slot("body-cell-actions", REMOVE_SLOT)
        table.on("remove", lambda e: self._remove(e.args.get("line_id", "")))

    def _remove(self, line_id: str) -> None:
        if self.draft.state().out_of_date:
            ui.notify(self.draft.state().message() + " before changing its lines.", type="warning")
            return
        self.draft.remove_result_line(line_id)
        ui.notify("Line removed; totals updated.")
        self.render()
        self.on_change()


class StaleBanner:
    """'The demand changed — get a new quote', with the way back to the quoted inputs."""

    def __init__(self, on_restore: Callable[[], None]):
        with (
            ui.card()
            .classes("w-full bg-amber-1 border-l-4 border-warning")
            .mark("stale-banner") as self.card
        ):
            with ui.row().classes("w-full items-center justify-between gap-2"):
                self.label = ui.label().classes("font-medium").mark("stale-message")
                ui.button("Put back the quoted inputs", on_click=on_restore).props(
                    "flat dense no-caps"
                ).mark("restore-inputs")
            ui.label("Save and Export to Excel wait until the quote is run again.").classes(
                "text-sm text-grey-8"
            )

    def show(self, message: str) -> None:
        self.label.set_text(message)
        self.card.set_visibility(bool(message))


def _table_row(row: AllocationRow) -> dict:
    if row.is_part:
        line = f"  part {row.part + 1} ({float(row.share):.0%})"
    elif row.kind == "manual":
        line = "manual"
    else:
        line = str(row.demand_number)
    return {
        "key": f"{row.position}-{row.part if row.is_part else '-'}",
        "line": line,
        "demand": row.demand_habitat,
        "bank": row.bank_name or row.bank_id or "—",
        "supply": row.supply_habitat,
        "tier": row.tier or "—",
        "units": units_text(row.units_supplied),
        "stock": row.stock_use_text,
        "price": format_money(round(row.unit_price)),
        "cost": format_money(display_money(row.cost)),
        "source": price_source_text(row.price_source),
        "line_id": "" if row.is_part else row.line_id,
    }


def quote_details(quote: Quote) -> None:
    """How the quote was found, folded away: optimiser, reference data,
    price sources, stock lines and policy, in plain words."""
    with ui.expansion("Details").classes("w-full").mark("quote-details"):
        rows = [_table_row(row) for row in allocation_rows(quote)]
        ui.table(columns=SOURCE_COLUMNS, rows=rows, row_key="key").classes("w-full").props(
            f"dense flat wrap-cells {ALL_ROWS}"
        ).mark("price-sources")
        how_it_was_worked_out(quote)


def banks_named(quote: Quote) -> str:
    """The banks the optimiser chose, by the names a consultant knows them by."""
    names = sorted({ln.bank_name or ln.bank_id for ln in quote.optimiser_lines})
    return f"{'bank' if len(names) == 1 else 'banks'}: {', '.join(names)}"


def summary_card(quote: Quote, keep_looking: Callable[[], None]) -> None:
    totals = quote.totals
    with ui.card().classes("w-full").mark("quote-summary"):
        with ui.row().classes("w-full items-baseline justify-between"):
            ui.label(f"{format_money(totals.display_total)} + VAT").classes(
                "text-2xl font-semibold"
            ).mark("quote-total")
            if quote.adjusted_by_hand:
                ui.label("Adjusted by hand — not the optimiser's answer").classes(
                    "text-sm text-orange-10 font-medium"
                ).mark("adjusted")
        if quote.solver.status == "time_limit" and not quote.adjusted_by_hand:
            not_proven(quote, keep_looking)
        for shortfall in shortfalls(quote) if quote.adjusted_by_hand else ():
            ui.label(f"⚠ {shortfall.text()}").classes("text-sm text-negative").mark("unmet-line")
        ui.label(
            f"Lines {format_money(totals.display_subtotal)}"
            + (
                f" − SUO {format_money(totals.display_suo_discount)}"
                if totals.display_suo_discount
                else ""
            )
            + f" + planning discharge pack {format_money(display_money(totals.admin_fee))} · "
            f"contract size {quote.contract_size.value} · {banks_named(quote)}"
        ).classes("text-sm")
        if quote.statutory_credits is not None:
            ui.label(describe(quote.statutory_credits, totals.display_total)).classes(
                "text-sm text-primary"
            ).mark("statutory-credits")
        onsite = quote.request.onsite
        if onsite is not None and onsite.priced:
            ui.label(describe_onsite(onsite, totals.display_total)).classes(
                "text-sm text-primary"
            ).mark("quote-onsite")
        metric = quote.request.metric
        if metric is not None:
            ui.label(
                f"Demand from the metric {metric.file_name} (version {metric.metric_version})"
            ).classes("text-sm text-grey-8").mark("quote-metric")
        for warning in quote.warnings:
            ui.label(f"⚠ {warning}").classes("text-sm text-warning")


def not_proven(quote: Quote, keep_looking: Callable[[], None]) -> None:
    """The time limit ended the search: how far the quote may be from the
    cheapest possible, and the way to let it look longer."""
    with (
        ui.row()
        .classes("w-full items-center justify-between gap-2 rounded bg-amber-1 px-3 py-1")
        .mark("not-proven")
    ):
        ui.label(not_proven_text(quote.solver)).classes("text-sm font-medium text-orange-10")
        ui.button(
            "Keep looking (longer time limit)", icon="manage_search", on_click=keep_looking
        ).props("flat dense no-caps").mark("keep-looking")


def infeasible_card(error: InfeasibleQuote, numbers: tuple[int, ...] = ()) -> None:
    """Each unmet line under its number in the demand editor (``numbers``),
    its reason naming the lines it conflicts with by those numbers too."""
    with ui.card().classes("w-full border-l-4 border-negative").mark("infeasible"):
        ui.label("The demand cannot be met as it stands").classes("text-lg font-medium")
        for line in error.lines:
            with ui.column().classes("gap-0"):
                number = line_number(line.demand_index, numbers)
                ui.label(f"Line {number}: {line.habitat_name}").classes("font-medium")
                ui.label(f"Why: {unmet_reason(line, numbers)}").classes("text-sm")
                if line.action:
                    ui.label(f"What would help: {line.action}").classes("text-sm text-primary")


def cost_chart(quote: Quote) -> None:
    cost: dict[str, dict[Tier, float]] = defaultdict(lambda: defaultdict(float))
    for line in quote.lines:
        bank = line.bank_name or line.bank_id or "Manual"
        cost[bank][line.tier or Tier.LOCAL] += float(line.cost)
    banks = sorted(cost)
    series = [
        {
            "name": tier.value,
            "type": "bar",
            "stack": "cost",
            "data": [round(cost[b].get(tier, 0.0)) for b in banks],
        }
        for tier in Tier
    ]
    ui.echart(
        {
            "tooltip": {"trigger": "axis"},
            "legend": {"data": [t.value for t in Tier]},
            "xAxis": {"type": "category", "data": banks},
            "yAxis": {"type": "value", "name": "£"},
            "series": series,
        }
    ).classes("w-full h-72").mark("cost-chart")


def site_map(quote: Quote, services: AppServices) -> None:
    snapshot = services.snapshot()
    site = quote.request.site
    points = [
        (bank.display_name, bank.lat, bank.lon)
        for bank_id in quote.banks_used
        if (bank := snapshot.banks.get(bank_id)) and bank.lat is not None and bank.lon is not None
    ]
    if site.lat is not None and site.lon is not None:
        points.insert(0, ("Site", site.lat, site.lon))
    if not points:
        ui.label(
            "No coordinates are known for the site or the chosen banks, so there is no map."
        ).classes("text-grey-7").mark("no-map")
        return
    ui.label("Map tiles need an internet connection; offline the map shows markers only.").classes(
        "text-xs text-grey-7"
    )
    centre = (points[0][1], points[0][2])
    leaflet = ui.leaflet(center=centre, zoom=8).classes("w-full h-80").mark("map")
    markers = [
        (leaflet.marker(latlng=(lat, lon), options={"alt": name}), name)
        for name, lat, lon in points
    ]

    def label_markers() -> None:
        """Once the map exists in the page (each time its tab is shown): before
        that, a layer method call is dropped."""
        for marker, name in markers:
            marker.run_method("bindTooltip", tooltip_html(name))

    leaflet.on("init", label_markers)


def tooltip_html(name: str) -> str:
    """Leaflet puts a tooltip's text in as HTML: a bank's name is data, escaped."""
    return html.escape(name)
