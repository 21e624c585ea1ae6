"""bng crm setup|status|push — saved quotes to the team's CRM (Attio), off by default.

    bng crm setup --url https://api.attio.com --object quotes --token-stdin
    bng crm setup --off
    bng crm status
    bng crm push

The token is read from standard input and kept in the system keyring (or in
memory for this run only where there is none); never in a file or a log.
Exit status 1 when a push left quotes waiting because of an error.
"""

from __future__ import annotations

import argparse
import sys

from ..crm import CrmSettings
from ..workspace import Workspace

LOADS_REFERENCE = False


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("crm", help="send saved quotes to the team's CRM")
    sub = parser.add_subparsers(dest="action", required=True)
    setup = sub.add_parser("setup", help="turn the CRM push on or off")
    setup.add_argument("--url", help="the CRM's API address (default: Attio's)")
    setup.add_argument("--object", dest="object_slug", help="the CRM object quotes go to")
    setup.add_argument("--token-stdin", action="store_true", help="read the token from stdin")
    setup.add_argument("--off", action="store_true", help="stop sending quotes to the CRM")
    sub.add_parser("status", help="what is set up and what waits")
    sub.add_parser("push", help="send the quotes that are due now")


def run(workspace: Workspace, args: argparse.Namespace) -> int:
    return {"setup": _setup, "status": _status, "push": _push}[args.action](workspace, args)


def _setup(workspace: Workspace, args: argparse.Namespace) -> int:
    current = workspace.crm.settings()
    chosen = CrmSettings(
        enabled=not args.off,
        base_url=args.url or current.base_url,
        object_slug=args.object_slug or current.object_slug,
    )
    token = sys.stdin.readline().strip() if args.token_stdin else None
    workspace.crm.configure(chosen, token)
    print(f"CRM push {'on' if chosen.enabled else 'off'}: {chosen.base_url} → {chosen.object_slug}")
    if chosen.enabled and not workspace.crm.active():
        print("No token is set yet: run again with --token-stdin.", file=sys.stderr)
    return 0


def _status(workspace: Workspace, args: argparse.Namespace) -> int:
    settings, state = workspace.crm.settings(), workspace.crm.state()
    where = f"{settings.base_url} → {settings.object_slug}"
    print(f"CRM push {'on' if workspace.crm.active() else 'off'} ({where})")
    print(f"{state.waiting} waiting, {state.sent} sent")
    if state.last_error:
        print(f"Last problem: {state.last_error}")
    return 0


def _push(workspace: Workspace, args: argparse.Namespace) -> int:
    result = workspace.crm.push_due()
    print(f"{result.message} {result.waiting} waiting.")
    return 0 if result.sent or not result.waiting else 1
