"""Reference versions pulled from the central database, and the link to their central id.

A pull stages every new version (not current), then switches to the central
current one, all in ONE local transaction (``PulledVersions.staging``):
SQLite commits all of it or none of it, so an interruption, or a version the
caller refuses, leaves the old version whole and current.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, insert, select

from ..core.model import ReferenceData
from .db import Store
from .references import StoredVersion, insert_version, make_current
from .sqlite import utc_now
from .tables import RefBankLocation, SyncCentralVersion

_links = SyncCentralVersion.__table__
_locations = RefBankLocation.__table__


class VersionStaging:
    """One open pull transaction: stage versions, then switch to one."""

    def __init__(self, conn: Connection):
        self._conn = conn

    def linked(self) -> dict[int, int]:
        """Central version id → local version id, for every version already pulled."""
        return dict(self._conn.execute(select(_links.c.central_id, _links.c.version_id)).all())

    def stage(
        self,
        central_id: int,
        data: ReferenceData,
        *,
        source: str,
        label: str,
        locations: Iterable[Mapping[str, Any]] = (),
    ) -> StoredVersion:
        """Store ``data`` as a new local version (not current), linked to
        ``central_id``, with its banks' resolved locations."""
        stored = insert_version(self._conn, data, source, label, current=False)
        self._conn.execute(
            insert(_links),
            {"central_id": central_id, "version_id": stored.version_id, "pulled_at": utc_now()},
        )
        rows = [{"version_id": stored.version_id, **location} for location in locations]
        if rows:
            self._conn.execute(insert(_locations), rows)
        return stored

    def make_current(self, version_id: int) -> None:
        make_current(self._conn, version_id)


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

    @contextmanager
    def staging(self) -> Iterator[VersionStaging]:
        """ONE write transaction for a pull: committed when the block ends,
        rolled back (the old version whole and current) on any error."""
        with self._store.transaction() as conn:
            yield VersionStaging(conn)

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
