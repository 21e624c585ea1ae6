"""Reference versions: import, list, load, and the in-memory snapshot cache.

A version's rows are written once and never change: an import stages them in
short transactions under an id nothing reads (staged_versions.py), then one
short transaction reveals the version and makes it current. That makes a
loaded ``ReferenceSnapshot`` valid for as long as the process lives, so
snapshots are cached per (database, version). Bank locations resolved later
(bank_locations.py) fill blank LPA / NCA in the snapshot; their digest is
part of the cache key and of the snapshot's ``VersionInfo.geography``,
while ``content_hash`` stays that of the rows.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..collector_policy import collector_paused_for_jobs
from ..core.bank_geography import BankLocation, geography_digest, with_bank_locations
from ..core.errors import ReferenceDataError, StoreError
from ..core.model import ReferenceData
from ..core.price_table import PriceTable
from ..core.progress import StageReport
from ..core.reference import ReferenceSnapshot, VersionInfo
from .bank_locations import read_bank_locations
from .db import Store
from .price_pack import read_pack, write_pack
from .reference_rows import ROW_KINDS, RowKind
from .staged_versions import VISIBLE, reveal, row_counts, stage_version, version_row
from .stored_rows import StoredRows
from .tables import ReferenceVersion

_versions = ReferenceVersion.__table__


@dataclass(frozen=True)
class StoredVersion(VersionInfo):
    """A reference version as the store knows it: the core facts, plus whether
    it is the current one and how many rows of each kind it holds."""

    is_current: bool = False
    row_counts: dict[str, int] = field(default_factory=dict, hash=False)
    warnings: tuple[str, ...] = ()
    imported_by: str = ""
    """Who imported it here ("": the sample, pulled, or stored before it was recorded)."""

    def info(self) -> VersionInfo:
        """The immutable identity, as a snapshot carries it."""
        return VersionInfo(
            self.version_id, self.content_hash, self.source, self.created_at, self.label
        )


SNAPSHOTS_KEPT = 4
"""Snapshots kept in memory (least recently used dropped first)."""

_snapshots: OrderedDict[tuple[str, int, str, str], ReferenceSnapshot] = OrderedDict()
_snapshots_lock = threading.Lock()


class ReferenceRepository:
    def __init__(self, store: Store):
        self._store = store

    def import_data(
        self,
        data: ReferenceData,
        source: str,
        label: str = "",
        *,
        progress: StageReport | None = None,
        imported_by: str = "",
    ) -> StoredVersion:
        """Store ``data`` as a new version and make it current, all or nothing,
        without keeping a quote save waiting more than a moment (staged_versions.py).
        ``progress`` hears of each kind of row as it is written; ``imported_by``
        names who imported it."""
        version_id = stage_version(
            self._store, data, source, label, progress=progress, imported_by=imported_by
        )
        with self._store.transaction() as conn:
            reveal(conn, version_id)
            make_current(conn, version_id)
            return _version(conn, version_id)

    def ensure_reference(
        self, loader: Callable[[], ReferenceData], source: str = "sample"
    ) -> StoredVersion | None:
        """First run: import ``loader()`` when the store has no version; else None.
        (The bundled sample is small: it is written in one transaction.)"""
        with self._store.read() as conn:
            if _has_versions(conn):
                return None
        data = loader()
        with self._store.transaction() as conn:
            if _has_versions(conn):
                return None  # another process got there first
            return insert_version(conn, data, source, "")

    def list_versions(self) -> list[StoredVersion]:
        """Every version, newest first."""
        with self._store.read() as conn:
            rows = conn.execute(select(_versions).where(VISIBLE).order_by(_versions.c.id.desc()))
            return [_stored_version(r) for r in rows]

    def current_version(self) -> StoredVersion | None:
        with self._store.read() as conn:
            return _current(conn)

    def sample_is_current(self, sample_source: str = "sample") -> bool:
        """Whether new quotes would use the bundled sample's rows: the current
        version is the sample loaded on first run, or has the same content
        (the sample exported and imported again, or pulled from the team)."""
        sample_hashes = select(_versions.c.content_hash).where(
            _versions.c.source == sample_source, VISIBLE
        )
        stmt = select(_versions.c.id).where(
            _versions.c.is_current.is_(True),
            (_versions.c.source == sample_source) | _versions.c.content_hash.in_(sample_hashes),
        )
        with self._store.read() as conn:
            return conn.execute(stmt).first() is not None

    def get_version(self, version_id: int) -> StoredVersion:
        with self._store.read() as conn:
            return _version(conn, version_id)

    def set_current(self, version_id: int) -> StoredVersion:
        """Make ``version_id`` the version new quotes use."""
        with self._store.transaction() as conn:
            _version(conn, version_id)
            make_current(conn, version_id)
            return _version(conn, version_id)

    def load_data(self, version_id: int) -> ReferenceData:
        """The rows of one version, exactly as imported (same order, same values)."""
        with self._store.read() as conn:
            return _read_data(conn, _version(conn, version_id))

    def snapshot(self, version_id: int | None = None) -> ReferenceSnapshot:
        """The indexed snapshot of a version (the current one when None), cached.

        Prices come from the version's price pack (price_pack.py: ~225,000
        rows at national scale read as one value, kept as columns), or from
        its rows when it has none. Built with full collections held off: the
        objects made hold no cycles, and full collections while they are
        being made walked them over and over."""
        with self._store.read() as conn:
            version = _version(conn, version_id) if version_id is not None else _need_current(conn)
            located = read_bank_locations(conn, version.version_id)
            geography = geography_digest(located.values())
            database = str(self._store.database.resolve())
            key = (database, version.version_id, version.content_hash, geography)
            cached = _cached_snapshot(key)
            if cached is not None:
                return cached
            with collector_paused_for_jobs():
                data = _with_locations(_read_data(conn, version, packed=True), located)
                snapshot = _build_snapshot(data, version, geography)
        return _cache_snapshot(key, snapshot)


def insert_version(
    conn: Connection,
    data: ReferenceData,
    source: str,
    label: str,
    *,
    current: bool = True,
    progress: StageReport | None = None,
) -> StoredVersion:
    """Store ``data`` as a new version inside the caller's transaction (and
    make it current unless ``current`` is False), for small versions only (the
    bundled sample): big ones go through stage_version."""
    counts = row_counts(data)
    stored = StoredRows(progress, sum(counts.values()))
    row = version_row(data, source=source, label=label, counts=counts)
    try:
        version_id = conn.execute(insert(_versions), row).inserted_primary_key[0]
        for kind in ROW_KINDS:
            stored.before(kind.field)
            _insert_rows(conn, kind, version_id, getattr(data, kind.field))
            stored.after(counts[kind.field])
        write_pack(conn, version_id, PriceTable.of(data.prices))
        if current:
            make_current(conn, version_id)
    except IntegrityError as exc:
        raise StoreError(
            f"The reference data could not be stored ({exc.orig}); nothing was written. "
            "Check the workbook for duplicate banks, habitats or stock ids."
        ) from exc
    return _version(conn, version_id)


def _insert_rows(conn: Connection, kind: RowKind, version_id: int, records: tuple) -> None:
    if records:
        conn.execute(insert(kind.table), kind.to_params(version_id, records))


def make_current(conn: Connection, version_id: int) -> None:
    """Unmark the old current version first: at most one may be current."""
    conn.execute(
        update(_versions)
        .where(_versions.c.is_current.is_(True), _versions.c.id != version_id)
        .values(is_current=False)
    )
    conn.execute(update(_versions).where(_versions.c.id == version_id).values(is_current=True))


def _stored_version(row: Any) -> StoredVersion:
    return StoredVersion(
        version_id=row.id,
        content_hash=row.content_hash,
        source=row.source,
        created_at=row.created_at,
        label=row.label,
        is_current=bool(row.is_current),
        row_counts=json.loads(row.row_counts),
        warnings=tuple(json.loads(row.warnings)),
        imported_by=row.imported_by,
    )


def get_version(conn: Connection, version_id: int) -> StoredVersion:
    """One visible version, inside the caller's transaction (StoreError when unknown)."""
    return _version(conn, version_id)


def _version(conn: Connection, version_id: int) -> StoredVersion:
    row = conn.execute(select(_versions).where(_versions.c.id == version_id, VISIBLE)).first()
    if row is None:
        known = conn.execute(
            select(_versions.c.id).where(VISIBLE).order_by(_versions.c.id)
        ).scalars()
        listed = ", ".join(map(str, known)) or "none yet"
        raise StoreError(
            f"Reference version {version_id} is not in the local store (versions: {listed})."
        )
    return _stored_version(row)


def _has_versions(conn: Connection) -> bool:
    return bool(conn.execute(select(func.count()).select_from(_versions).where(VISIBLE)).scalar())


def _current(conn: Connection) -> StoredVersion | None:
    row = conn.execute(select(_versions).where(_versions.c.is_current.is_(True), VISIBLE)).first()
    return None if row is None else _stored_version(row)


def _need_current(conn: Connection) -> StoredVersion:
    current = _current(conn)
    if current is None:
        raise StoreError(
            "No reference data is installed: import a backend workbook (or sync) first."
        )
    return current


def _read_data(conn: Connection, version: StoredVersion, *, packed: bool = False) -> ReferenceData:
    """The version's rows; with ``packed``, its prices as the PriceTable of its
    price pack when it has one (the same rows, without reading them one by one)."""
    prices = read_pack(conn, version.version_id) if packed else None
    values = {
        kind.field: _read_rows(conn, kind, version.version_id)
        for kind in ROW_KINDS
        if prices is None or kind.field != "prices"
    }
    if prices is not None:
        values["prices"] = prices
    return ReferenceData(**values, warnings=version.warnings)


def _read_rows(conn: Connection, kind: RowKind, version_id: int) -> tuple:
    """Rows of one kind through the DBAPI cursor, inside ``conn``'s transaction."""
    cursor = conn.connection.driver_connection.execute(kind.select_sql, (version_id,))
    try:
        return kind.decode_rows(cursor.fetchall())
    finally:
        cursor.close()


def _with_locations(data: ReferenceData, located: dict[str, BankLocation]) -> ReferenceData:
    if not located:
        return data
    return dataclasses.replace(data, banks=with_bank_locations(data.banks, located))


def _build_snapshot(
    data: ReferenceData, version: StoredVersion, geography: str = ""
) -> ReferenceSnapshot:
    try:
        return ReferenceSnapshot(data, dataclasses.replace(version.info(), geography=geography))
    except KeyError as exc:
        raise ReferenceDataError(
            f"Reference version {version.version_id} names {exc} without defining it; "
            "re-import the workbook."
        ) from exc


def _cached_snapshot(key: tuple[str, int, str, str]) -> ReferenceSnapshot | None:
    with _snapshots_lock:
        snapshot = _snapshots.get(key)
        if snapshot is not None:
            _snapshots.move_to_end(key)
        return snapshot


def _cache_snapshot(
    key: tuple[str, int, str, str], snapshot: ReferenceSnapshot
) -> ReferenceSnapshot:
    """Keep the first snapshot stored for a key, so every caller shares one object."""
    with _snapshots_lock:
        kept = _snapshots.setdefault(key, snapshot)
        _snapshots.move_to_end(key)
        while len(_snapshots) > SNAPSHOTS_KEPT:
            _snapshots.popitem(last=False)
        return kept


def forget_snapshots() -> None:
    """Drop every snapshot held in memory (the next load reads the database):
    for benchmarks of a cold load, and to free memory."""
    with _snapshots_lock:
        _snapshots.clear()
