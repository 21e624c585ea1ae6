"""The command line's parsers: global options wherever they are typed, one-line usage errors.

The global options (``--data-dir``, ``--quiet``) belong to the top parser with
their real defaults, and to every command's parser again with
``default=argparse.SUPPRESS``: typed after the command they are parsed there,
and a command parser that did not see them leaves the top parser's value alone.
Every parser made under a :class:`BngParser` is a :class:`BngParser` too
(argparse makes sub-parsers of the parent's class), so a nested action such as
``bng reference import FILE --quiet`` takes them as well.
"""

from __future__ import annotations

import argparse
from typing import Any, NoReturn

from .exit_code import ExitCode
from .option_values import data_folder

LONGEST_MESSAGE = 300
"""A usage error longer than this (a huge argument echoed back) is shortened."""


def add_global_options(parser: argparse.ArgumentParser, *, after_command: bool) -> None:
    def default(value: Any) -> Any:
        return argparse.SUPPRESS if after_command else value

    parser.add_argument(
        "--data-dir",
        type=data_folder,
        default=default(None),
        metavar="DIR",
        help="folder of the local store (default: BNG_DATA_DIR, else per-user)",
    )
    parser.add_argument(
        "--quiet", action="store_true", default=default(False), help="no progress output"
    )


class BngParser(argparse.ArgumentParser):
    """An argparse parser whose usage errors are one line and exit :attr:`ExitCode.USAGE`."""

    def error(self, message: str) -> NoReturn:
        if len(message) > LONGEST_MESSAGE:
            message = message[:LONGEST_MESSAGE] + "…"
        self.exit(ExitCode.USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


class CommandParser(BngParser):
    """A command's (or a command action's) parser: also takes the global options."""

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        add_global_options(self, after_command=True)
