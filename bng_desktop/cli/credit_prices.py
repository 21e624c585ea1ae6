"""bng reference credit-prices set|list, and bng central credit-prices set|list (admins).

``set FILE.csv --from DATE`` reads a prices file (the columns of the bundled
credit_prices.csv: tier, price_per_credit_gbp) and makes it the statutory
credit prices in force from DATE: on this desktop (``reference``), or for the
whole team (``central``: this desktop at once, the others at their next sync).
Quotes made on or after DATE are set beside these prices and say their date.
A DATE that already has prices is replaced only with ``--yes``, as
``bng history delete`` deletes only with it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

from ..core.errors import ReplaceNotConfirmed
from ..core.exact import fraction_text
from ..core.statutory_credits import CreditPrices, CreditTier, prices_words
from ..io.credit_prices_file import read_credit_prices
from ..workspace import Workspace
from .option_values import prices_day


def add_credit_prices_parser(
    sub, *, scope: str, with_url: Callable[[argparse.ArgumentParser], argparse.ArgumentParser]
) -> None:
    parser = sub.add_parser("credit-prices", help=f"statutory credit prices by date ({scope})")
    actions = parser.add_subparsers(dest="prices_action", required=True)
    chosen = with_url(actions.add_parser("set", help="set the prices in force from a date"))
    chosen.add_argument("file", type=Path, help="CSV: tier, price_per_credit_gbp")
    chosen.add_argument(
        "--from", dest="effective_from", type=prices_day, required=True, help="YYYY-MM-DD"
    )
    chosen.add_argument(
        "--yes", action="store_true", help="confirm replacing the prices the date already has"
    )
    with_url(actions.add_parser("list", help="every dated set of prices, oldest first"))


def run_local(workspace: Workspace, args: argparse.Namespace) -> int:
    if args.prices_action == "set":
        try:
            prices = workspace.set_credit_prices(args.file, args.effective_from, replace=args.yes)
        except ReplaceNotConfirmed as refused:
            raise ReplaceNotConfirmed(_ask_for_yes(str(refused))) from None
        print(f"Statutory credit {_dated(prices)} set from {args.file.name}.")
    else:
        print_price_sets(workspace.credit_price_sets())
    return 0


def run_central(workspace: Workspace, args: argparse.Namespace) -> int:
    if args.prices_action == "set":
        prices = read_credit_prices(args.file, args.effective_from)
        held = [
            p
            for p in workspace.sync.credit_prices(args.url)
            if p.effective_from == prices.effective_from
        ]
        if held and not args.yes:
            raise ReplaceNotConfirmed(
                _ask_for_yes(
                    f"The team's statutory credit {_words(prices)} are already set, "
                    f"from {held[0].source}; publishing again replaces them"
                )
            )
        workspace.sync.publish_credit_prices(prices, args.url)
        print(
            f"Statutory credit {_dated(prices)} published from {args.file.name}; "
            "desktops get them at next sync."
        )
    else:
        found = workspace.sync.credit_prices(args.url)
        print_price_sets(found)
        if not found:
            print("No credit prices in the team database yet (desktops use the bundled ones).")
    return 0


def _dated(prices: CreditPrices) -> str:
    return f"{_words(prices)} (in force from that day)"


def _words(prices: CreditPrices) -> str:
    return prices_words(prices.effective_from.isoformat())


def _ask_for_yes(refusal: str) -> str:
    return f"{refusal}: run the command again with --yes to confirm."


def print_price_sets(price_sets: Sequence[CreditPrices]) -> None:
    """One line per set: its date, its source and each tier's price per credit."""
    for prices in price_sets:
        tiers = "\t".join(
            f"{tier.value} {fraction_text(prices.prices[tier])}"
            for tier in CreditTier
            if tier in prices.prices
        )
        print(f"{prices.effective_from.isoformat()}\t{prices.source}\t{tiers}")
