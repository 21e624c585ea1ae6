"""Where things live on disk, and the settings that say so.

The local store lives in ``platformdirs.user_data_dir("bng-desktop")``
unless ``BNG_DATA_DIR`` (or the CLI's ``--data-dir``) says otherwise; caches
live in the user cache dir, logs in the user log dir.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "bng-desktop"
DATA_DIR_ENV = "BNG_DATA_DIR"
DATABASE_FILE = "bng.sqlite3"


def assets_dir() -> Path:
    """The bundled assets, from a source checkout or a frozen bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "assets"
    return Path(__file__).resolve().parent.parent / "assets"


def sample_reference_path() -> Path:
    return assets_dir() / "sample_reference.xlsx"


def statutory_data_dir() -> Path:
    return assets_dir() / "data"


@dataclass(frozen=True)
class Paths:
    data_dir: Path
    cache_dir: Path
    log_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE_FILE

    @property
    def backups(self) -> Path:
        return self.data_dir / "backups"


def resolve_paths(data_dir: str | os.PathLike | None = None) -> Paths:
    """``data_dir`` argument, else $BNG_DATA_DIR, else the platform's user data dir.

    A data dir given explicitly also holds the cache and logs, so tests and
    portable installs keep everything in one place.
    """
    chosen = data_dir or os.environ.get(DATA_DIR_ENV)
    if chosen:
        root = Path(chosen).expanduser().resolve()
        return Paths(root, root / "cache", root / "logs")
    return Paths(
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )
