"""bng quote --demand FILE.csv | --metric FILE.xlsx [--onsite metric|joint] --lpa NAME ...

With ``--metric`` the demand is what the metric leaves after offsetting on
site in its own order (``--onsite metric``, the default), or, with ``--onsite
joint``, on-site and off-site optimised together: both ways are then priced
and the quote records both totals. Either way it records the mode and every
on-site transfer."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..core.errors import DemandError
from ..core.metric import MetricImport
from ..core.model import Site
from ..core.onsite_plan import OnSiteMode
from ..core.progress import ProgressCallback
from ..core.result import Quote, QuoteRequest
from ..io.demand_csv import read_demand_csv
from ..io.policy_file import read_policy_file
from ..metric_import import apply_metric
from ..workspace import Workspace
from .metric import read_metric_for_quote
from .option_values import json_target, output_file, seconds
from .output import emit_quote, with_progress
from .targets import check_targets


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("quote", help="quote a demand file")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--demand", type=Path, help="CSV: habitat_name,units_required")
    source.add_argument(
        "--metric", type=Path, help="the developer's statutory metric workbook (.xlsx/.xlsm)"
    )
    parser.add_argument(
        "--no-suo", action="store_true", help="with --metric: no surplus uplift offset discount"
    )
    parser.add_argument(
        "--onsite",
        choices=("metric", "joint"),
        help="with --metric: offset on site in the metric's order (default) or optimise "
        "on-site and off-site together",
    )
    parser.add_argument("--lpa", default="", help="the site's local planning authority")
    parser.add_argument("--nca", default="", help="the site's National Character Area")
    parser.add_argument("--lpa-neighbours", default=None, help='"A;B" (default: bundled list)')
    parser.add_argument("--nca-neighbours", default=None, help='"C;D" (default: stored list)')
    parser.add_argument("--policy", type=Path, help="JSON file of policy overrides")
    parser.add_argument("--solver", choices=("auto", "highs", "cbc", "greedy"))
    parser.add_argument(
        "--time-limit",
        type=seconds,
        metavar="SECONDS",
        help="time the optimiser may take (default: the policy's); longer may prove cheapest",
    )
    parser.add_argument("--split-lines", action="store_true", help="let a line use several banks")
    parser.add_argument("--client", default="", help="client name (for --save and the Excel)")
    parser.add_argument(
        "--json", dest="json_out", type=json_target, help="write the quote as JSON ('-': stdout)"
    )
    parser.add_argument("--xlsx", type=output_file(".xlsx"), help="write the client Excel quote")
    parser.add_argument("--save", action="store_true", help="save to the quote history")
    parser.add_argument("--no-cache", action="store_true", help="ignore the result cache")
    parser.set_defaults(check_usage=lambda args: _metric_options_need_metric(parser, args))


def _metric_options_need_metric(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """``--onsite`` and ``--no-suo`` say how to read a metric: with ``--demand``
    they would be silently ignored, so they are a usage error there."""
    given = [
        option for option, value in (("--onsite", args.onsite), ("--no-suo", args.no_suo)) if value
    ]
    if given and not args.metric:
        verb = "go" if len(given) > 1 else "goes"
        parser.error(
            f"{' and '.join(given)} {verb} with --metric (a demand file has no on-site part)"
        )


def run(workspace: Workspace, args: argparse.Namespace) -> int:
    check_targets((args.json_out, "JSON"), (args.xlsx, "Excel quote"))
    request = build_request(workspace, args)
    if args.metric:
        imported = read_metric_for_quote(workspace, args.metric)
        quote = with_progress(
            args, lambda bar: _metric_quote(workspace, args, request, imported, bar)
        )
    else:
        quote = with_progress(
            args, lambda bar: workspace.quote(request, progress=bar, use_cache=not args.no_cache)
        )
    reference = ""
    if args.save:
        reference = workspace.save_quote(quote, client_name=args.client).reference
        print(f"Saved as {reference}", file=sys.stderr)
    emit_quote(
        quote,
        reference,
        json_out=args.json_out,
        xlsx=args.xlsx,
        client=args.client,
        alternatives=workspace.alternatives_for_documents,
    )
    return 0


def build_request(workspace: Workspace, args: argparse.Namespace) -> QuoteRequest:
    demand = read_demand_csv(args.demand) if args.demand else ()
    policy = workspace.snapshot().default_policy
    if args.policy:
        policy = read_policy_file(args.policy, base=policy)
    overrides: dict[str, Any] = {}
    if args.solver:
        overrides["solver"] = args.solver
    if args.split_lines:
        overrides["split_lines"] = True
    if args.time_limit is not None:
        overrides["time_limit_seconds"] = args.time_limit
    site = Site(
        lpa=args.lpa.strip(),
        nca=args.nca.strip(),
        lpa_neighbours=_names(args.lpa_neighbours),
        nca_neighbours=_names(args.nca_neighbours),
    )
    return QuoteRequest(site=site, demand=demand, policy=policy.with_overrides(overrides))


def _metric_quote(
    workspace: Workspace,
    args: argparse.Namespace,
    request: QuoteRequest,
    imported: MetricImport,
    bar: ProgressCallback,
) -> Quote:
    """The metric's order alone (as fast as any quote), or with ``--onsite joint``
    both ways priced side by side and the joint answer taken."""
    suo, cached = not args.no_suo, not args.no_cache
    mode = OnSiteMode.parse(args.onsite) if args.onsite else OnSiteMode.METRIC_ORDER
    if mode is OnSiteMode.METRIC_ORDER:
        ordered = apply_metric(request, imported, suo=suo)
        return workspace.quote(ordered, progress=bar, use_cache=cached)
    compared = workspace.compare_onsite(request, imported, suo=suo, progress=bar, use_cache=cached)
    chosen = compared.optimised
    if chosen.quote is None:
        raise chosen.error or DemandError("the metric's demand could not be quoted")
    return chosen.quote


def _names(text: str | None) -> tuple[str, ...]:
    return tuple(n.strip() for n in (text or "").split(";") if n.strip())
