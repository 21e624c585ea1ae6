"""How a ``bng`` command ended, as its exit status (documented in the README)."""

from __future__ import annotations

from enum import IntEnum

from ..core.errors import (
    BngError,
    CentralUnreachable,
    OutputError,
    ServiceFailed,
    ServiceUnreachable,
    SolverError,
    StoreError,
    StoreProblem,
)


class ExitCode(IntEnum):
    OK = 0
    """The command did what was asked."""
    REFUSED = 1
    """An input was refused (a file's content, a name, a reference); nothing was changed."""
    USAGE = 2
    """The command line itself is wrong: an unknown option, a missing or malformed value."""
    ENVIRONMENT = 3
    """Something around the command failed: the data folder, the local database, a
    solver, a network service, a file or folder it had to write."""
    INTERRUPTED = 130
    """Stopped with Ctrl+C (the shells' convention, 128 + SIGINT)."""


_ENVIRONMENT_ERRORS = (
    CentralUnreachable,
    OutputError,
    ServiceFailed,
    ServiceUnreachable,
    SolverError,
)


def exit_code_for(error: BngError) -> ExitCode:
    """A deliberate refusal is 1 unless the trouble lies around the input, not in it."""
    if isinstance(error, _ENVIRONMENT_ERRORS):
        return ExitCode.ENVIRONMENT
    if isinstance(error, StoreError) and error.problem is not StoreProblem.OTHER:
        return ExitCode.ENVIRONMENT
    return ExitCode.REFUSED
