"""bng history list|show|export|delete|requote|impact"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.client_documents import ClientDocument, UnknownDocumentType
from ..core.errors import StoreError
from ..io.impact_workbook import write_impact_workbook
from ..io.quote_json import impact_to_json, quote_to_json
from ..workspace import OPEN_QUOTE_DAYS, Workspace
from .option_values import count, iso_date, json_target, output_file, version_id
from .output import emit_quote, with_progress, write_json
from .progress import ProgressBar
from .targets import check_targets
from .text import print_history, print_impact, print_quote


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("history", help="saved quotes")
    sub = parser.add_subparsers(dest="action", required=True)
    lst = sub.add_parser("list", help="search saved quotes")
    for name in ("client", "reference", "lpa", "nca", "author"):
        lst.add_argument(f"--{name}")
    whose = lst.add_mutually_exclusive_group()
    whose.add_argument("--team", action="store_true", help="only colleagues' synced quotes")
    whose.add_argument("--mine", action="store_true", help="only this desktop's quotes")
    lst.add_argument("--from", dest="date_from", type=iso_date, help="YYYY-MM-DD")
    lst.add_argument("--to", dest="date_to", type=iso_date, help="YYYY-MM-DD")
    lst.add_argument("--limit", type=count, default=100, help="at most this many (default 100)")
    lst.add_argument("--json", action="store_true", help="the list as JSON on stdout")
    show = sub.add_parser("show", help="one saved quote")
    show.add_argument("reference")
    show.add_argument("--json", dest="json_out", type=json_target, help="'-': stdout")
    export = sub.add_parser(
        "export",
        help="a saved quote as a client document: FILE.xlsx, FILE.pdf or FILE.eml",
        description="Write a saved quote as the client document FILE's ending names: "
        ".xlsx (Excel quote), .pdf (PDF quote) or .eml (client email, with the Excel "
        "quote and the developer's metric attached).",
    )
    export.add_argument("reference")
    export.add_argument("file", type=document_path, help="FILE.xlsx, FILE.pdf or FILE.eml")
    export.add_argument("--to", default="", help="with .eml: the client's email address")
    delete = sub.add_parser("delete", help="delete a saved quote (needs --yes)")
    delete.add_argument("reference")
    delete.add_argument("--yes", action="store_true", help="confirm the deletion")
    requote = sub.add_parser("requote", help="re-quote on the current reference version")
    requote.add_argument("reference")
    requote.add_argument("--copy", action="store_true", help="keep the old lines as they were")
    requote.add_argument("--save", action="store_true", help="save as the next revision R.n")
    requote.add_argument("--json", dest="json_out", type=json_target, help="'-': stdout")
    impact = sub.add_parser("impact", help="open quotes re-quoted on a reference version")
    impact.add_argument(
        "--version", dest="version_id", type=version_id, help="reference version (default: current)"
    )
    impact.add_argument(
        "--since",
        type=iso_date,
        help=f"quotes saved on or after YYYY-MM-DD (default: the last {OPEN_QUOTE_DAYS} days)",
    )
    impact.add_argument(
        "--xlsx", type=output_file(".xlsx"), help="write the table as an Excel workbook"
    )
    impact.add_argument(
        "--json", dest="json_out", type=json_target, help="write the table as JSON ('-': stdout)"
    )


def run(workspace: Workspace, args: argparse.Namespace) -> int:
    action = {
        "list": _list,
        "show": _show,
        "export": _export,
        "delete": _delete,
        "requote": _requote,
        "impact": _impact,
    }[args.action]
    return action(workspace, args)


def _list(workspace: Workspace, args: argparse.Namespace) -> int:
    found = workspace.quotes.search(
        client=args.client,
        reference=args.reference,
        lpa=args.lpa,
        nca=args.nca,
        author=args.author,
        team=True if args.team else (False if args.mine else None),
        date_from=args.date_from,
        date_to=args.date_to,
        limit=args.limit,
    )
    print_history(found, as_json=args.json)
    return 0


def _show(workspace: Workspace, args: argparse.Namespace) -> int:
    check_targets((args.json_out, "JSON"))
    saved = workspace.quotes.get(args.reference)
    if args.json_out:
        write_json(quote_to_json(saved.quote, reference=saved.reference), args.json_out)
    if args.json_out != "-":
        print(f"{saved.reference}  client: {saved.client_name or '-'}  saved {saved.created_at}")
        print_quote(saved.quote, saved.reference)
    return 0


def document_path(text: str) -> Path:
    """FILE of ``history export``: an unknown ending is a usage error (exit 2)."""
    try:
        ClientDocument.for_file_name(text)
    except UnknownDocumentType as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return Path(text)


def _export(workspace: Workspace, args: argparse.Namespace) -> int:
    check_targets((args.file, "client document"))
    written = workspace.export_quote(args.reference, args.file, recipient=args.to)
    carried = f" with {', '.join(written.attachments)} attached" if written.attachments else ""
    print(f"Wrote {written.path} ({written.document.label}{carried})")
    notes = list(written.notes)
    if args.to and written.document is not ClientDocument.EMAIL:
        notes.append(f"--to is for a client email (.eml); {written.path.name} has no addressee")
    for note in notes:
        print(f"bng: {note}", file=sys.stderr)
    return 0


def _delete(workspace: Workspace, args: argparse.Namespace) -> int:
    if not args.yes:
        raise StoreError(
            f"Deleting {args.reference} cannot be undone: run the command again with --yes "
            "to confirm."
        )
    workspace.quotes.delete(args.reference, confirm=True)
    print(f"Deleted {args.reference}")
    return 0


def _requote(workspace: Workspace, args: argparse.Namespace) -> int:
    check_targets((args.json_out, "JSON"))
    quote = with_progress(
        args,
        lambda bar: workspace.requote(args.reference, copy_lines=args.copy, progress=bar),
    )
    reference = ""
    if args.save:
        reference = workspace.save_revision(args.reference, quote).reference
        print(f"Saved as {reference}", file=sys.stderr)
    emit_quote(quote, reference, json_out=args.json_out)
    return 0


def _impact(workspace: Workspace, args: argparse.Namespace) -> int:
    check_targets((args.json_out, "JSON"), (args.xlsx, "impact workbook"))
    bar = ProgressBar(enabled=not args.quiet)
    try:
        report = workspace.impact(args.version_id, since=args.since, progress=bar)
    finally:
        bar.finish()
    if args.xlsx:
        write_impact_workbook(report, args.xlsx)
        print(f"Wrote {args.xlsx}", file=sys.stderr)
    if args.json_out:
        write_json(impact_to_json(report), args.json_out)
    if args.json_out != "-":
        print_impact(report)
    return 0
