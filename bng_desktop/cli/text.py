"""Plain-text output of the CLI: a quote as the client sees it, lists."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

from ..core.impact import ImpactReport
from ..core.onsite_plan import describe_onsite
from ..core.plain_terms import not_proven_text
from ..core.report import client_report
from ..core.result import Quote
from ..core.rounding import display_money, display_units, format_money
from ..core.statutory_credits import describe
from ..io.metric.details import metric_summary


def print_quote(quote: Quote, reference: str = "") -> None:
    report = client_report(quote)
    site = quote.request.site
    where = " / ".join(p for p in (site.lpa, site.nca) if p) or "no location (all banks far)"
    print(
        f"Quote {reference or '(not saved)'} — site: {where}; contract size "
        f"{quote.contract_size.value}; reference version {quote.reference_version}"
    )
    if quote.request.metric is not None:
        print(metric_summary(quote.request.metric))
    for section in report.sections:
        print(f"\n{section.title}")
        for row in section.rows:
            print(
                f"  {row.demand_distinctiveness or '-':8} {row.habitats_lost[:38]:38} "
                f"{display_units(row.units_lost):>7} → {row.habitats_supplied[:38]:38} "
                f"{display_units(row.units_supplied):>7} {format_money(row.price_per_unit):>9} "
                f"{format_money(row.cost):>10}"
            )
    print()
    for footer in report.footer:
        print(f"  {footer.label:>104} {format_money(footer.amount):>10}")
    print(f"  {report.note}")
    if quote.statutory_credits is not None:
        print(f"  {describe(quote.statutory_credits, quote.totals.display_total)}")
    onsite = quote.request.onsite
    if onsite is not None and onsite.priced:
        print(f"  {describe_onsite(onsite, quote.totals.display_total)}")
    solver = quote.solver
    timed_out = solver.status == "time_limit" and not quote.adjusted_by_hand
    proof = "proven cheapest" if solver.optimal else "not proven cheapest"
    print(
        f"  Solver: {solver.name}, {solver.status}"
        + ("" if timed_out else f" ({proof})")  # the next line says it, with the gap
        + f", {solver.seconds:.2f} s; banks: {', '.join(quote.banks_used) or '-'}"
    )
    if timed_out:
        print(f"  {not_proven_text(solver)}; to keep looking, run it again with --time-limit")
    for warning in quote.warnings:
        print(f"  ! {warning}")


def print_versions(versions: Sequence, *, as_json: bool = False) -> None:
    if as_json:
        print(json.dumps([asdict(v) for v in versions], indent=1, default=str))
        return
    if not versions:
        print("No reference data yet.")
    for v in versions:
        mark = "*" if v.is_current else " "
        counts = ", ".join(f"{k} {n}" for k, n in v.row_counts.items())
        print(
            f"{mark} v{v.version_id:<4} {v.created_at[:19]}  {v.source:30} {v.content_hash[:12]}"
            f"  {counts}"
        )


def print_history(found: Sequence, *, as_json: bool = False) -> None:
    if as_json:
        print(json.dumps([asdict(s) for s in found], indent=1, default=str))
        return
    if not found:
        print("No saved quotes match.")
    for s in found:
        print(
            f"{s.reference:14} {s.created_at[:16]:16} {(s.client_name or '-')[:24]:24} "
            f"{(s.lpa or '-')[:20]:20} {(s.nca or '-')[:20]:20} {format_money(s.display_total):>10}"
        )


def print_impact(report: ImpactReport) -> None:
    print(f"Reference version {report.version_id}: {report.summary}")
    for row in report.rows:
        new, change = "cannot be met", ""
        if row.new_total is not None and row.change is not None:
            new = format_money(display_money(row.new_total))
            change = format_money(display_money(row.change))
        print(
            f"  {row.reference:14} {row.client_name[:30]:30} "
            f"{format_money(display_money(row.old_total)):>10} {new:>14} {change:>10}"
        )
