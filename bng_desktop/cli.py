"""The headless command line: the same capabilities as the app.

    bng [--data-dir DIR] [--quiet] reference import|export|list ...
    bng [--data-dir DIR] quote --demand FILE.csv --lpa NAME --nca NAME ...
    bng [--data-dir DIR] history list|show|export|delete|requote ...

Exit status: 0 success, 1 a refusal or failure explained on stderr (and in
the --json file when asked), 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .cli_progress import ProgressBar
from .cli_text import print_history, print_quote, print_versions
from .core.errors import BngError, PolicyError
from .core.model import Site
from .core.policy import policy_from_mapping
from .core.result import Quote, QuoteRequest
from .io.demand_csv import read_demand_csv
from .io.excel_quote import write_quote_workbook
from .io.quote_json import error_to_json, quote_to_json
from .workspace import Workspace


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bng", description="Quote Biodiversity Net Gain units.")
    parser.add_argument("--version", action="version", version=f"bng-desktop {__version__}")
    parser.add_argument("--data-dir", help="folder of the local store (default: per-user)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    commands = parser.add_subparsers(dest="command", required=True)
    _reference_commands(commands.add_parser("reference", help="reference data versions"))
    _quote_command(commands.add_parser("quote", help="quote a demand file"))
    _history_commands(commands.add_parser("history", help="saved quotes"))
    return parser


def _reference_commands(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    imp = sub.add_parser("import", help="validate a backend workbook and make it current")
    imp.add_argument("file", type=Path)
    imp.add_argument("--label", default="")
    exp = sub.add_parser("export", help="write a version back as a backend workbook")
    exp.add_argument("file", type=Path)
    exp.add_argument("--version", type=int, dest="version_id")
    lst = sub.add_parser("list", help="the stored versions, newest first")
    lst.add_argument("--json", action="store_true")


def _quote_command(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--demand", type=Path, required=True, help="CSV: habitat_name,units_required"
    )
    parser.add_argument("--lpa", default="", help="the site's local planning authority")
    parser.add_argument("--nca", default="", help="the site's National Character Area")
    parser.add_argument("--lpa-neighbours", default=None, help='"A;B" (default: bundled list)')
    parser.add_argument("--nca-neighbours", default=None, help='"C;D" (default: stored list)')
    parser.add_argument("--policy", type=Path, help="JSON file of policy overrides")
    parser.add_argument("--solver", choices=("auto", "highs", "cbc", "greedy"))
    parser.add_argument("--split-lines", action="store_true", help="let a line use several banks")
    parser.add_argument("--client", default="", help="client name (for --save and the Excel)")
    parser.add_argument("--json", dest="json_out", help="write the quote as JSON ('-': stdout)")
    parser.add_argument("--xlsx", type=Path, help="write the client Excel quote")
    parser.add_argument("--save", action="store_true", help="save to the quote history")
    parser.add_argument("--no-cache", action="store_true", help="ignore the result cache")


def _history_commands(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    lst = sub.add_parser("list", help="search saved quotes")
    for name in ("client", "reference", "lpa", "nca"):
        lst.add_argument(f"--{name}")
    lst.add_argument("--from", dest="date_from", help="YYYY-MM-DD")
    lst.add_argument("--to", dest="date_to", help="YYYY-MM-DD")
    lst.add_argument("--limit", type=int, default=100)
    lst.add_argument("--json", action="store_true")
    show = sub.add_parser("show", help="one saved quote")
    show.add_argument("reference")
    show.add_argument("--json", dest="json_out")
    export = sub.add_parser("export", help="a saved quote as the client Excel quote")
    export.add_argument("reference")
    export.add_argument("file", type=Path)
    delete = sub.add_parser("delete", help="delete a saved quote (needs --yes)")
    delete.add_argument("reference")
    delete.add_argument("--yes", action="store_true", help="confirm the deletion")
    requote = sub.add_parser("requote", help="re-quote on the current reference version")
    requote.add_argument("reference")
    requote.add_argument("--copy", action="store_true", help="keep the old lines as they were")
    requote.add_argument("--save", action="store_true", help="save as the next revision R.n")
    requote.add_argument("--json", dest="json_out")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    json_out = getattr(args, "json_out", None)
    try:
        with Workspace.open(args.data_dir) as workspace:
            return _dispatch(workspace, args)
    except BngError as error:
        if json_out:
            _write_json(error_to_json(error), json_out)
        print(f"bng: {error}", file=sys.stderr)
        return 1


def _dispatch(workspace: Workspace, args: argparse.Namespace) -> int:
    loaded = workspace.ensure_reference()
    if loaded is not None:
        print(
            "First run: loaded the bundled SAMPLE reference data (invented banks and prices).",
            file=sys.stderr,
        )
    handler = {"reference": _reference, "quote": _quote, "history": _history}[args.command]
    return handler(workspace, args)


def _reference(workspace: Workspace, args: argparse.Namespace) -> int:
    if args.action == "import":
        version = workspace.import_reference(args.file, label=args.label)
        print(
            f"Imported {args.file.name} as reference version {version.version_id} "
            f"({version.content_hash[:12]}); it is now current."
        )
        for warning in version.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    elif args.action == "export":
        path = workspace.export_reference(args.file, args.version_id)
        print(f"Wrote {path}")
    else:
        print_versions(workspace.references.list_versions(), as_json=args.json)
    return 0


def _quote(workspace: Workspace, args: argparse.Namespace) -> int:
    request = _request(workspace, args)
    quote = _run(
        workspace,
        args,
        lambda bar: workspace.quote(request, progress=bar, use_cache=not args.no_cache),
    )
    reference = ""
    if args.save:
        saved = workspace.save_quote(quote, client_name=args.client)
        reference = saved.reference
        print(f"Saved as {reference}", file=sys.stderr)
    _emit(quote, args, reference)
    return 0


def _request(workspace: Workspace, args: argparse.Namespace) -> QuoteRequest:
    demand = read_demand_csv(args.demand)
    policy = workspace.snapshot().default_policy
    if args.policy:
        policy = policy_from_mapping(_read_policy_file(args.policy), base=policy)
    overrides: dict[str, Any] = {}
    if args.solver:
        overrides["solver"] = args.solver
    if args.split_lines:
        overrides["split_lines"] = True
    site = Site(
        lpa=args.lpa.strip(),
        nca=args.nca.strip(),
        lpa_neighbours=_names(args.lpa_neighbours),
        nca_neighbours=_names(args.nca_neighbours),
    )
    return QuoteRequest(site=site, demand=demand, policy=policy.with_overrides(overrides))


def _names(text: str | None) -> tuple[str, ...]:
    return tuple(n.strip() for n in (text or "").split(";") if n.strip())


def _read_policy_file(path: Path) -> dict[str, Any]:
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise PolicyError(f"Cannot read the policy file {path.name}: {exc}") from exc
    if not isinstance(values, dict):
        raise PolicyError(f"The policy file {path.name} must hold a JSON object")
    return values


def _run(workspace: Workspace, args: argparse.Namespace, work) -> Quote:
    bar = ProgressBar(enabled=not args.quiet)
    try:
        return work(bar)
    finally:
        bar.finish()


def _emit(quote: Quote, args: argparse.Namespace, reference: str) -> None:
    if args.json_out:
        _write_json(quote_to_json(quote, reference=reference), args.json_out)
    if getattr(args, "xlsx", None):
        write_quote_workbook(quote, args.xlsx, reference=reference, client_name=args.client)
        print(f"Wrote {args.xlsx}", file=sys.stderr)
    if args.json_out != "-":
        print_quote(quote, reference)


def _history(workspace: Workspace, args: argparse.Namespace) -> int:
    repo = workspace.quotes
    if args.action == "list":
        found = repo.search(
            client=args.client,
            reference=args.reference,
            lpa=args.lpa,
            nca=args.nca,
            date_from=args.date_from,
            date_to=args.date_to,
            limit=args.limit,
        )
        print_history(found, as_json=args.json)
    elif args.action == "show":
        saved = repo.get(args.reference)
        if args.json_out:
            _write_json(quote_to_json(saved.quote, reference=saved.reference), args.json_out)
        if args.json_out != "-":
            print(
                f"{saved.reference}  client: {saved.client_name or '-'}  saved {saved.created_at}"
            )
            print_quote(saved.quote, saved.reference)
    elif args.action == "export":
        saved = repo.get(args.reference)
        write_quote_workbook(
            saved.quote, args.file, reference=saved.reference, client_name=saved.client_name
        )
        print(f"Wrote {args.file}")
    elif args.action == "delete":
        repo.delete(args.reference, confirm=args.yes)
        print(f"Deleted {args.reference}")
    else:
        return _requote(workspace, args)
    return 0


def _requote(workspace: Workspace, args: argparse.Namespace) -> int:
    quote = _run(
        workspace,
        args,
        lambda bar: workspace.requote(args.reference, copy_lines=args.copy, progress=bar),
    )
    reference = ""
    if args.save:
        reference = workspace.save_revision(args.reference, quote).reference
        print(f"Saved as {reference}", file=sys.stderr)
    args.xlsx, args.client = None, ""
    _emit(quote, args, reference)
    return 0


def _write_json(payload: dict[str, Any], target: str) -> None:
    text = json.dumps(payload, indent=1, ensure_ascii=False)
    if target == "-":
        print(text)
    else:
        Path(target).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
