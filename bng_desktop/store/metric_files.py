"""Copies of the developers' metric workbooks imported on this desktop.

A quote keeps only its metric's name and SHA-256 (core/metric.MetricSource);
the client email attaches the workbook itself when this desktop still has it.
Each imported workbook is copied once into ``<data dir>/metrics/`` under its
SHA-256 (content-addressed: the same file imported twice is kept once), and
found again by that hash, checked before it is attached. A colleague's quote
synced from the team database has no copy here: its email goes without it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path, PurePath

from ..core.metric import MetricSource

FOLDER = "metrics"


class MetricFiles:
    def __init__(self, data_dir: Path):
        self.folder = data_dir / FOLDER

    def keep(self, path: str | os.PathLike[str], source: MetricSource) -> Path:
        """Copy the workbook at ``path`` (the one ``source`` was read from), once."""
        target = self._path(source)
        if target.is_file() and _sha256(target) == source.sha256:
            return target
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=".metric.", suffix=".tmp", dir=self.folder)
        os.close(handle)
        try:
            shutil.copyfile(path, temp_name)
            os.replace(temp_name, target)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        return target

    def find(self, source: MetricSource) -> Path | None:
        """The kept copy of ``source``'s workbook, when there is one and it is intact."""
        path = self._path(source)
        if path.is_file() and _sha256(path) == source.sha256:
            return path
        return None

    def _path(self, source: MetricSource) -> Path:
        suffix = PurePath(source.file_name).suffix.lower()
        return self.folder / f"{source.sha256}{suffix}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
