"""Why the app could not start on its data, and what the user can do about it.

When the local store cannot be opened (written by a newer version, damaged,
in a folder that cannot be written), the app shows this in its window and
writes the same words to its log, instead of exiting with a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .core.errors import BngError, StoreError, StoreProblem
from .settings import Paths
from .store.migrate import newest_usable_backup

TITLE = "BNG Desktop cannot open its data"


@dataclass(frozen=True)
class StartupProblem:
    """The reason in the program's words, and the steps that fix it."""

    reason: str
    steps: tuple[str, ...]
    log_file: Path | None = None

    def text(self) -> str:
        """The same words for the log and the console."""
        numbered = "".join(f"\n  {n}. {step}" for n, step in enumerate(self.steps, 1))
        return f"{TITLE}: {self.reason}\nWhat to do:{numbered}"


def explain_startup_failure(
    paths: Paths, error: BngError | OSError, log_file: Path | None = None
) -> StartupProblem:
    if isinstance(error, OSError):
        reason = f"The data folder {paths.data_dir} cannot be used: {error.strerror or error}."
        return StartupProblem(reason, _unwritable_steps(paths), log_file)
    problem = error.problem if isinstance(error, StoreError) else StoreProblem.OTHER
    steps = {
        StoreProblem.NEWER_SCHEMA: _newer_schema_steps,
        StoreProblem.DAMAGED: _damaged_steps,
        StoreProblem.UNWRITABLE: _unwritable_steps,
        StoreProblem.BUSY: _busy_steps,
        StoreProblem.DISK_FULL: _disk_full_steps,
    }.get(problem, _other_steps)(paths)
    return StartupProblem(str(error), steps, log_file)


def _restore_step(paths: Paths, backup: Path | None, taken: str, lead: str = "Restore") -> str:
    if backup is None:
        return f"There is no backup to restore in {paths.backups}."
    return (
        f"{lead} the backup {backup.name} ({taken}): move {paths.database.name} (and any "
        f"{paths.database.name}-wal and -shm files beside it) out of {paths.data_dir}, then "
        f"copy {backup} to {paths.database}."
    )


def _newer_schema_steps(paths: Paths) -> tuple[str, ...]:
    backup = newest_usable_backup(paths)
    return (
        "Install the newer BNG Desktop that wrote this file (ask whoever updates the "
        "team's desktops), then start it.",
        _restore_step(
            paths,
            backup,
            "taken before the newer version upgraded the file; quotes saved since then "
            "are only in the newer file",
            lead="Or, to carry on with this version, close it and restore",
        ),
        f"Or move {paths.database} elsewhere (keep it: it holds your quotes) to start afresh, "
        "or start BNG Desktop with --data-dir pointing to another folder (or set BNG_DATA_DIR).",
    )


def _damaged_steps(paths: Paths) -> tuple[str, ...]:
    backup = newest_usable_backup(paths)
    return (
        "Close BNG Desktop.",
        _restore_step(paths, backup, "the newest copy taken before an upgrade"),
        f"Or move {paths.database} out of {paths.data_dir} to start with an empty store "
        "(keep the damaged file for your IT support).",
        "Then start BNG Desktop again.",
    )


def _unwritable_steps(paths: Paths) -> tuple[str, ...]:
    return (
        f"Check that {paths.data_dir} exists, is a folder, and that you may write to it "
        "(a network or synced folder that is offline cannot be used).",
        "Or start BNG Desktop with --data-dir pointing to a folder you can write to "
        "(or set BNG_DATA_DIR).",
    )


def _busy_steps(paths: Paths) -> tuple[str, ...]:
    return (
        "Another BNG Desktop window or command is holding the database: close it, "
        "then start BNG Desktop again.",
    )


def _disk_full_steps(paths: Paths) -> tuple[str, ...]:
    return (f"Free disk space on the drive that holds {paths.data_dir}, then start again.",)


def _other_steps(paths: Paths) -> tuple[str, ...]:
    return (
        _restore_step(paths, newest_usable_backup(paths), "the newest copy this version can open"),
        f"Or move {paths.database} out of {paths.data_dir} to start afresh "
        "(keep it for your IT support).",
    )
