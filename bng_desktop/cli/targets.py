"""Files a command will write, checked before it does any work.

A command that saves and then exports (``bng quote --save --xlsx PATH``) must
not save when the export cannot be written: every target is checked first (a
folder that exists, is a folder and takes a new file; the target not a folder)
by really creating and removing a scratch file beside it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..core.errors import OutputError
from .option_values import STDOUT


def check_targets(*targets: tuple[Path | str | None, str]) -> None:
    """``(path, what it is)`` pairs; ``None`` and ``-`` (standard output) pass."""
    for target, what in targets:
        if target is not None and str(target) != STDOUT:
            check_target(Path(target), what)


def check_target(path: Path, what: str) -> None:
    problem = _problem(path)
    if problem:
        raise OutputError(f"Cannot write the {what} to {path}: {problem}; nothing was done.")


def _problem(path: Path) -> str:
    folder = path.parent
    try:
        if path.is_dir():
            return "it is a folder"
        if not folder.exists():
            return f"the folder {folder} does not exist"
        if not folder.is_dir():
            return f"{folder} is a file, not a folder"
        if path.exists() and not os.access(path, os.W_OK):
            return "the file is read-only"
        with tempfile.TemporaryFile(dir=folder, prefix=".bng-check-"):
            pass
    except OSError as error:
        return error.strerror or str(error)
    return ""
