"""Logging to a rotating file in the user's log folder.

A packaged app may have no console at all (``sys.stdout`` is None), so the
log file is the place to look; a console, when there is one, gets warnings.
The log holds the app's address with this run's secret (ui/lock.py), so its
folder is private to the user (mode 0700 where the system has modes).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FILE = "bng-desktop.log"
PRIVATE = 0o700


def ensure_standard_streams() -> None:
    """Give a windowed app (no console: ``sys.stdout``/``sys.stderr`` are None)
    streams that swallow output, so libraries that write to them (uvicorn's
    logging, ``print``, warnings) do not fail; the log file is the record."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


def configure_logging(log_dir: Path, level: int = logging.INFO, *, console: bool = True) -> Path:
    """The log file in ``log_dir`` (made, private, with any missing parent); with
    ``console`` warnings also go to stderr. The command line passes
    ``console=False``: it speaks to its user in its own words, and a logged
    traceback belongs in the file only."""
    ensure_standard_streams()
    make_private_folder(log_dir)
    with contextlib.suppress(OSError):  # a folder of someone else's: leave it as it is
        log_dir.chmod(PRIVATE)
    path = log_dir / LOG_FILE
    root = logging.getLogger()
    root.setLevel(level)
    if not any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    if console and not any(type(h) is logging.StreamHandler for h in root.handlers):
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(logging.WARNING)
        root.addHandler(console)
    return path


def make_private_folder(folder: Path) -> None:
    """``folder`` and each missing parent made private (``mkdir(parents=True)``
    would make the parents with the default mode: the data folder holding
    ``logs`` would end up readable by others)."""
    missing = [folder, *folder.parents]
    for path in reversed(missing):
        if not path.exists():
            path.mkdir(mode=PRIVATE, exist_ok=True)
