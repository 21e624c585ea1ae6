"""Shared output helpers of the CLI commands."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..core.alternatives import Alternative
from ..core.errors import OutputError
from ..core.result import Quote
from ..io.excel_quote import write_quote_workbook
from ..io.quote_json import quote_to_json
from .progress import ProgressBar
from .text import print_quote

log = logging.getLogger(__name__)


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
    alternatives: Callable[[Quote], Sequence[Alternative] | None] = lambda quote: None,
) -> None:
    """JSON and Excel when asked (the Excel quote with ``alternatives(quote)``, what
    each constraint costs); the client view on stdout unless JSON went there.

    The targets were checked before quoting (targets.py); should a write still
    fail after the quote was saved as ``reference``, the error names it, so a
    retry exports that quote instead of saving it twice."""
    try:
        if json_out:
            write_json(quote_to_json(quote, reference=reference), json_out)
        if xlsx:
            write_quote_workbook(
                quote,
                xlsx,
                reference=reference,
                client_name=client,
                alternatives=alternatives(quote),
            )
            print(f"Wrote {xlsx}", file=sys.stderr)
    except Exception as error:
        if not reference:
            raise
        log.error("writing the files of the saved quote %s failed", reference, exc_info=error)
        raise saved_but_not_written(reference, error) from error
    if json_out != "-":
        print_quote(quote, reference)


def saved_but_not_written(reference: str, error: BaseException) -> OutputError:
    if isinstance(error, OSError):
        reason = f"{error.filename or 'a file'}: {error.strerror or error}"
    else:
        reason = f"{type(error).__name__}: {error}"
    return OutputError(
        f"The quote was saved as {reference}, but its files could not be written ({reason}). "
        f"Do not quote again (it would be saved twice): write them with "
        f"`bng history export {reference} FILE.xlsx` or `bng history show {reference} "
        "--json FILE.json`.",
        saved_reference=reference,
    )
