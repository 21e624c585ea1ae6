"""bng reference import|export|list|locate-banks|credit-prices"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..workspace import Workspace
from .credit_prices import add_credit_prices_parser, run_local
from .locate import add_locate_banks, run_locate_banks
from .option_values import output_file, version_id
from .targets import check_targets
from .text import print_versions


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("reference", help="reference data versions")
    sub = parser.add_subparsers(dest="action", required=True)
    imp = sub.add_parser("import", help="validate a backend workbook and make it current")
    imp.add_argument("file", type=Path)
    imp.add_argument("--label", default="")
    exp = sub.add_parser("export", help="write a version back as a backend workbook")
    exp.add_argument("file", type=output_file(".xlsx"))
    exp.add_argument("--version", type=version_id, dest="version_id", help="default: current")
    lst = sub.add_parser("list", help="the stored versions, newest first")
    lst.add_argument("--json", action="store_true", help="the list as JSON on stdout")
    add_locate_banks(sub)
    add_credit_prices_parser(sub, scope="this desktop", with_url=lambda parser: parser)


def run(workspace: Workspace, args: argparse.Namespace) -> int:
    if args.action == "import":
        version = workspace.import_reference(args.file, label=args.label)
        print(
            f"Imported {args.file.name} as reference version {version.version_id} "
            f"({version.content_hash[:12]}); it is now current."
        )
        for warning in version.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    elif args.action == "credit-prices":
        return run_local(workspace, args)
    elif args.action == "locate-banks":
        return run_locate_banks(workspace, args)
    elif args.action == "export":
        check_targets((args.file, "reference workbook"))
        path = workspace.export_reference(args.file, args.version_id)
        print(f"Wrote {path}")
    else:
        print_versions(workspace.references.list_versions(), as_json=args.json)
    return 0
