"""The headless command line: the same capabilities as the app.

    bng reference import|export|list ...
    bng quote --demand FILE.csv --lpa NAME --nca NAME ...
    bng history list|show|export|delete|requote ...
    bng locate --postcode PC | --address TEXT | --point LAT,LON [--offline]
    bng metric read FILE.xlsx [--json OUT] [--csv OUT]
    bng doctor
    bng central init|upgrade|status|publish|add-user|remove-user|users|audit ...
    bng sync [--url URL]
    bng crm setup|status|push

The global options ``--data-dir DIR`` and ``--quiet`` go anywhere on the line
(parsers.py). Each command group is a module here with ``add_parser(subparsers)``
and ``run(workspace, args)``; COMMANDS lists them (one with ``LOADS_REFERENCE =
False`` runs without the first-run sample being loaded). Every command ends in
a result or in a message on stderr, with the exit status of :class:`ExitCode`:
0 done, 1 an input refused, 2 a usage error, 3 the environment (data folder,
database, solver, network, a file to write). An unexpected error is logged
with its traceback in the log file and shown as one sentence naming that file.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from .. import __version__
from ..collector_policy import tune_collector
from ..core.errors import BngError
from ..io.quote_json import error_to_json
from ..logs import configure_logging
from ..settings import Paths, resolve_paths
from ..workspace import Workspace
from . import central, crm, doctor, history, locate, metric, quote, reference, sync
from .exit_code import ExitCode, exit_code_for
from .failures import data_folder_text, os_error_text, refusal_text, unexpected_text
from .output import write_json
from .parsers import BngParser, CommandParser, add_global_options

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


def build_parser() -> BngParser:
    parser = BngParser(prog="bng", description="Quote Biodiversity Net Gain units.")
    parser.add_argument("--version", action="version", version=f"bng-desktop {__version__}")
    add_global_options(parser, after_command=False)
    subparsers = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=CommandParser
    )
    for module in COMMANDS.values():
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    tune_collector()
    args = build_parser().parse_args(argv)
    if check_usage := getattr(args, "check_usage", None):
        check_usage(args)  # a command's own usage rules, beyond what argparse checks
    try:
        paths = resolve_paths(args.data_dir)
    except (OSError, RuntimeError) as error:  # e.g. a symbolic link that loops
        print(f"bng: the data folder {args.data_dir} cannot be used: {error}.", file=sys.stderr)
        return ExitCode.ENVIRONMENT
    log_file = _start_logging(paths)
    try:
        return int(_run(args, paths))
    except KeyboardInterrupt:
        print("bng: stopped (Ctrl+C).", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except Exception as error:
        _tell(args, unexpected_text(error, log_file), kind="unexpected")
        return ExitCode.ENVIRONMENT


def _run(args, paths: Paths) -> ExitCode | int:
    try:
        workspace = Workspace(paths)
    except (BngError, OSError) as error:
        _tell(args, data_folder_text(paths, error), kind="data_folder")
        return ExitCode.ENVIRONMENT
    with workspace:
        try:
            return _run_command(workspace, args)
        except BngError as error:
            _tell(args, refusal_text(error), error=error)
            return exit_code_for(error)
        except OSError as error:
            _tell(args, os_error_text(error), kind="file")
            return ExitCode.ENVIRONMENT


def _run_command(workspace: Workspace, args) -> int:
    module = COMMANDS[args.command]
    loaded = workspace.ensure_reference() if _loads_reference(module) else None
    if loaded is not None:
        print(
            "First run: loaded the bundled SAMPLE reference data (invented banks and prices).",
            file=sys.stderr,
        )
    return module.run(workspace, args)


def _tell(args, text: str, *, error: BngError | None = None, kind: str = "") -> None:
    """The message on stderr; with ``--json``, the error as JSON there too (when it
    can be written: a target that cannot is itself the error being told)."""
    json_out = getattr(args, "json_out", None)
    if json_out:
        payload = (
            error_to_json(error)
            if error is not None
            else {"error": {"kind": kind, "message": text.removeprefix("bng: "), "lines": []}}
        )
        with contextlib.suppress(OSError):
            write_json(payload, json_out)
    print(text, file=sys.stderr)


def _start_logging(paths: Paths) -> Path | None:
    """The log file, or None when it cannot be written (the data folder's own
    problem is told when the store is opened); either way no log record, and
    no logged traceback, reaches the terminal."""
    try:
        return configure_logging(paths.log_dir, console=False)
    except OSError:
        logging.getLogger().addHandler(logging.NullHandler())  # not Python's stderr fallback
        return None


def _loads_reference(module) -> bool:
    return getattr(module, "LOADS_REFERENCE", True)
