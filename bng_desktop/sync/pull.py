"""Pull reference versions: central versions newer than this desktop's, switched to at once.

Two phases, so that nothing half-done is ever used:

1. fetch — every row of the new versions is read from the central database
   in one REPEATABLE READ, READ ONLY transaction and decoded. Nothing local
   is touched, so a dropped connection or a killed process here changes
   nothing.
2. apply — each version's content hash is checked against the one
   published (a mismatch changes nothing), its rows are staged hidden in
   short transactions (a quote saved meanwhile never waits behind them), then
   ONE short local transaction reveals and links every staged version and
   makes the central current version current. An interruption leaves the old
   version whole and current; what was staged is deleted, or cleared later
   as abandoned when the process died.

A desktop that has never pulled takes only the central current version;
after that, every version newer than the newest it has.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from ..core.errors import SyncError
from ..core.model import ReferenceData
from ..core.progress import ProgressCallback, no_progress
from ..core.reference import content_hash
from ..core.version_terms import pulled_source
from ..store import (
    BANK_LOCATION_COLUMNS,
    ROW_KINDS,
    PulledVersions,
    StagedPull,
    Store,
    StoredVersion,
)
from .schema import REF_TABLES, ref_bank_location, reference_version

LOCATION_COLUMNS = BANK_LOCATION_COLUMNS


@dataclass(frozen=True)
class CentralVersion:
    """One central version, fetched whole."""

    central_id: int
    content_hash: str
    source: str
    label: str
    data: ReferenceData
    locations: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Fetched:
    versions: tuple[CentralVersion, ...]
    current_id: int | None


@dataclass(frozen=True)
class Pulled:
    """What a pull stored locally: (central id, local version) pairs, and the
    local version now current if the pull switched to one."""

    versions: tuple[tuple[int, StoredVersion], ...] = ()
    current: StoredVersion | None = None
    rows: int = field(default=0)


def newest_linked(store: Store) -> int | None:
    """The newest central version this desktop holds (None before any pull)."""
    return PulledVersions(store).newest_central_id()


def fetch_versions(
    conn: Connection, newest: int | None, progress: ProgressCallback = no_progress
) -> Fetched:
    """Read the versions newer than ``newest`` in one consistent snapshot."""
    conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    with conn.begin():
        current = conn.execute(
            select(reference_version.c.id).where(reference_version.c.is_current)
        ).scalar()
        progress("pull", 0.1, "Looking for new reference versions")
        ids = _ids_to_fetch(conn, newest, current)
        if not ids:
            return Fetched((), current)
        metas = conn.execute(select(reference_version).where(reference_version.c.id.in_(ids))).all()
        rows = _fetch_rows(conn, ids, progress)
        locations = _fetch_locations(conn, ids)
    versions = tuple(_version(meta, rows, locations) for meta in sorted(metas, key=lambda m: m.id))
    return Fetched(versions, current)


def apply_versions(
    store: Store, fetched: Fetched, progress: ProgressCallback = no_progress
) -> Pulled:
    """Stage the fetched versions, then reveal them and switch to the central
    current one in ONE short transaction."""
    if not fetched.versions:
        return Pulled()
    pulled = PulledVersions(store)
    linked = pulled.linked()
    staged: list[StagedPull] = []
    try:
        for version in fetched.versions:
            if version.central_id in linked:
                continue  # another process pulled it first
            staged.append(_stage(pulled, version))
            progress("apply", 0.5, f"Staged central version {version.central_id}")
        progress("apply", 0.9, "Switching to the new reference version")
        switched = pulled.switch(staged, fetched.current_id)
    except BaseException:
        pulled.discard(s.version_id for s in staged)
        raise
    rows = sum(sum(v.row_counts.values()) for _, v in switched.versions)
    return Pulled(switched.versions, switched.current, rows)


def _ids_to_fetch(conn: Connection, newest: int | None, current: int | None) -> list[int]:
    if newest is None:
        return [] if current is None else [current]
    query = select(reference_version.c.id).where(reference_version.c.id > newest)
    return list(conn.execute(query.order_by(reference_version.c.id)).scalars())


def _fetch_rows(
    conn: Connection, ids: list[int], progress: ProgressCallback
) -> dict[str, dict[int, list[tuple]]]:
    """Rows of every kind, grouped by version, in insertion order."""
    rows: dict[str, dict[int, list[tuple]]] = {}
    for n, kind in enumerate(ROW_KINDS):
        table = REF_TABLES[kind.field]
        query = (
            select(table.c.version_id, *(table.c[name] for name in kind.columns))
            .where(table.c.version_id.in_(ids))
            .order_by(table.c.version_id, table.c.id)
        )
        grouped: dict[int, list[tuple]] = defaultdict(list)
        for row in conn.execute(query):
            grouped[row[0]].append(row[1:])
        rows[kind.field] = grouped
        progress("pull", 0.2 + 0.7 * (n + 1) / len(ROW_KINDS), f"Fetched {kind.field}")
    return rows


def _fetch_locations(conn: Connection, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    table = ref_bank_location
    query = (
        select(table.c.version_id, *(table.c[name] for name in LOCATION_COLUMNS))
        .where(table.c.version_id.in_(ids))
        .order_by(table.c.version_id, table.c.id)
    )
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in conn.execute(query).mappings():
        grouped[row["version_id"]].append({name: row[name] for name in LOCATION_COLUMNS})
    return grouped


def _version(
    meta: Any, rows: dict[str, dict[int, list[tuple]]], locations: dict[int, list[dict]]
) -> CentralVersion:
    values = {kind.field: kind.decode_rows(rows[kind.field].get(meta.id, ())) for kind in ROW_KINDS}
    data = ReferenceData(**values, warnings=tuple(json.loads(meta.warnings)))
    return CentralVersion(
        meta.id, meta.content_hash, meta.source, meta.label, data, tuple(locations.get(meta.id, ()))
    )


def _stage(pulled: PulledVersions, version: CentralVersion) -> StagedPull:
    """Stage one version; a hash mismatch raises before anything is written."""
    if content_hash(version.data) != version.content_hash:
        raise SyncError(
            f"Central reference version {version.central_id} does not match its published "
            "content hash; nothing was changed. Ask the admin to publish it again."
        )
    return pulled.stage(
        version.central_id,
        version.data,
        source=pulled_source(version.central_id, version.source),
        label=version.label,
        locations=version.locations,
    )
