"""The headless command line: the same capabilities as the app.

    bng [--data-dir DIR] [--quiet] reference import|export|list ...
    bng [--data-dir DIR] quote --demand FILE.csv --lpa NAME --nca NAME ...
    bng [--data-dir DIR] history list|show|export|delete|requote ...
    bng [--data-dir DIR] locate --postcode PC | --address TEXT | --point LAT,LON [--offline]
    bng [--data-dir DIR] metric read FILE.xlsx [--json OUT] [--csv OUT]
    bng [--data-dir DIR] doctor
    bng [--data-dir DIR] central init|upgrade|status|publish|add-user|remove-user|users|audit ...
    bng [--data-dir DIR] sync [--url URL]
    bng [--data-dir DIR] crm setup|status|push

Each command group is a module here with ``add_parser(subparsers)`` and
``run(workspace, args)``; COMMANDS lists them (one with ``LOADS_REFERENCE =
False`` runs without the first-run sample being loaded). Exit status: 0
success, 1 a refusal or failure explained on stderr (and in the --json file
when asked), 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .. import __version__
from ..core.errors import BngError
from ..io.quote_json import error_to_json
from ..workspace import Workspace
from . import central, crm, doctor, history, locate, metric, quote, reference, sync
from .output import write_json

COMMANDS = {
    "reference": reference,
    "quote": quote,
    "history": history,
    "locate": locate,
    "metric": metric,
    "doctor": doctor,
    "central": central,
    "sync": sync,
    "crm": crm,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bng", description="Quote Biodiversity Net Gain units.")
    parser.add_argument("--version", action="version", version=f"bng-desktop {__version__}")
    parser.add_argument("--data-dir", help="folder of the local store (default: per-user)")
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module in COMMANDS.values():
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    json_out = getattr(args, "json_out", None)
    try:
        with Workspace.open(args.data_dir) as workspace:
            module = COMMANDS[args.command]
            loaded = workspace.ensure_reference() if _loads_reference(module) else None
            if loaded is not None:
                print(
                    "First run: loaded the bundled SAMPLE reference data "
                    "(invented banks and prices).",
                    file=sys.stderr,
                )
            return module.run(workspace, args)
    except BngError as error:
        if json_out:
            write_json(error_to_json(error), json_out)
        print(f"bng: {error}", file=sys.stderr)
        return 1


def _loads_reference(module) -> bool:
    return getattr(module, "LOADS_REFERENCE", True)
