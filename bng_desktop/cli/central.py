"""bng central init|upgrade|status|publish — the admin's commands for the central database.

``--url`` names the central database (postgresql://server:5432/bng); without
it, BNG_CENTRAL_URL or the URL saved on the Sync page is used.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..workspace import Workspace

LOADS_REFERENCE = False
"""The central database is the subject here: the local sample is not loaded."""


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("central", help="the team's central PostgreSQL (admin)")
    sub = parser.add_subparsers(dest="action", required=True)
    for name, text in (
        ("init", "create the BNG schema in an empty database"),
        ("upgrade", "bring the central schema up to date"),
        ("status", "schema revision, reference versions and quotes"),
    ):
        _with_url(sub.add_parser(name, help=text))
    publish = _with_url(
        sub.add_parser("publish", help="publish a backend workbook as the team's version")
    )
    publish.add_argument("file", type=Path, nargs="?", help="the backend workbook (.xlsx)")
    publish.add_argument(
        "--local", action="store_true", help="publish this desktop's current version instead"
    )
    publish.add_argument("--label", default="")


def _with_url(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--url", help="postgresql://server:5432/database (default: saved)")
    return parser


def run(workspace: Workspace, args: argparse.Namespace) -> int:
    sync = workspace.sync
    if args.action == "init":
        revision = sync.central_init(args.url)
        print(f"Created the BNG schema (revision {revision}) in {sync.target(args.url).display}")
    elif args.action == "upgrade":
        revision = sync.central_upgrade(args.url)
        print(f"The central schema is at revision {revision}")
    elif args.action == "status":
        return _status(workspace, args)
    else:
        return _publish(workspace, args)
    return 0


def _status(workspace: Workspace, args: argparse.Namespace) -> int:
    state = workspace.sync.central_state(args.url)
    where = workspace.sync.target(args.url).display
    if state.revision is None:
        print(f"{where}: no BNG schema yet (run `bng central init`)")
        return 1
    behind = "" if state.up_to_date else f" — behind {state.head}: run `bng central upgrade`"
    print(f"{where}: schema {state.revision}{behind}")
    print(f"reference versions: {state.versions} (current: {state.current_version or 'none'})")
    print(f"quotes: {state.quotes}")
    return 0 if state.up_to_date else 1


def _publish(workspace: Workspace, args: argparse.Namespace) -> int:
    if args.local == bool(args.file):
        print("bng central publish: give a workbook, or --local (not both)", file=sys.stderr)
        return 2
    if args.local:
        published = workspace.sync.publish_local(url=args.url)
    else:
        published = workspace.sync.publish_workbook(args.file, url=args.url, label=args.label)
    if published.unchanged:
        print(
            f"Central version {published.central_id} already has this content; "
            "nothing new was published."
        )
    else:
        print(
            f"Published {published.source} as central reference version "
            f"{published.central_id} ({published.rows} rows); desktops switch to it "
            "at their next sync."
        )
    return 0
