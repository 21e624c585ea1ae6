"""Reference versions pulled from the central database, and the link to their central id.

A pull stages each new version's rows in short transactions, hidden
(staged_versions.py: a quote save never waits behind a big pull), then
``switch`` reveals and links them all and switches to the central current
one, in ONE short local transaction: an interruption, or a version the
caller refuses, leaves the old version whole and current, and what was
staged is deleted (or, if the process died, cleared later as abandoned).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, insert, select

from ..core.model import ReferenceData
from ..core.progress import StageReport
from .db import Store
from .references import StoredVersion, get_version, make_current
from .sqlite import utc_now
from .staged_versions import discard, reveal, stage_version
from .tables import RefBankLocation, SyncCentralVersion

_links = SyncCentralVersion.__table__
_locations = RefBankLocation.__table__


@dataclass(frozen=True)
class StagedPull:
    """One central version staged locally, waiting for the switch."""

    central_id: int
    version_id: int
    locations: tuple[Mapping[str, Any], ...] = field(default=(), hash=False)


@dataclass(frozen=True)
class Switched:
    """What a switch revealed: (central id, local version) pairs, and the local
    version now current if it switched to one."""

    versions: tuple[tuple[int, StoredVersion], ...] = ()
    current: StoredVersion | None = None


class PulledVersions:
    """Which local reference versions are which central ones."""

    def __init__(self, store: Store):
        self._store = store

    def newest_central_id(self) -> int | None:
        """The newest central version this desktop holds (None before any pull)."""
        with self._store.read() as conn:
            return conn.execute(
                select(_links.c.central_id).order_by(_links.c.central_id.desc())
            ).scalar()

    def linked(self) -> dict[int, int]:
        """Central version id → local version id, for every version already pulled."""
        with self._store.read() as conn:
            return _linked(conn)

    def stage(
        self,
        central_id: int,
        data: ReferenceData,
        *,
        source: str,
        label: str,
        locations: Iterable[Mapping[str, Any]] = (),
        progress: StageReport | None = None,
    ) -> StagedPull:
        """Write ``data`` as a hidden local version, for ``switch`` to reveal."""
        version_id = stage_version(self._store, data, source, label, progress=progress)
        return StagedPull(central_id, version_id, tuple(locations))

    def switch(self, staged: Sequence[StagedPull], current_central_id: int | None) -> Switched:
        """ONE short transaction: reveal and link each staged version (one another
        process pulled meanwhile is dropped), then make the central current
        version current."""
        revealed: list[tuple[int, StoredVersion]] = []
        dropped: list[int] = []
        with self._store.transaction() as conn:
            linked = _linked(conn)
            for pull in staged:
                if pull.central_id in linked:
                    dropped.append(pull.version_id)
                    continue
                _reveal_and_link(conn, pull)
                linked[pull.central_id] = pull.version_id
                revealed.append((pull.central_id, get_version(conn, pull.version_id)))
            target = linked.get(current_central_id) if current_central_id is not None else None
            current = None
            if revealed and target is not None:
                make_current(conn, target)
                current = get_version(conn, target)
        self.discard(dropped)
        return Switched(tuple(revealed), current)

    def discard(self, version_ids: Iterable[int]) -> None:
        """Delete staged versions that will not be switched to."""
        for version_id in version_ids:
            discard(self._store, version_id)

    def link(self, central_id: int, version_id: int) -> None:
        """The local version IS that central version (published from here): the
        next pull need not fetch it. Nothing changes if either is linked already."""
        with self._store.transaction() as conn:
            taken = conn.execute(
                select(_links.c.central_id).where(
                    (_links.c.central_id == central_id) | (_links.c.version_id == version_id)
                )
            ).first()
            if taken is None:
                conn.execute(
                    insert(_links),
                    {"central_id": central_id, "version_id": version_id, "pulled_at": utc_now()},
                )


def _linked(conn: Connection) -> dict[int, int]:
    return dict(conn.execute(select(_links.c.central_id, _links.c.version_id)).all())


def _reveal_and_link(conn: Connection, pull: StagedPull) -> None:
    reveal(conn, pull.version_id)
    conn.execute(
        insert(_links),
        {"central_id": pull.central_id, "version_id": pull.version_id, "pulled_at": utc_now()},
    )
    rows = [{"version_id": pull.version_id, **location} for location in pull.locations]
    if rows:
        conn.execute(insert(_locations), rows)
