"""Banks' resolved locations, stored with their reference version.

Saving a location for a bank replaces the earlier one of that bank in that
version; deleting the version deletes its locations (ON DELETE CASCADE).
The snapshot of a version reads them to fill blank LPA / NCA (references.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select
from sqlalchemy.dialects.sqlite import insert as upsert

from ..core.bank_geography import BankLocation
from ..core.errors import StoreError
from .db import Store
from .tables import RefBank, RefBankLocation

_locations = RefBankLocation.__table__
_banks = RefBank.__table__
_FIELDS = ("lpa", "nca", "lat", "lon", "source", "resolved_at")
BANK_LOCATION_COLUMNS = ("bank_id", *_FIELDS)
"""The columns of a resolved location, as ``ref_bank_location`` (and the central copy) hold them."""


class BankLocationRepository:
    def __init__(self, store: Store):
        self._store = store

    def save(self, version_id: int, locations: Iterable[BankLocation]) -> None:
        """Store (or replace) locations of banks of ``version_id``, in one transaction."""
        rows = [
            {"version_id": version_id, "bank_id": loc.bank_id, **_values(loc)} for loc in locations
        ]
        if not rows:
            return
        stmt = upsert(_locations)
        stmt = stmt.on_conflict_do_update(
            index_elements=["version_id", "bank_id"], set_={f: stmt.excluded[f] for f in _FIELDS}
        )
        with self._store.transaction() as conn:
            _check_banks(conn, version_id, {row["bank_id"] for row in rows})
            conn.execute(stmt, rows)

    def read(self, version_id: int) -> dict[str, BankLocation]:
        with self._store.read() as conn:
            return read_bank_locations(conn, version_id)


def read_bank_locations(conn: Connection, version_id: int) -> dict[str, BankLocation]:
    query = select(_locations).where(_locations.c.version_id == version_id)
    return {
        row.bank_id: BankLocation(row.bank_id, *(getattr(row, f) for f in _FIELDS))
        for row in conn.execute(query.order_by(_locations.c.bank_id))
    }


def _values(location: BankLocation) -> dict[str, object]:
    return {field: getattr(location, field) for field in _FIELDS}


def _check_banks(conn: Connection, version_id: int, bank_ids: set[str]) -> None:
    query = select(_banks.c.bank_id).where(_banks.c.version_id == version_id)
    unknown = bank_ids - set(conn.execute(query).scalars())
    if unknown:
        raise StoreError(
            f"Reference version {version_id} has no bank {sorted(unknown)[0]!r}; "
            "the locations were not stored."
        )
