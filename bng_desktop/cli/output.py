"""Shared output helpers of the CLI commands."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..core.result import Quote
from ..io.excel_quote import write_quote_workbook
from ..io.quote_json import quote_to_json
from .progress import ProgressBar
from .text import print_quote


def write_json(payload: dict[str, Any], target: str) -> None:
    """To a file, or to stdout when the target is '-'."""
    text = json.dumps(payload, indent=1, ensure_ascii=False)
    if target == "-":
        print(text)
    else:
        Path(target).write_text(text + "\n", encoding="utf-8")


def with_progress(args: argparse.Namespace, work: Callable[[ProgressBar], Quote]) -> Quote:
    bar = ProgressBar(enabled=not args.quiet)
    try:
        return work(bar)
    finally:
        bar.finish()


def emit_quote(
    quote: Quote,
    reference: str,
    *,
    json_out: str | None = None,
    xlsx: Path | None = None,
    client: str = "",
) -> None:
    """JSON and Excel when asked; the client view on stdout unless JSON went there."""
    if json_out:
        write_json(quote_to_json(quote, reference=reference), json_out)
    if xlsx:
        write_quote_workbook(quote, xlsx, reference=reference, client_name=client)
        print(f"Wrote {xlsx}", file=sys.stderr)
    if json_out != "-":
        print_quote(quote, reference)
