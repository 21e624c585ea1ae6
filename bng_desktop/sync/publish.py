"""Publish a reference version to the team (admin): one central transaction, serialised.

A backend workbook is validated exactly as a local import is
(``read_reference_workbook`` with the statutory facts): a workbook with
problems raises ReferenceDataError listing them, and nothing is sent. Or the
local current version is published as it is, with the bank locations
resolved for it.

The publish transaction takes an advisory lock first, so two admins
publishing at once are served one after the other (never interleaved), then
writes the version and its rows (COPY), and only then moves the single
"current" mark to it. Content identical to the current central version is
not published again. The server records the publish in its audit log (a
trigger, in the same transaction); only an admin login may publish, and a
consultant's attempt is refused in those words (messages.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from ..core.model import ReferenceData
from ..core.progress import ProgressCallback, no_progress
from ..core.reference import content_hash
from ..io.reference_workbook import read_reference_workbook
from ..io.statutory import load_statutory_facts
from ..store import ROW_KINDS, dumps
from .audit import announce_desktop
from .connection import central_errors
from .messages import Guarded, refused_in_words
from .pull import LOCATION_COLUMNS
from .schema import REF_TABLES, ref_bank_location, reference_version

PUBLISH_LOCK = 0x424E4702
"""pg_advisory_xact_lock key held by a publish until it commits."""


@dataclass(frozen=True)
class Published:
    central_id: int
    content_hash: str
    source: str
    unchanged: bool = False
    """True when the content was already the central current version."""
    rows: int = 0


@dataclass(frozen=True)
class Publisher:
    """Who publishes: the name is recorded with the version, the desktop in the audit log."""

    name: str
    desktop_id: str


def read_workbook(path: Path) -> ReferenceData:
    """Validate a backend workbook exactly as a local import does."""
    return read_reference_workbook(path, load_statutory_facts())


def publish_data(
    engine: Engine,
    data: ReferenceData,
    *,
    source: str,
    publisher: Publisher,
    label: str = "",
    locations: Iterable[Mapping[str, Any]] = (),
    progress: ProgressCallback = no_progress,
) -> Published:
    """Store ``data`` as the new central current version, all or nothing."""
    digest = content_hash(data)
    with (
        refused_in_words(Guarded.PUBLISH, engine.url.username),
        central_errors(),
        engine.connect() as conn,
        conn.begin(),
    ):
        conn.execute(select(func.pg_advisory_xact_lock(PUBLISH_LOCK)))
        announce_desktop(conn, publisher.desktop_id)
        progress("publish", 0.1, "Publishing: the central database is ours")
        current = conn.execute(
            select(reference_version.c.id, reference_version.c.content_hash).where(
                reference_version.c.is_current
            )
        ).first()
        if current is not None and current.content_hash == digest:
            return Published(current.id, digest, source, unchanged=True)
        version_id = _insert_version(conn, data, digest, source, label, publisher)
        rows = _copy_rows(conn, version_id, data, locations)
        progress("publish", 0.8, f"Version {version_id}: {rows} rows written")
        conn.execute(
            update(reference_version)
            .where(reference_version.c.is_current, reference_version.c.id != version_id)
            .values(is_current=False)
        )
        conn.execute(
            update(reference_version)
            .where(reference_version.c.id == version_id)
            .values(is_current=True)
        )
    progress("publish", 1.0, f"Published version {version_id}")
    return Published(version_id, digest, source, rows=rows)


def _insert_version(
    conn: Connection,
    data: ReferenceData,
    digest: str,
    source: str,
    label: str,
    publisher: Publisher,
) -> int:
    counts = {kind.field: len(getattr(data, kind.field)) for kind in ROW_KINDS}
    row = {
        "content_hash": digest,
        "source": source,
        "label": label,
        "published_by": publisher.name,
        "is_current": False,
        "warnings": dumps(list(data.warnings)),
        "row_counts": dumps(counts),
    }
    return conn.execute(
        insert(reference_version).returning(reference_version.c.id), row
    ).scalar_one()


def _copy_rows(
    conn: Connection,
    version_id: int,
    data: ReferenceData,
    locations: Iterable[Mapping[str, Any]],
) -> int:
    """COPY every row into the version's tables, inside the publish transaction."""
    written = 0
    for kind in ROW_KINDS:
        records = getattr(data, kind.field)
        rows = ((version_id, *kind.encode(record)) for record in records)
        _copy(conn, REF_TABLES[kind.field].name, ("version_id", *kind.columns), rows)
        written += len(records)
    located = [(version_id, *(loc[c] for c in LOCATION_COLUMNS)) for loc in locations]
    _copy(conn, ref_bank_location.name, ("version_id", *LOCATION_COLUMNS), located)
    return written


def _copy(conn: Connection, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    names = ", ".join(columns)
    cursor = conn.connection.driver_connection.cursor()
    try:
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    finally:
        cursor.close()
