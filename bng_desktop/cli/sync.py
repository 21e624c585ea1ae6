"""bng sync [--url URL] — pull new reference data and team quotes, push saved quotes.

Prints what moved. Exits 3 when the central database could not be reached
and 1 when it refused, so scripts can tell; nothing local is lost either way.
"""

from __future__ import annotations

import argparse
import sys

from ..sync import SyncSettings
from ..sync.connection import password_in_url, strip_password
from ..workspace import Workspace
from .exit_code import ExitCode

LOADS_REFERENCE = False
"""A first sync takes the team's reference data, not the bundled sample."""


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("sync", help="sync with the team's central database")
    parser.add_argument("--url", help="postgresql://server:5432/database (default: saved)")
    parser.add_argument(
        "--remember", action="store_true", help="save --url (never a password) for later syncs"
    )
    parser.add_argument(
        "--status", action="store_true", help="show the sync status and log; do not connect"
    )


def run(workspace: Workspace, args: argparse.Namespace) -> int:
    sync = workspace.sync
    if args.status:
        print(sync.status().text)
        for entry in sync.log(10):
            print(f"{entry.finished_at[:19]}  {'ok' if entry.ok else 'failed'}  {entry.message}")
        return 0
    if args.remember and args.url:
        _remember(workspace, args.url)
    report = sync.sync(args.url)
    out = sys.stdout if report.ok else sys.stderr
    for line in report.lines():
        print(line, file=out)
    if not report.ok:
        print("bng sync: " + ("offline" if not report.online else "failed"), file=sys.stderr)
    if report.ok:
        return ExitCode.OK
    return ExitCode.REFUSED if report.online else ExitCode.ENVIRONMENT


def _remember(workspace: Workspace, url: str) -> None:
    """Save the URL for later syncs; a password in it is used for this run only
    (a ``?password=`` parameter is refused, by ``target``, before anything is saved)."""
    workspace.sync.target(url)
    current = workspace.sync.settings()
    workspace.sync.save_settings(
        SyncSettings(strip_password(url), current.user, current.interval_minutes, current.author)
    )
    if password_in_url(url):
        print(
            "The password in --url is used for this sync only and was not saved: type it "
            "on the Sync page (kept in the system keyring) or set BNG_CENTRAL_PASSWORD.",
            file=sys.stderr,
        )
