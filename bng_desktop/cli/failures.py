"""What the command line says when a command does not end in a result.

A refusal is the error's own message with ``nothing was changed`` said once; a
data folder that cannot be used is one line naming it and why; anything
unexpected is logged with its traceback and shown as one plain sentence that
says where the log is. No traceback ever reaches the terminal.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..core.errors import BngError
from ..settings import Paths

log = logging.getLogger(__name__)

NOTHING_CHANGED = "nothing was changed"
_ALREADY_SAID = ("nothing was", "nothing is", "nothing local", "nothing new", "nothing was done")


def refusal_text(error: BngError) -> str:
    """The message, its first line ending with what was (not) changed."""
    first, *details = str(error).strip().splitlines() or [type(error).__name__]
    saved = getattr(error, "saved_reference", "")
    if not saved and not any(words in str(error).lower() for words in _ALREADY_SAID):
        first = f"{first.rstrip(' .:')}; {NOTHING_CHANGED}" + (":" if details else ".")
    return "\n".join([f"bng: {first}", *details])


def data_folder_text(paths: Paths, error: BaseException) -> str:
    """One line: the data folder (or its database) cannot be used, and why."""
    if isinstance(error, BngError):
        return f"bng: {_one_line(str(error))} Nothing was changed."
    return (
        f"bng: the data folder {paths.data_dir} cannot be used: {_folder_reason(paths, error)}; "
        "nothing was changed. Choose another with --data-dir DIR (or BNG_DATA_DIR)."
    )


def _folder_reason(paths: Paths, error: BaseException) -> str:
    file = _file_in_the_way(paths.data_dir)
    if file == paths.data_dir:
        return "it is a file, not a folder"
    if file is not None:
        return f"{file} is a file, not a folder"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror[0].lower() + error.strerror[1:]
    return str(error)


def _file_in_the_way(folder: Path) -> Path | None:
    """The folder itself or the nearest parent that exists as a file, if any."""
    for path in (folder, *folder.parents):
        try:
            if path.exists():
                return None if path.is_dir() else path
        except OSError:  # a name too long to look at, say
            continue
    return None


def unexpected_text(error: BaseException, log_file: Path | None) -> str:
    """Log the traceback; one sentence for the terminal."""
    log.error("unexpected error in the command line", exc_info=error)
    where = (
        f"the details are in the log file {log_file}"
        if log_file is not None
        else "the log file could not be written, so run it again with a writable --data-dir"
    )
    return (
        f"bng: the command stopped on an error BNG Desktop did not expect "
        f"({type(error).__name__}); {where}."
    )


def os_error_text(error: OSError) -> str:
    """A file or folder the command read or wrote failed it: name it and say why."""
    name = error.filename if error.filename is not None else ""
    reason = error.strerror or str(error)
    return f"bng: {name}: {reason}; {NOTHING_CHANGED}." if name else f"bng: {reason}."


def _one_line(text: str) -> str:
    return " ".join(text.split())
