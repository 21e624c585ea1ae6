"""The real ``bng`` entry point run as a subprocess, and what a store holds."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bng_desktop.settings import DATABASE_FILE, assets_dir

BNG = Path(sys.executable).with_name("bng")
SAMPLE_DEMAND = assets_dir() / "sample_demand.csv"
SITE = ("--lpa", "Winchester", "--nca", "South Downs")
HANG_AFTER_S = 120
ON_PURPOSE = (
    'INSERT INTO "sync_log"',
    "INSERT INTO \"sqlite_sequence\" VALUES('sync_log'",
    "INSERT INTO \"app_setting\" VALUES('sync.desktop_id'",
)
"""Rows a failed sync writes on purpose (its entry in the sync log, and the
desktop's id made on first use), left out of the store's fingerprint."""


@dataclass(frozen=True)
class Done:
    code: int
    out: str
    err: str
    seconds: float

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.out + self.err


def bng(*args: str, timeout: float = HANG_AFTER_S, program: tuple[str, ...] = ()) -> Done:
    """``bng ARGS`` (or ``program ARGS``), its exit code, stdout, stderr and duration."""
    started = time.perf_counter()
    done = subprocess.run(
        [*(program or (str(BNG),)), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )
    return Done(done.returncode, done.stdout, done.stderr, time.perf_counter() - started)


def store_fingerprint(data_dir: Path) -> str:
    """A digest of what the store holds (its SQL dump, read-only), diaries aside."""
    database = data_dir / DATABASE_FILE
    if not database.exists():
        return "no store"
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        for line in connection.iterdump():
            if not line.startswith(ON_PURPOSE):
                digest.update(line.encode())
        return digest.hexdigest()
    finally:
        connection.close()


def saved_references(data_dir: Path) -> list[str]:
    connection = sqlite3.connect(f"file:{data_dir / DATABASE_FILE}?mode=ro", uri=True)
    try:
        return [row[0] for row in connection.execute("SELECT reference FROM quote ORDER BY 1")]
    finally:
        connection.close()
