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


def configure_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    ensure_standard_streams()
    log_dir.mkdir(parents=True, exist_ok=True, mode=PRIVATE)
    with contextlib.suppress(OSError):  # a folder of someone else's: leave it as it is
        log_dir.chmod(PRIVATE)
    path = log_dir / LOG_FILE
    root = logging.getLogger()
    root.setLevel(level)
    if not any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    if sys.stderr is not None and not any(type(h) is logging.StreamHandler for h in root.handlers):
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(logging.WARNING)
        root.addHandler(console)
    return path
