"""bng locate (--postcode PC | --address TEXT | --point LAT,LON) [--offline]
and bng reference locate-banks (wired in reference.py)."""

from __future__ import annotations

import argparse
import json
import sys

from ..core.errors import LocationError
from ..workspace import Workspace
from .option_values import point, version_id
from .progress import ProgressBar


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "locate",
        help="look up a site's LPA, NCA and neighbours (prints JSON)",
        description="Services and cache: see bng_desktop/geo/config.py for the BNG_*_URL "
        "environment variables.",
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--postcode", help="a UK postcode, e.g. 'SO23 9LJ'")
    what.add_argument("--address", help="free text, e.g. '1 High Street, Winchester'")
    what.add_argument("--point", type=point, metavar="LAT,LON", help="e.g. 51.0632,-1.3081")
    parser.add_argument("--offline", action="store_true", help="answer from the cache only")


def run(workspace: Workspace, args: argparse.Namespace) -> int:
    service = workspace.location_service(offline=args.offline)
    if args.postcode is not None:
        location = service.locate_postcode(args.postcode)
    elif args.address is not None:
        location = service.locate_address(args.address)
    else:
        location = service.locate_point(*args.point)
    print(json.dumps(location.to_json(), indent=1, ensure_ascii=False))
    return 0


def add_locate_banks(actions) -> None:
    """The ``reference locate-banks`` action."""
    parser = actions.add_parser(
        "locate-banks", help="look up blank bank LPA/NCA from postcodes or coordinates"
    )
    parser.add_argument("--version", type=version_id, dest="version_id", help="default: current")
    parser.add_argument("--force", action="store_true", help="look up banks located before too")
    parser.add_argument("--offline", action="store_true", help="answer from the cache only")


def run_locate_banks(workspace: Workspace, args: argparse.Namespace) -> int:
    bar = ProgressBar(enabled=not args.quiet)
    try:
        batch = workspace.locate_banks(
            version_id=args.version_id,
            force=args.force,
            offline=args.offline,
            progress=lambda done, total, message: bar(message, done / max(total, 1), message),
        )
    finally:
        bar.finish()
    print(f"Located {len(batch.located)} bank(s); stored with the reference version.")
    for bank_id, reason in batch.failed:
        print(f"not located: {bank_id}: {reason}", file=sys.stderr)
    if batch.stopped:
        raise LocationError(f"stopped before every bank was tried: {batch.stopped}")
    return 0 if batch.complete else 1
