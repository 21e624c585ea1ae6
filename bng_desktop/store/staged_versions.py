"""Big reference versions written in short transactions, under an id nothing reads until the end.

A 500-bank version is some 125,000 rows: written in one transaction it held
SQLite's write lock for seconds, and a quote saved meanwhile waited (or gave
up, "database is busy"). Here the version row is inserted first, marked
``staged_at`` (so no query of the store sees it), and its rows follow in
transactions that hold the lock at most ``LOCK_BUDGET_S`` each, with a pause
of ``YIELD_S`` between them. SQLite's busy handler retries a waiting writer
at most every 100 ms, so within each pause every waiting save gets its turn:
a save waits at most about one budget plus one retry interval. The caller
then reveals the version (clears the mark, makes it current...) in one
short transaction.

A failed import deletes what it staged (in short transactions too). One
that died (the process killed, the power cut) leaves a staged version
nobody touches any more: the next import clears it once it has not been
written for ``ABANDONED_AFTER`` (a live import touches its version in every
transaction).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, literal_column, select, update
from sqlalchemy.exc import IntegrityError

from ..core.errors import StoreError
from ..core.model import ReferenceData
from ..core.price_table import PriceTable
from ..core.progress import StageReport
from ..core.reference import content_hash
from .codec import dumps
from .db import Store
from .price_pack import write_pack
from .reference_rows import ROW_KINDS
from .sqlite import utc_now
from .stored_rows import StoredRows
from .tables import ReferenceVersion, metadata

log = logging.getLogger(__name__)

_versions = ReferenceVersion.__table__
VISIBLE = _versions.c.staged_at.is_(None)
"""The condition every read of ``reference_version`` carries: complete versions only."""

BATCH_ROWS = 2_000
"""Rows per executemany of the INSERT."""
LOCK_BUDGET_S = 0.4
"""The longest a staging transaction keeps writing before it commits: a save
waits at most about this plus one retry interval, half a second, well under
the second a save may take; longer turns than the first 0.15 s cut the
import's pauses from half its writing time to under a third."""
YIELD_S = 0.12
"""The pause between staging transactions: longer than SQLite's longest retry
interval for a waiting writer (100 ms), so a waiting save always gets in."""
ABANDONED_AFTER = timedelta(minutes=5)
DELETE_ROWS = 5_000
"""Rows per DELETE statement when a staged version is cleared."""


def row_counts(data: ReferenceData) -> dict[str, int]:
    """How many rows of each kind ``data`` holds, by the kind's field name."""
    return {kind.field: len(getattr(data, kind.field)) for kind in ROW_KINDS}


def version_row(
    data: ReferenceData,
    *,
    source: str,
    label: str,
    counts: dict[str, int],
    imported_by: str = "",
) -> dict[str, Any]:
    """The reference_version row of a new version of ``data``, not yet current."""
    return {
        "content_hash": content_hash(data),
        "source": source,
        "label": label,
        "imported_by": imported_by,
        "created_at": utc_now(),
        "is_current": False,
        "warnings": dumps(list(data.warnings)),
        "row_counts": dumps(counts),
    }


def stage_version(
    store: Store,
    data: ReferenceData,
    source: str,
    label: str,
    *,
    progress: StageReport | None = None,
    imported_by: str = "",
) -> int:
    """Write ``data`` as a new, hidden version in short transactions; its id.

    Nothing of it is visible until ``reveal`` runs in the caller's transaction;
    on any failure what was staged is deleted again."""
    clear_abandoned(store)
    counts = row_counts(data)
    written = version_row(data, source=source, label=label, counts=counts, imported_by=imported_by)
    row = {**written, "staged_at": utc_now()}
    with store.transaction() as conn:
        version_id = int(conn.execute(insert(_versions), row).inserted_primary_key[0])
    stored = StoredRows(progress, sum(counts.values()))
    try:
        prices = PriceTable.of(data.prices)
        _write_in_turns(store, version_id, _inserts(version_id, data, prices, stored))
    except (IntegrityError, sqlite3.IntegrityError) as exc:
        discard(store, version_id)
        raise StoreError(
            f"The reference data could not be stored ({getattr(exc, 'orig', exc)}); "
            "nothing was written. "
            "Check the workbook for duplicate banks, habitats or stock ids."
        ) from exc
    except BaseException:
        discard(store, version_id)
        raise
    return version_id


def reveal(conn: Connection, version_id: int) -> None:
    """Make a staged version visible, inside the caller's (short) transaction."""
    revealed = conn.execute(
        update(_versions)
        .where(_versions.c.id == version_id, _versions.c.staged_at.is_not(None))
        .values(staged_at=None, created_at=utc_now())
    )
    if not revealed.rowcount:
        raise _abandoned(version_id)


def discard(store: Store, version_id: int) -> None:
    """Delete a staged version and its rows, in short transactions. Best effort:
    what a failure leaves stays hidden and is cleared as abandoned later."""
    try:
        tables = _row_tables()
        while tables:
            with store.transaction() as conn:
                deadline = time.monotonic() + LOCK_BUDGET_S
                while tables:
                    if not conn.execute(_delete_some(tables[0], version_id)).rowcount:
                        tables.pop(0)
                    if time.monotonic() >= deadline:
                        break
            if tables:
                time.sleep(YIELD_S)
        with store.transaction() as conn:
            conn.execute(
                delete(_versions).where(
                    _versions.c.id == version_id, _versions.c.staged_at.is_not(None)
                )
            )
    except StoreError as exc:
        log.warning("staged reference version %s left for later clearing: %s", version_id, exc)


def clear_abandoned(store: Store) -> None:
    """Delete staged versions no import has written for ``ABANDONED_AFTER``."""
    cutoff = (datetime.now(UTC) - ABANDONED_AFTER).isoformat(timespec="microseconds")
    with store.read() as conn:
        stale = conn.execute(
            select(_versions.c.id).where(
                _versions.c.staged_at.is_not(None), _versions.c.staged_at < cutoff
            )
        ).scalars()
        abandoned = list(stale)
    for version_id in abandoned:
        log.info("clearing reference version %s, staged by an import that stopped", version_id)
        discard(store, version_id)


def _inserts(
    version_id: int, data: ReferenceData, prices: PriceTable, stored: StoredRows
) -> Iterator[Callable[[Connection], None]]:
    """One step per INSERT of up to BATCH_ROWS rows, kind by kind, then the
    price pack (``prices``, data's price rows as columns)."""
    for kind in ROW_KINDS:
        values = kind.to_values(version_id, getattr(data, kind.field))
        stored.before(kind.field)
        for start in range(0, len(values), BATCH_ROWS):
            yield _insert_step(kind.insert_sql, values[start : start + BATCH_ROWS], stored)
    yield lambda conn: write_pack(conn, version_id, prices)


def _insert_step(sql: str, batch: list[tuple], stored: StoredRows) -> Callable[[Connection], None]:
    """A prepared INSERT run for every row of ``batch`` on the DBAPI cursor
    (SQLAlchemy's executemany of dicts costs several times as much)."""

    def step(conn: Connection) -> None:
        conn.connection.driver_connection.executemany(sql, batch)
        stored.after(len(batch))

    return step


def _write_in_turns(
    store: Store, version_id: int, steps: Iterator[Callable[[Connection], None]]
) -> None:
    """Run ``steps`` in transactions of at most LOCK_BUDGET_S, YIELD_S apart."""
    more = True
    while more:
        with store.transaction() as conn:
            _touch(conn, version_id)
            deadline = time.monotonic() + LOCK_BUDGET_S
            more = False
            for step in steps:
                step(conn)
                if time.monotonic() >= deadline:
                    more = True
                    break
        if more:
            time.sleep(YIELD_S)


def _touch(conn: Connection, version_id: int) -> None:
    """Say the import is alive; refuse to go on if its version was cleared."""
    touched = conn.execute(
        update(_versions)
        .where(_versions.c.id == version_id, _versions.c.staged_at.is_not(None))
        .values(staged_at=utc_now())
    )
    if not touched.rowcount:
        raise _abandoned(version_id)


def _abandoned(version_id: int) -> StoreError:
    return StoreError(
        f"The reference import (staged as version {version_id}) stopped for more than "
        f"{ABANDONED_AFTER.seconds // 60} minutes and its rows were cleared; nothing was "
        "written. Import it again."
    )


def _row_tables() -> list[Table]:
    """Every table whose rows belong to one reference version."""
    return [
        table
        for table in metadata.sorted_tables
        if "version_id" in table.c
        and any(fk.column.table is _versions for fk in table.c.version_id.foreign_keys)
    ]


def _delete_some(table: Table, version_id: int) -> Any:
    rowid = literal_column("rowid")
    some = select(rowid).select_from(table).where(table.c.version_id == version_id)
    return delete(table).where(rowid.in_(some.limit(DELETE_ROWS)))
